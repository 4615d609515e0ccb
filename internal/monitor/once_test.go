package monitor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
)

// TestCheckOnceDeliversDuringChecks: the alert of a finished check goes out
// while the next check is still running. The second page answers only once
// the webhook holds the first target's baseline (waiting at most 10 s), and
// says whether it did.
func TestCheckOnceDeliversDuringChecks(t *testing.T) {
	key := []byte("once-once-once-once-once-once-on")
	rcv, hook := newReceiver(t, key, 0)
	s := newSite(t)
	s.set("/a", page{body: policyPage("먼저", "3년", "2026-10-01", "2026-10-08")})
	var sawAlert atomic.Bool
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 200 {
			if got, _ := rcv.snapshot(); len(got) > 0 {
				sawAlert.Store(true)
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(policyPage("나중", "3년", "2026-10-01", "2026-10-08")))
	}))
	t.Cleanup(slow.Close)
	cfg := testConfig(t, webhookTOML(hook.URL, key), map[string]string{"a": s.url("/a"), "b": slow.URL + "/b"})
	cfg.Fetch.Timeout = 30 * time.Second
	d, err := New(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	a, _ := cfg.Target("a")
	b, _ := cfg.Target("b")
	var progress []string
	results, pending, err := d.CheckOnce(context.Background(), []*config.Target{a, b}, 1, 10*time.Second, func(done, total int, r Result) {
		progress = append(progress, r.Target)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[0].Status != StatusBaseline || results[1].Status != StatusBaseline {
		t.Fatalf("results = %+v", results)
	}
	if strings.Join(progress, ",") != "a,b" {
		t.Errorf("progress = %v, want a,b", progress)
	}
	if !sawAlert.Load() {
		t.Error("the second page was served before the first target's alert was delivered: deliveries waited for the end of the checks")
	}
	if got, _ := rcv.snapshot(); pending != 0 || len(got) != 2 {
		t.Errorf("after CheckOnce: %d pending, receiver accepted %v; want 0 pending and both baselines once", pending, got)
	}
}

// While `monitord check` is checking, the baselines of chat webhooks stay
// queued however long the run takes (one digest at its end); the daemon's
// loop sends them once none came for digestQuiet.
func TestDigestHeldUntilTheRunEnds(t *testing.T) {
	sl, _, d, _, clk := digestSetup(t, 3)
	clk.add(time.Hour) // long after the last baseline
	if _, err := d.pass(context.Background(), holdAll); err != nil {
		t.Fatal(err)
	}
	if got := sl.got(); len(got) != 0 {
		t.Fatalf("a pass holding all digests sent %d messages", len(got))
	}
	if _, err := d.pass(context.Background(), holdArriving); err != nil {
		t.Fatal(err)
	}
	if got := sl.got(); len(got) != 1 {
		t.Fatalf("after the quiet period the loop sent %d messages, want one digest", len(got))
	}
}
