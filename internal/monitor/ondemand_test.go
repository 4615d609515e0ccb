package monitor

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// TestOnDemandWaitsForTheScheduledCheck: a check asked for while the
// scheduler's check of the same target runs waits for it; the page never
// sees two checks of one target at once, and both are stored in turn.
func TestOnDemandWaitsForTheScheduledCheck(t *testing.T) {
	var inFlight, most, hits atomic.Int32
	body := policyPage("단일", "3년", "2026-10-01", "2026-10-08")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		hits.Add(1)
		time.Sleep(300 * time.Millisecond)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	cfg := testConfig(t, "[schedule]\ndefault = \"@every 1h\"\n", map[string]string{"one": srv.URL + "/p"})
	cfg.Targets[0].NoticeURL = "" // the fetches counted are the policy page's: no notice board
	d, err := New(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	od := NewOnDemand(d)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		<-done
		od.Wait()
		if err := d.Close(); err != nil {
			t.Error(err)
		}
	}()
	// The target was never checked: the scheduler checks it at start.
	for deadline := time.Now().Add(5 * time.Second); hits.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	var progressed []string
	rs, err := od.Check(context.Background(), "", func(done, total int, r Result) {
		progressed = append(progressed, r.Target)
	})
	if err != nil || len(rs) != 1 || rs[0].Err != nil {
		t.Fatalf("Check: %v %+v", err, rs)
	}
	if most.Load() != 1 {
		t.Errorf("%d checks of one target ran at once, want 1", most.Load())
	}
	if hits.Load() != 2 || rs[0].Status != StatusUnchanged || rs[0].Version != 1 || len(progressed) != 1 {
		t.Errorf("after the scheduled check: %d fetches, result %+v, progress %v; want 2 fetches and an unchanged v1", hits.Load(), rs[0], progressed)
	}
	if _, err := od.Check(context.Background(), "nosuch", nil); !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("unknown target: %v", err)
	}
	pending, err := od.WaitDelivered(context.Background())
	if err != nil || pending != 0 {
		t.Errorf("WaitDelivered without webhooks: %d %v", pending, err)
	}
}
