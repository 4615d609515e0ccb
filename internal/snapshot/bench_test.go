package snapshot_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
