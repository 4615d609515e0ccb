package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

// This file runs three real `monitord run` processes on one PostgreSQL
// database (pgtest) against 300 loopback targets, slot after slot.

// slotSite serves /t/{i} and logs every request by target and slot (a
// number the test moves on). From changeSlot on, every tenth target
// serves a changed policy. With hold set, responses wait that long (so a
// kill lands while checks are in flight); a request whose client went away
// before the answer is logged as cut.
type slotSite struct {
	srv        *httptest.Server
	n          int
	changeSlot int
	slot       atomic.Int64
	hold       atomic.Int64 // nanoseconds
	inFlight   atomic.Int32

	mu     sync.Mutex
	served map[[2]int]int // {target, slot} → complete answers
	cut    map[[2]int]int // {target, slot} → requests cut by the client
	last   map[int]time.Time
}

func newSlotSite(t *testing.T, n, changeSlot int) *slotSite {
	s := &slotSite{n: n, changeSlot: changeSlot, served: map[[2]int]int{}, cut: map[[2]int]int{}, last: map[int]time.Time{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/t/"))
		if err != nil || i < 0 || i >= n {
			http.NotFound(w, r)
			return
		}
		slot := int(s.slot.Load())
		s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		if d := time.Duration(s.hold.Load()); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				s.mu.Lock()
				s.cut[[2]int{i, slot}]++
				s.mu.Unlock()
				return
			}
		}
		retention := "3년"
		if i%10 == 0 && slot >= changeSlot {
			retention = "5년"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page(retention, "2026-10-01", "2026-10-08"))
		s.mu.Lock()
		s.served[[2]int{i, slot}]++
		s.last[i] = time.Now()
		s.mu.Unlock()
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// servedIn counts the targets answered in slot, and the most answers one
// target got in it.
func (s *slotSite) servedIn(slot int) (targets, most int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.n {
		if c := s.served[[2]int{i, slot}]; c > 0 {
			targets++
			most = max(most, c)
		}
	}
	return targets, most
}

// idReceiver is a json webhook that counts every event id it is sent.
type idReceiver struct {
	srv *httptest.Server
	mu  sync.Mutex
	ids map[string]int    // event id → deliveries
	typ map[string]string // event id → "type target"
}

func newIDReceiver(t *testing.T) *idReceiver {
	h := &idReceiver{ids: map[string]int{}, typ: map[string]string{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		var ev struct {
			ID     string `json:"id"`
			Type   string `json:"type"`
			Target struct {
				Name string `json:"name"`
			} `json:"target"`
		}
		if err := json.Unmarshal(body, &ev); err != nil || ev.ID == "" {
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.ids[ev.ID]++
		h.typ[ev.ID] = ev.Type + " " + ev.Target.Name
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// byType counts the distinct event ids of type typ, and returns the ids
// sent more than once.
func (h *idReceiver) byType(typ string) (n int, dups []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, c := range h.ids {
		if strings.HasPrefix(h.typ[id], typ+" ") {
			n++
		}
		if c > 1 {
			dups = append(dups, fmt.Sprintf("%s (%s) ×%d", id, h.typ[id], c))
		}
	}
	return n, dups
}

func multiWorkerConfig(t *testing.T, site *slotSite, hook *idReceiver) string {
	var b strings.Builder
	// The schedule is yearly: the test moves the slots on itself (below),
	// so no tick of the clock adds one during the run.
	fmt.Fprintf(&b, `[storage]
driver = "postgres"
dsn = "env:MONITORD_DSN"
[log]
level = "info"
[server]
listen = ""
[schedule]
default = "@yearly"
jitter = "0s"
[fetch]
retries = 0
timeout = "20s"
connect_timeout = "2s"
concurrency = 16
per_host = 16
host_interval = "0s"
[[webhook]]
name = "hook"
url = %q
format = "json"
secret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
`, hook.srv.URL)
	for i := range site.n {
		fmt.Fprintf(&b, "[[target]]\nname = \"t%03d\"\nurl = \"%s/t/%d\"\n", i, site.srv.URL, i)
	}
	return writeConfig(t, b.String())
}

// worker is one `monitord run` process and its log.
type worker struct {
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan error
}

func startWorker(t *testing.T, cfg, dsn string) *worker {
	t.Helper()
	w := &worker{log: &syncBuffer{}, done: make(chan error, 1)}
	w.cmd = exec.Command(os.Args[0], "-test.run=^$", "--", "run", "-config", cfg)
	w.cmd.Env = append(os.Environ(), "MONITORD_TEST_MAIN=1", "MONITORD_DSN="+dsn)
	w.cmd.Stdout, w.cmd.Stderr = w.log, w.log
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.done <- w.cmd.Wait() }() // owner: the test; reaped in stop or kill
	t.Cleanup(func() { w.stop(t) })
	return w
}

// exited reports whether the process has ended (without reaping it twice).
func (w *worker) exited() bool {
	select {
	case err := <-w.done:
		w.done <- err
		return true
	default:
		return false
	}
}

func (w *worker) stop(t *testing.T) {
	if w.cmd.ProcessState != nil || w.cmd.Process == nil {
		return
	}
	w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-w.done:
	case <-time.After(40 * time.Second):
		w.cmd.Process.Kill()
		<-w.done
		t.Errorf("a worker did not stop within 40s of SIGTERM:\n%s", w.log.String())
	}
}

// TestThreeWorkersShareTargets: three `monitord run` on one database check
// each of 300 targets exactly once per slot, alert each change once (one
// id, one delivery), and when one is killed with SIGKILL in the middle of
// its checks, the others take its targets over once its leases expire:
// nothing is lost, no event id is sent twice.
func TestThreeWorkersShareTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("three monitord processes on PostgreSQL: not in -short")
	}
	dsn := pgtest.Start(t)
	const n, changeSlot = 300, 2
	site := newSlotSite(t, n, changeSlot)
	hook := newIDReceiver(t)
	cfg := multiWorkerConfig(t, site, hook)

	var workers []*worker
	for range 3 {
		workers = append(workers, startWorker(t, cfg, dsn))
	}
	ctx := context.Background()
	var pool *pgxpool.Pool
	// The workers create the schema; wait for the schedule to hold every
	// target (bounded).
	if !waitUntil(60*time.Second, func() bool {
		for _, w := range workers {
			if w.exited() {
				return true
			}
		}
		if pool == nil {
			p, err := pgxpool.New(ctx, dsn)
			if err != nil {
				return false
			}
			pool = p
		}
		var c int
		err := pool.QueryRow(ctx, `SELECT count(*) FROM target_schedule`).Scan(&c)
		return err == nil && c == n
	}) || pool == nil {
		t.Fatalf("the schedule never held the %d targets; worker 0:\n%s", n, workers[0].log.String())
	}
	for i, w := range workers {
		if w.exited() {
			t.Fatalf("worker %d exited:\n%s", i, w.log.String())
		}
	}
	defer pool.Close()

	// completed counts the targets whose check of the current slot is
	// done: not leased, next due in the future.
	completed := func() int {
		var c int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM target_schedule
			WHERE lease_token IS NULL AND next_due > now()`).Scan(&c); err != nil {
			return -1
		}
		return c
	}
	waitSlot := func(slot int) {
		t.Helper()
		if !waitUntil(90*time.Second, func() bool {
			got, _ := site.servedIn(slot)
			return got == n && completed() == n
		}) {
			got, most := site.servedIn(slot)
			t.Fatalf("slot %d: %d of %d targets answered (most %d), %d completed in the schedule\nworker 0:\n%s",
				slot, got, n, most, completed(), tail(workers[0].log.String()))
		}
		if _, most := site.servedIn(slot); most != 1 {
			t.Fatalf("slot %d: a target was fetched %d times", slot, most)
		}
	}
	// next moves every target's next due time to now, as the schedule's
	// next tick would: the next slot starts.
	next := func(slot int) {
		t.Helper()
		site.slot.Store(int64(slot))
		if _, err := pool.Exec(ctx, `UPDATE target_schedule SET next_due = now() WHERE lease_token IS NULL`); err != nil {
			t.Fatal(err)
		}
	}

	waitSlot(0) // never checked: due at once (catch-up)
	for slot := 1; slot <= changeSlot; slot++ {
		next(slot)
		waitSlot(slot)
	}
	// Every change is alerted once, by one worker, under one id.
	wantChanges := n / 10
	if !waitUntil(60*time.Second, func() bool { c, _ := hook.byType("policy.changed"); return c >= wantChanges }) {
		c, _ := hook.byType("policy.changed")
		t.Fatalf("%d policy.changed events received, want %d", c, wantChanges)
	}

	// Slot 3: answers wait 3 s; kill one worker while it has checks in
	// flight.
	const hold = 3 * time.Second
	site.hold.Store(int64(hold))
	killSlot := changeSlot + 1
	next(killSlot)
	// More than two workers' worth (16 each) in flight: every worker,
	// the victim too, is in the middle of checks.
	if !waitUntil(30*time.Second, func() bool { return site.inFlight.Load() > 32 }) {
		t.Fatalf("no checks in flight: %d", site.inFlight.Load())
	}
	victim := workers[0]
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.done
	killed := time.Now()
	if !waitUntil(5*time.Second, func() bool {
		site.mu.Lock()
		defer site.mu.Unlock()
		return len(site.cut) > 0
	}) {
		t.Fatal("the kill cut no check in flight")
	}
	site.hold.Store(0)
	waitSlot(killSlot)
	site.mu.Lock()
	var cut []int
	var takenOver time.Time
	for k := range site.cut {
		if k[1] == killSlot {
			cut = append(cut, k[0])
			if l := site.last[k[0]]; l.After(takenOver) {
				takenOver = l
			}
		}
	}
	site.mu.Unlock()
	after := takenOver.Sub(killed)
	t.Logf("kill -9 cut %d checks in flight; the others took them over %s after the kill (lease %s)",
		len(cut), after.Round(100*time.Millisecond), monitor.DefaultLease)
	// Taken over once the lease expired, not at a later slot: within the
	// lease and a claim poll, and a margin for a loaded machine.
	if after > monitor.DefaultLease+15*time.Second {
		t.Errorf("targets taken over %s after the kill, lease %s", after, monitor.DefaultLease)
	}

	// No duplicate id, whoever delivered; every change alerted once.
	if !waitUntil(30*time.Second, func() bool { return deliveredAll(ctx, pool) }) {
		t.Fatal("deliveries still pending after the last slot")
	}
	for _, w := range workers[1:] {
		w.stop(t)
	}
	changes, dups := hook.byType("policy.changed")
	if len(dups) > 0 {
		t.Fatalf("event ids sent more than once: %v", dups)
	}
	if changes != wantChanges {
		t.Fatalf("%d policy.changed events, want %d", changes, wantChanges)
	}
	baselines, _ := hook.byType("policy.baseline")
	t.Logf("%d targets × %d slots on 3 workers: each fetched once a slot; %d baselines, %d changes alerted once each",
		n, killSlot+1, baselines, changes)
}

// deliveredAll reports whether no delivery is still to be attempted.
func deliveredAll(ctx context.Context, pool *pgxpool.Pool) bool {
	var c int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM deliveries WHERE state = 'pending'`).Scan(&c)
	return err == nil && c == 0
}

func tail(s string) string {
	if len(s) > 6000 {
		return s[len(s)-6000:]
	}
	return s
}
