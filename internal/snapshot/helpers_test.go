package snapshot_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage/storagetest"
)

// The fixtures are the conformance suite's, so the driver's own tests
// and the suite write the same data.
var (
	t0           = storagetest.T0
	policyText   = storagetest.PolicyText
	pageOf       = storagetest.PageOf
	observation  = storagetest.Observation
	changeEvents = storagetest.ChangeEvents
)

const rulesV1 = storagetest.RulesV1

func record(t testing.TB, s *snapshot.Store, o snapshot.Observation) snapshot.Outcome {
	t.Helper()
	return storagetest.Record(t, s, o)
}

func stats(t testing.TB, s *snapshot.Store) snapshot.Stats {
	t.Helper()
	return storagetest.Stats(t, s)
}

func versions(t testing.TB, s *snapshot.Store, target string) []snapshot.Version {
	t.Helper()
	return storagetest.Versions(t, s, target)
}

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// seeds returns the real policy texts in ../shared/seeds, read in place.
func seeds(t testing.TB) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		t.Skipf("no seed policies in %s (../shared is not beside the repository)", dir)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}
