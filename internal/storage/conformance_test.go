package storage_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
	"github.com/monitord/monitord/internal/storage"
	"github.com/monitord/monitord/internal/storage/storagetest"
)

// The embedded bbolt store meets the conformance suite (the PostgreSQL
// driver runs the same suite in its own tests). Each place is a file in a
// temporary folder, checked by bbolt's consistency check at the end.
func TestConformanceBbolt(t *testing.T) {
	storagetest.RunDriver(t, storagetest.Driver{New: bboltPlace})
}

func bboltPlace(t testing.TB) storagetest.Place {
	path := filepath.Join(t.TempDir(), "monitord.db")
	t.Cleanup(func() {
		if _, err := os.Stat(path); err == nil {
			snapshottest.Check(t, path)
		}
	})
	return storagetest.Place{
		Open: func(o storage.Options) (storage.Store, error) {
			st, err := snapshot.Open(path, snapshot.Options{ReadOnly: o.ReadOnly, Timeout: o.Timeout, Logger: o.Logger, NoSync: true})
			if err != nil {
				return nil, err
			}
			return st, nil
		},
		MakeNewer: func(t testing.TB) { snapshottest.ShiftSchema(t, path, +1) },
	}
}
