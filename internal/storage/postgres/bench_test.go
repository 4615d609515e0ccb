package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// The test cluster runs with fsync off: these are the driver's and the
// server's CPU and round trips, not a disk's flushes.

// BenchmarkRecordUnchanged: the common check, the same text again (one
// row lock, one version update, the state).
func BenchmarkRecordUnchanged(b *testing.B) {
	s, _ := open(b)
	ctx := context.Background()
	text := policy(1, 20000)
	if _, err := s.Record(ctx, obs("shop", text, base), changeEvents); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Record(ctx, obs("shop", text, base.Add(time.Duration(i+1)*time.Second)), changeEvents); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordChanged: every check a new version of a 20 KB text in a
// page twice its size, with an event for two webhooks.
func BenchmarkRecordChanged(b *testing.B) {
	s, _ := open(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		o := obs("shop", policy(i, 20000)+fmt.Sprintf("\n개정 %d", i), base.Add(time.Duration(i)*time.Minute))
		if _, err := s.Record(ctx, o, changeEvents); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	st, err := s.Stats()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(st.DataSize)/float64(max(st.Versions, 1)), "tablebytes/version")
}

// BenchmarkRecordParallel: many targets recorded at once, as several
// workers' checks are.
func BenchmarkRecordParallel(b *testing.B) {
	s, _ := open(b)
	ctx := context.Background()
	var n int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(atomicAdd(&n))
			o := obs(fmt.Sprintf("t%d", i%64), policy(i, 8000), base.Add(time.Duration(i)*time.Second))
			if _, err := s.Record(ctx, o, changeEvents); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// TestBytesPerVersion reports what a version of a policy page takes in the
// tables (text and raw page blobs, version, chain record, event and two
// deliveries, with indexes), for docs/scale.md.
func TestBytesPerVersion(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	const versions = 200
	for i := range versions {
		o := obs(fmt.Sprintf("t%d", i%20), policy(i, 30000)+fmt.Sprintf("\n개정 %d", i), base.Add(time.Duration(i)*time.Minute))
		if _, err := s.Record(ctx, o, changeEvents); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Versions != versions {
		t.Fatalf("%d versions", st.Versions)
	}
	t.Logf("%d versions: tables %d bytes (%d per version), blobs %d stored for %d content bytes, database %d bytes",
		st.Versions, st.DataSize, st.DataSize/int64(st.Versions), st.BlobBytes, st.BlobContentBytes, st.FileSize)
	_ = snapshot.Stats{}
}

func atomicAdd(p *int64) int64 { return atomicInt.Add(1) }

var atomicInt atomic.Int64
