package snapshot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/cputime"
	"github.com/monitord/monitord/internal/snapshot"
)

// BenchmarkVerify builds a store of 10,000 targets × 20 versions (each
// version a distinct ~4 KB text and ~6 KB page; MONITORD_VERIFY_TARGETS
// changes the count) and measures one whole Verify of it: bbolt's check,
// 200,000 chain records, 200,000 versions and 400,000 blobs.
//
//	go test ./internal/snapshot -run '^$' -bench BenchmarkVerify -benchtime 1x
func BenchmarkVerify(b *testing.B) {
	targets := 10000
	if s := os.Getenv("MONITORD_VERIFY_TARGETS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("MONITORD_VERIFY_TARGETS=%q", s)
		}
		targets = n
	}
	const versions = 20
	path := filepath.Join(b.TempDir(), "verify.db")
	s, err := snapshot.Open(path, snapshot.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	base := policyText("08", 4<<10)
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			ctx := context.Background()
			for i := w; i < targets; i += 8 {
				name := fmt.Sprintf("target-%05d", i)
				for v := range versions {
					text := fmt.Sprintf("%s 개정 %d\n%s", name, v, base)
					o := observation(name, text, t0.Add(time.Duration(v)*24*time.Hour))
					if _, err := s.Record(ctx, o, nil); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	b.Logf("built %d targets × %d versions in %s; file %d MiB", targets, versions, time.Since(start).Round(time.Second), fi.Size()>>20)
	s, err = snapshot.Open(path, snapshot.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		began, cpu0 := time.Now(), cputime.Process(b)
		stages := map[string]time.Duration{}
		rep, err := s.Verify(context.Background(), func(stage string, done, total int) {
			if done == total {
				stages[stage] = time.Since(began)
			}
		})
		b.Logf("verify: structure done at %s, chains at %s, blobs at %s; CPU time %s (user+sys, all cores)", stages["structure"].Round(time.Millisecond),
			stages["chains"].Round(time.Millisecond), stages["blobs"].Round(time.Millisecond), (cputime.Process(b) - cpu0).Round(time.Millisecond))
		if err != nil || !rep.OK() {
			b.Fatalf("verify: %v %+v", err, rep.Problems[:min(len(rep.Problems), 5)])
		}
		if rep.Versions != targets*versions || rep.Records != targets*versions {
			b.Fatalf("verified %d versions, %d records", rep.Versions, rep.Records)
		}
		b.ReportMetric(float64(rep.Bytes)/(1<<20), "MiB-content")
	}
}
