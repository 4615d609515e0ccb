package monitor

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

// receiver is a webhook endpoint that fails the first failFirst requests
// and records every event id it accepted, verifying Standard Webhooks
// signatures with its own implementation of the spec.
type receiver struct {
	t         *testing.T
	key       []byte
	mu        sync.Mutex
	failFirst int
	requests  int
	accepted  map[string]int
	events    []message.Event
}

func newReceiver(t *testing.T, key []byte, failFirst int) (*receiver, *httptest.Server) {
	r := &receiver{t: t, key: key, failFirst: failFirst, accepted: map[string]int{}}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if r.requests <= r.failFirst {
		http.Error(w, "receiver down", http.StatusInternalServerError)
		return
	}
	id, ts := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp")
	mac := hmac.New(sha256.New, r.key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !strings.Contains(req.Header.Get("webhook-signature"), want) {
		r.t.Errorf("bad signature for %s: got %q", id, req.Header.Get("webhook-signature"))
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var e message.Event
	if err := json.Unmarshal(body, &e); err != nil || e.ID != id {
		r.t.Errorf("body id %q vs header %q: %v", e.ID, id, err)
	}
	r.accepted[id]++
	r.events = append(r.events, e)
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) snapshot() (map[string]int, []message.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := map[string]int{}
	for k, v := range r.accepted {
		m[k] = v
	}
	return m, append([]message.Event(nil), r.events...)
}

func webhookTOML(url string, key []byte) string {
	return fmt.Sprintf("[[webhook]]\nname = \"hook\"\nurl = %q\nformat = \"json\"\nsecret = %q\n",
		url, "whsec_"+base64.StdEncoding.EncodeToString(key))
}

// TestDeliveryRetriesUntilAccepted: the receiver answers 500 three times,
// then 200; every event arrives exactly once, with the same id each time.
func TestDeliveryRetriesUntilAccepted(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	rcv, hook := newReceiver(t, key, 3)
	s := newSite(t)
	s.set("/p", page{body: policyPage("하늘", "3년", "2026-10-01", "2026-10-01")})
	cfg := testConfig(t, webhookTOML(hook.URL, key), map[string]string{"haneul": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	if r := mustCheck(t, c, cfg, "haneul"); r.Status != StatusBaseline || len(r.Violations) != 1 {
		t.Fatalf("baseline = %+v, want one short_notice", r)
	}
	senders, err := Senders(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeliverer(DelivererOptions{Store: st, Senders: senders, Now: clk.now})
	for attempt := range 6 {
		if _, err := d.Pass(context.Background()); err != nil {
			t.Fatal(err)
		}
		clk.add(2 * time.Hour) // past any backoff
		if attempt == 0 {
			if n, _ := st.PendingCount(); n != 1 {
				t.Fatalf("after a failed attempt pending = %d, want 1", n)
			}
		}
	}
	accepted, evs := rcv.snapshot()
	if len(accepted) != 1 {
		t.Fatalf("accepted %v, want one event", accepted)
	}
	for id, n := range accepted {
		if n != 1 {
			t.Fatalf("event %s delivered %d times", id, n)
		}
	}
	if evs[0].Type != message.TypeBaseline || len(evs[0].Violations) != 1 || evs[0].Violations[0].Rule != "short_notice" {
		t.Fatalf("delivered %+v", evs[0])
	}
	if n, _ := st.PendingCount(); n != 0 {
		t.Fatalf("pending after delivery = %d", n)
	}
	if rcv.requests != 4 {
		t.Fatalf("receiver saw %d requests, want 3 failures + 1 success", rcv.requests)
	}
}

// TestDeliveredAfterRestart: the process stops between storing an event
// and delivering it; the next process delivers it.
func TestDeliveredAfterRestart(t *testing.T) {
	key := []byte("restart-restart-restart-restart!")
	rcv, hook := newReceiver(t, key, 0)
	s := newSite(t)
	s.set("/p", page{body: policyPage("바다", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, webhookTOML(hook.URL, key), map[string]string{"bada": s.url("/p")})

	d1, err := New(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := cfg.Target("bada")
	if r := d1.Checker.Check(context.Background(), tg); r.Status != StatusBaseline {
		t.Fatalf("check = %+v", r)
	}
	if err := d1.Close(); err != nil { // "killed" before any delivery
		t.Fatal(err)
	}
	if got, _ := rcv.snapshot(); len(got) != 0 {
		t.Fatalf("delivered before restart: %v", got)
	}

	d2, err := New(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if pending, err := d2.Deliverer.Flush(ctx); err != nil || pending != 0 {
		t.Fatalf("flush after restart: pending %d, %v", pending, err)
	}
	if got, _ := rcv.snapshot(); len(got) != 1 {
		t.Fatalf("after restart delivered %v, want the baseline once", got)
	}
}

// TestShutdownDuringCheck: the daemon is stopped while a check waits on a
// slow page; Run returns once the drain deadline cancels it, and the store
// is consistent (snapshottest checks integrity on reopen).
func TestShutdownDuringCheck(t *testing.T) {
	s := newSite(t)
	s.set("/slow", page{body: policyPage("느린", "3년", "2026-10-01", "2026-10-08"), delay: 30 * time.Second})
	s.set("/fast", page{body: policyPage("빠른", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, "[schedule]\ndefault = \"@every 1m\"\njitter = \"0s\"\n", map[string]string{"slow": s.url("/slow"), "fast": s.url("/fast")})
	cfg.Fetch.Timeout = time.Minute
	d, err := New(Options{Config: cfg, DrainTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for !d.Scheduler.Running() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	d.Scheduler.Enqueue("slow")
	d.Scheduler.Enqueue("fast")
	for time.Now().Before(deadline) {
		if v, _ := d.Store.Current("fast"); v != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the drain deadline")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	snapshottest.Check(t, cfg.Storage.Path)
	st, err := snapshot.Open(cfg.Storage.Path, snapshot.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, _ := st.Current("fast"); v == nil {
		t.Fatal("the fast target's version was lost")
	}
	if v, _ := st.Current("slow"); v != nil {
		t.Fatal("the cancelled check stored a version")
	}
	if fs, _ := st.Failures("slow"); len(fs) != 0 {
		t.Fatalf("our own shutdown was recorded as the site's failure: %+v", fs)
	}
}

// TestSchedulerNeverRunsATargetTwice: enqueueing a busy target is refused.
func TestSchedulerNeverRunsATargetTwice(t *testing.T) {
	s := newSite(t)
	s.set("/p", page{body: policyPage("단일", "3년", "2026-10-01", "2026-10-08"), delay: 500 * time.Millisecond})
	cfg := testConfig(t, "[schedule]\ndefault = \"@every 1h\"\n", map[string]string{"one": s.url("/p")})
	st := snapshottest.Open(t)
	var mu sync.Mutex
	var results []Result
	started := make(chan struct{})
	sched := NewScheduler(cfg, SchedulerOptions{
		Checker: NewChecker(cfg, st, newTestFetcher(cfg), nil, nil),
		OnDone: func(r Result) {
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
		},
		// Running() turns true before the catch-up has queued the target:
		// wait for the start to be complete, or the test races it.
		OnStart: func() { close(started) },
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sched.Run(ctx) }()
	<-started
	// The target was never checked, so the scheduler queued it at start
	// (catch-up); while it is queued or running it cannot be queued again.
	for range 5 {
		if sched.Enqueue("one") {
			t.Fatal("a queued or running target was queued again")
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(results)
		mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !sched.Enqueue("one") {
		t.Fatal("enqueue after the check finished refused")
	}
	cancel()
	<-done
	s.mu.Lock()
	hits := s.hits["/p"]
	s.mu.Unlock()
	if hits < 1 || hits > 2 {
		t.Fatalf("page fetched %d times, want 1 or 2", hits)
	}
}

func newTestFetcher(cfg *config.Config) Fetcher {
	return fetch.New(FetchOptions(cfg, nil, nil))
}

// TestDeliveryExpiresThenRequeued: a receiver that is down for good makes
// the delivery expire after the configured age; it stays visible, and a
// requeue sends it again with the same id.
func TestDeliveryExpiresThenRequeued(t *testing.T) {
	key := []byte("expire-expire-expire-expire-expi")
	rcv, hook := newReceiver(t, key, 1_000_000)
	s := newSite(t)
	s.set("/p", page{body: policyPage("만료", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, webhookTOML(hook.URL, key)+"[notice]\nexpire = \"72h\"\n", map[string]string{"manryo": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	mustCheck(t, c, cfg, "manryo")
	d := deliverUntilSettled(t, cfg, st, clk)
	if clk.now().Sub(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)) < 70*time.Hour {
		t.Fatalf("gave up after only %v", clk.now().Sub(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)))
	}
	evs, err := st.Events(snapshot.EventFilter{State: snapshot.StateExpired})
	if err != nil || len(evs) != 1 {
		t.Fatalf("expired events = %d, %v; want the baseline, kept and visible", len(evs), err)
	}
	id := evs[0].ID
	attempts := rcv.requests

	rcv.mu.Lock()
	rcv.failFirst = 0 // the receiver is back
	rcv.mu.Unlock()
	if err := st.Requeue(id, clk.now()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	accepted, _ := rcv.snapshot()
	if accepted[id] != 1 || len(accepted) != 1 {
		t.Fatalf("after requeue accepted %v, want %s once (after %d failed attempts)", accepted, id, attempts)
	}
}

// TestCatchUpAtStart: at start the scheduler checks targets never checked
// and those that missed a tick, not those checked within their schedule.
func TestCatchUpAtStart(t *testing.T) {
	s := newSite(t)
	for _, p := range []string{"/new", "/missed", "/fresh"} {
		s.set(p, page{body: policyPage("따라잡기", "3년", "2026-10-01", "2026-10-08")})
	}
	cfg := testConfig(t, "[schedule]\ndefault = \"@every 1h\"\njitter = \"0s\"\n",
		map[string]string{"new": s.url("/new"), "missed": s.url("/missed"), "fresh": s.url("/fresh")})
	clk := &clock{t: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)}
	c, _ := newChecker(t, cfg, clk.now)
	clk.add(-3 * time.Hour)
	mustCheck(t, c, cfg, "missed") // 3 h ago: the 1 h tick was missed
	clk.add(3*time.Hour - 10*time.Minute)
	mustCheck(t, c, cfg, "fresh") // 10 min ago: not due
	clk.add(10 * time.Minute)
	var mu sync.Mutex
	done := map[string]bool{}
	sched := NewScheduler(cfg, SchedulerOptions{Checker: c, OnDone: func(r Result) {
		mu.Lock()
		done[r.Target] = true
		mu.Unlock()
	}})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- sched.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(done)
		mu.Unlock()
		if n >= 2 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // a wrongly queued third would show now
	cancel()
	<-stopped
	mu.Lock()
	defer mu.Unlock()
	if !done["new"] || !done["missed"] || done["fresh"] {
		t.Fatalf("checked at start: %v; want new and missed, not fresh", done)
	}
}

// deliverUntilSettled runs delivery passes, advancing clk by 30 minutes
// between them, until nothing is pending (delivered, failed or expired),
// and returns the deliverer.
func deliverUntilSettled(t *testing.T, cfg *config.Config, st *snapshot.Store, clk *clock) *Deliverer {
	t.Helper()
	senders, err := Senders(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeliverer(DelivererOptions{Store: st, Senders: senders, Now: clk.now, Expire: cfg.Notice.Expire})
	for range 200 {
		if _, err := d.Pass(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n, _ := st.PendingCount(); n == 0 {
			return d
		}
		clk.add(30 * time.Minute)
	}
	t.Fatal("deliveries still pending after 100 hours of passes")
	return nil
}

// runDaemon starts a daemon on cfg and waits until it is ready; stop
// cancels it and waits for Run to return. onCheck may be nil.
func runDaemon(t *testing.T, cfg *config.Config, onCheck func(Result)) (d *Daemon, ctx context.Context, stop func()) {
	t.Helper()
	ready := make(chan struct{})
	d, err := New(Options{Config: cfg, OnReady: func() { close(ready) }, OnCheck: onCheck})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	<-ready
	return d, ctx, func() { cancel(); <-done }
}
