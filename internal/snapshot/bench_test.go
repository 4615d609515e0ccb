package snapshot_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

// BenchmarkRecord measures one check's write from a single goroutine, with
// fsync off (the disk's fsync latency would hide the store's own cost).
func BenchmarkRecord(b *testing.B) {
	base := policyText("08", 60<<10)
	// hashes_given records as the checker does: it hashed the text and the
	// page to compare them with the current version's, and passes the
	// hashes along.
	for _, given := range []bool{false, true} {
		name := "new_60KB"
		if given {
			name += "_hashes_given"
		}
		b.Run(name, func(b *testing.B) {
			s := snapshottest.Open(b)
			ctx := context.Background()
			raw := pageOf(base, "홈")
			b.SetBytes(int64(len(raw) + len(base)))
			n := 0
			for b.Loop() {
				n++
				text := fmt.Sprintf("개정 %d\n%s", n, base) // a new text every time
				o := snapshot.Observation{Target: "shop", At: t0.Add(time.Duration(n) * time.Minute), Status: 200,
					Raw: append([]byte(fmt.Sprintf("<!-- %d -->", n)), raw...), Text: text, Rules: rulesV1}
				if given {
					b.StopTimer()
					ts, rs := sha256.Sum256([]byte(o.Text)), sha256.Sum256(o.Raw)
					o.TextHash, o.RawHash = hex.EncodeToString(ts[:]), hex.EncodeToString(rs[:])
					b.StartTimer()
				}
				if _, err := s.Record(ctx, o, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("unchanged_60KB", func(b *testing.B) {
		s := snapshottest.Open(b)
		ctx := context.Background()
		o := observation("shop", base, t0)
		record(b, s, o)
		n := 0
		for b.Loop() {
			n++
			o.At = t0.Add(time.Duration(n) * time.Minute)
			if _, err := s.Record(ctx, o, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if st := stats(b, s); st.Versions != 1 {
			b.Fatalf("%d versions after unchanged checks", st.Versions)
		}
	})
}

// BenchmarkRecordConcurrent1000 runs a check cycle's writes: 1,000 targets
// recorded at once by 1,000 goroutines, with fsync on. One op is the whole
// cycle; fsyncs/op against records/op shows what group commit saves.
func BenchmarkRecordConcurrent1000(b *testing.B) {
	const targets = 1000
	bases := make([]string, targets)
	for i := range bases {
		bases[i] = fmt.Sprintf("사이트 %d\n%s", i, policyText("08", 60<<10))
	}
	for _, mode := range []string{"new", "unchanged"} {
		b.Run(mode, func(b *testing.B) {
			s := snapshottest.OpenPath(b, filepath.Join(b.TempDir(), "monitord.db"), snapshot.Options{})
			ctx := context.Background()
			cycle := func(n int) {
				var wg sync.WaitGroup
				for i := range targets {
					wg.Go(func() {
						text := bases[i]
						if mode == "new" {
							text = fmt.Sprintf("개정 %d\n%s", n, text)
						}
						o := snapshot.Observation{Target: fmt.Sprint("target-", i), At: t0.Add(time.Duration(n) * time.Hour),
							Status: 200, Raw: []byte("<html><body>" + text + "</body></html>"), Text: text, Rules: rulesV1}
						if _, err := s.Record(ctx, o, changeEvents("ops")); err != nil {
							b.Error(err)
						}
					})
				}
				wg.Wait()
			}
			cycle(0) // baseline
			before := stats(b, s)
			n := 0
			for b.Loop() {
				n++
				cycle(n)
			}
			b.StopTimer()
			after := stats(b, s)
			ops := float64(b.N)
			commits, writes := float64(after.Commits-before.Commits), float64(after.Writes-before.Writes)
			b.ReportMetric(commits/ops, "fsyncs/op")
			b.ReportMetric((writes-commits)/ops, "fsyncs_saved/op")
			b.ReportMetric(writes/commits, "records/fsync")
		})
	}
}

// BenchmarkRecordBaseline1000 records a first version of 1,000 targets one
// after another, as a first `monitord check` does (one commit per record:
// the checks finish apart), with fsync off. Page and text carry
// incompressible parts so that their blobs have the sizes of real ones
// (about 13 KB for a 60 KB page). written_B/version is what the commits
// wrote (bbolt's allocated page bytes, the meta page aside); file_B/version
// is how much the store file grew.
func BenchmarkRecordBaseline1000(b *testing.B) {
	const targets = 1000
	base := policyText("08", 40<<10)
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := func(n int) string {
		buf := make([]byte, n)
		for i := range buf {
			buf[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rnd.IntN(36)]
		}
		return string(buf)
	}
	obs := make([]snapshot.Observation, targets)
	for i := range obs {
		text := fmt.Sprintf("사이트 %d %s\n%s", i, noise(3<<10), base)
		obs[i] = snapshot.Observation{Target: fmt.Sprint("target-", i), URL: fmt.Sprintf("https://example.kr/%d/privacy", i),
			At: t0, Status: 200, Raw: append(pageOf(text, "홈"), noise(8<<10)...), Text: text, Rules: rulesV1}
	}
	var written, grown, versions float64
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "monitord.db")
		s, err := snapshot.Open(path, snapshot.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		fi0, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		st0 := snapshot.BoltStats(s)
		before := st0.TxStats.GetPageAlloc()
		b.StartTimer()
		for _, o := range obs {
			if _, err := s.Record(context.Background(), o, changeEvents("ops")); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		st := snapshot.BoltStats(s)
		written += float64(st.TxStats.GetPageAlloc() - before)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		grown += float64(fi.Size() - fi0.Size())
		versions += targets
		b.StartTimer()
	}
	b.ReportMetric(written/versions, "written_B/version")
	b.ReportMetric(grown/versions, "file_B/version")
}
