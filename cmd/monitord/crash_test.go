package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// This file runs monitord as a real process (the test binary with
// MONITORD_TEST_MAIN set) against loopback sites whose policies keep
// changing, and a webhook receiver that records what it was sent.

// churnSite serves n policy pages at /t/0 ... /t/{n-1}. Each page changes
// (its retention period) every period, each target at its own phase, until
// freeze is called. Responses wait a little so that a kill often lands
// while fetches are in flight; inFlight counts them.
type churnSite struct {
	srv      *httptest.Server
	start    time.Time
	period   time.Duration
	maxDelay time.Duration
	frozen   atomic.Int64 // generation offset + 1 once frozen
	inFlight atomic.Int32
	fetches  atomic.Int64
}

func newChurnSite(t *testing.T, period, maxDelay time.Duration) *churnSite {
	s := &churnSite{start: time.Now(), period: period, maxDelay: maxDelay}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		s.fetches.Add(1)
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/t/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		select {
		case <-time.After(rand.N(s.maxDelay)):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page(fmt.Sprintf("%d개월", 1+s.generation(i)), "2026-10-01", "2026-10-08"))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *churnSite) generation(i int) int {
	if f := s.frozen.Load(); f > 0 {
		return int(f-1) + i%7
	}
	phase := time.Duration(i%7) * s.period / 7
	return int((time.Since(s.start)+phase)/s.period) + i%7
}

// freeze stops the pages changing.
func (s *churnSite) freeze() {
	s.frozen.Store(int64(time.Since(s.start)/s.period) + 2)
}

func (s *churnSite) url(i int) string { return fmt.Sprintf("%s/t/%d", s.srv.URL, i) }

// hookReceiver accepts every webhook POST and records the event ids by
// the version they announce. Replies wait a little, so kills land during
// deliveries too.
type hookReceiver struct {
	srv      *httptest.Server
	inFlight atomic.Int32

	mu sync.Mutex
	// byVersion maps "target/version id/first_seen" to the event ids sent for it.
	byVersion map[string]map[string]bool
	posts     int
}

func newHookReceiver(t *testing.T) *hookReceiver {
	h := &hookReceiver{byVersion: map[string]map[string]bool{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.inFlight.Add(1)
		defer h.inFlight.Add(-1)
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		var ev struct {
			ID     string `json:"id"`
			Target struct {
				Name string `json:"name"`
			} `json:"target"`
			Version *struct {
				ID        string    `json:"id"`
				FirstSeen time.Time `json:"first_seen"`
			} `json:"version"`
		}
		if err := json.Unmarshal(body, &ev); err != nil || ev.ID == "" || ev.ID != r.Header.Get("webhook-id") {
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		time.Sleep(time.Duration(rand.IntN(5)) * time.Millisecond)
		h.mu.Lock()
		h.posts++
		if ev.Version != nil {
			k := versionKey(ev.Target.Name, ev.Version.ID, ev.Version.FirstSeen)
			if h.byVersion[k] == nil {
				h.byVersion[k] = map[string]bool{}
			}
			h.byVersion[k][ev.ID] = true
		}
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func versionKey(target, id string, firstSeen time.Time) string {
	return target + "/" + id + "/" + firstSeen.UTC().Truncate(time.Second).Format(time.RFC3339) // the payload has seconds
}

// acknowledged returns a copy of what the receiver has been sent so far.
func (h *hookReceiver) acknowledged() map[string]map[string]bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]map[string]bool, len(h.byVersion))
	for k, ids := range h.byVersion {
		out[k] = make(map[string]bool, len(ids))
		for id := range ids {
			out[k][id] = true
		}
	}
	return out
}

// churnConfig writes a config for n targets of site, checked every minute,
// alerting hook, with listen as the server address ("" for none).
func churnConfig(t *testing.T, site *churnSite, hook *hookReceiver, n int, listen string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `[storage]
path = "m.db"
[log]
level = "warn"
[server]
listen = %q
[schedule]
default = "@every 1m"
jitter = "0s"
[fetch]
retries = 0
timeout = "5s"
connect_timeout = "2s"
concurrency = 16
per_host = 16
host_interval = "0s"
[[webhook]]
name = "hook"
url = %q
format = "json"
secret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
`, listen, hook.srv.URL)
	for i := range n {
		fmt.Fprintf(&b, "[[target]]\nname = \"t%03d\"\nurl = %q\n", i, site.url(i))
	}
	return writeConfig(t, b.String())
}

// monitordProcess starts `monitord ARGS...` as a real process.
func monitordProcess(t *testing.T, logs io.Writer, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "MONITORD_TEST_MAIN=1")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// verifyStore runs the store's own verify on a closed store and fails the
// test on any problem.
func verifyStore(t *testing.T, path, when string) *snapshot.Store {
	t.Helper()
	st, err := snapshot.Open(path, snapshot.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("%s: open %s: %v", when, path, err)
	}
	rep, err := st.Verify(context.Background(), nil)
	if err != nil || !rep.OK() {
		st.Close()
		t.Fatalf("%s: verify: %v\nconsistency: %v\nproblems: %+v", when, err, rep.Consistency, rep.Problems)
	}
	return st
}

// storedVersions returns "target/id/first_seen" of every version in st.
func storedVersions(t *testing.T, st *snapshot.Store) map[string]bool {
	t.Helper()
	sts, err := st.Targets()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, s := range sts {
		vs, err := st.Versions(s.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			out[versionKey(v.Target, strconv.FormatUint(v.ID, 10), v.FirstSeen)] = true
		}
	}
	return out
}

// waitUntil polls cond until it holds or d passes, and reports whether it held.
func waitUntil(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(200 * time.Microsecond) {
		if cond() {
			return true
		}
	}
	return false
}

// killCount is how many kill -9s TestKillNine makes: 20 by default,
// MONITORD_KILLS=N for a longer campaign.
func killCount(t *testing.T) int {
	if s := os.Getenv("MONITORD_KILLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("MONITORD_KILLS=%q: want a positive number", s)
		}
		return n
	}
	return 20
}

// TestKillNine kills real monitord processes with SIGKILL at random points
// while they fetch pages that keep changing, store versions and deliver
// their alerts: `monitord check` (every target at once) and `monitord run`
// (which delivers what the killed one left queued, and checks at start),
// in turn. After every kill the store must verify and hold every version
// whose alert the receiver got; at the end, every stored change must have
// reached the receiver under exactly one event id. MONITORD_KILLS=300 runs
// a longer campaign.
func TestKillNine(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real processes; skipped with -short")
	}
	kills := killCount(t)
	const targets = 12
	site := newChurnSite(t, 400*time.Millisecond, 15*time.Millisecond)
	hook := newHookReceiver(t)
	cfg := churnConfig(t, site, hook, targets, "")
	db := filepath.Join(filepath.Dir(cfg), "m.db")
	var logs syncBuffer
	var duringFetch, duringDelivery, exited int
	for k := range kills {
		args := []string{"check", "-config", cfg, "-q", "-wait", "10s"}
		if k%2 == 1 {
			args = []string{"run", "-config", cfg}
		}
		p := monitordProcess(t, &logs, args...)
		// Kill during a fetch, during a delivery, or at a random time
		// (which also lands in store writes and before the store is open).
		switch k % 3 {
		case 0:
			if waitUntil(1500*time.Millisecond, func() bool { return site.inFlight.Load() > 0 }) {
				duringFetch++
			}
		case 1:
			if waitUntil(1500*time.Millisecond, func() bool { return hook.inFlight.Load() > 0 }) {
				duringDelivery++
			}
		default:
			time.Sleep(time.Duration(20+rand.IntN(600)) * time.Millisecond)
		}
		if err := p.Process.Signal(syscall.SIGKILL); err != nil {
			exited++ // the check had finished: no kill this time
		}
		_ = p.Wait()
		acked := hook.acknowledged()
		if _, err := os.Stat(db); err != nil {
			if len(acked) > 0 {
				t.Fatalf("kill %d: the store is gone but %d versions were announced", k+1, len(acked))
			}
			continue
		}
		st := verifyStore(t, db, fmt.Sprintf("after kill %d (%s)", k+1, args[0]))
		stored := storedVersions(t, st)
		st.Close()
		for v := range acked {
			if !stored[v] {
				t.Fatalf("after kill %d: version %s was announced to the receiver but is not in the store", k+1, v)
			}
		}
	}
	// Settle: pages stop changing, one check delivers what is still queued.
	site.freeze()
	p := monitordProcess(t, &logs, "check", "-config", cfg, "-q", "-wait", "30s")
	if err := p.Wait(); err != nil {
		t.Fatalf("final check: %v\n%s", err, logs.String())
	}
	st := verifyStore(t, db, "at the end")
	defer st.Close()
	if n, err := st.PendingCount(); err != nil || n != 0 {
		t.Fatalf("after the final check %d deliveries are pending (%v)", n, err)
	}
	stored := storedVersions(t, st)
	acked := hook.acknowledged()
	for v := range stored {
		ids := acked[v]
		if len(ids) != 1 {
			t.Errorf("version %s reached the receiver under %d ids %v, want exactly one", v, len(ids), ids)
		}
	}
	for v := range acked {
		if !stored[v] {
			t.Errorf("version %s was announced but is not in the store", v)
		}
	}
	t.Logf("%d kills (%d during a fetch, %d during a delivery, %d processes had already exited), %d fetches, %d versions stored, %d webhook posts",
		kills, duringFetch, duringDelivery, exited, site.fetches.Load(), len(stored), hook.posts)
	if len(stored) < 2*targets {
		t.Fatalf("only %d versions were stored: the campaign did not exercise changes", len(stored))
	}
}

// TestBackupWhileRunning: `monitord backup` while `monitord run` checks
// 200 loopback targets whose pages keep changing goes through the daemon's
// API; the copy verifies and holds every version whose alert had reached
// the receiver before the backup began.
func TestBackupWhileRunning(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real daemon over 200 targets; skipped with -short")
	}
	const targets = 200
	// Pages answer in 20-120 ms: the first pass over 200 targets takes a
	// couple of seconds, and the backups are taken during it.
	site := newChurnSite(t, 300*time.Millisecond, 120*time.Millisecond)
	hook := newHookReceiver(t)
	port := freePort(t)
	cfg := churnConfig(t, site, hook, targets, fmt.Sprintf("127.0.0.1:%d", port))
	var logs syncBuffer
	p := monitordProcess(t, &logs, "run", "-config", cfg)
	defer func() {
		_ = p.Process.Signal(syscall.SIGTERM)
		_ = p.Wait()
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the daemon's API never answered:\n%s", logs.String())
		}
	}
	backups, during := 0, 0
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		acked := hook.acknowledged()
		copyPath := filepath.Join(t.TempDir(), "copy.db")
		code, _, errs := cli(t, nil, "backup", "-config", cfg, "-v", copyPath)
		if code != exitOK || !strings.Contains(errs, "monitord backup: 데몬 http://127.0.0.1:") {
			t.Fatalf("backup %d while running: exit %d\n%s\n%s", backups, code, errs, logs.String())
		}
		st := verifyStore(t, copyPath, fmt.Sprintf("backup %d", backups))
		stored := storedVersions(t, st)
		st.Close()
		for v := range acked {
			if !stored[v] {
				t.Fatalf("backup %d lacks version %s, announced before it began", backups, v)
			}
		}
		backups++
		if len(acked) < targets {
			during++
		}
		if len(acked) >= targets && backups >= 3 {
			break
		}
	}
	t.Logf("%d backups verified, %d of them taken while the first pass over %d targets ran", backups, during, targets)
	if n := len(hook.acknowledged()); n < targets {
		t.Fatalf("only %d of %d targets were announced within a minute:\n%s", n, targets, logs.String())
	}
	if during == 0 {
		t.Fatal("no backup was taken while the daemon was checking")
	}
	// verify on the running daemon's store verifies a copy taken the same way.
	if code, out, errs := cli(t, nil, "verify", "-config", cfg); code != exitOK || !strings.Contains(out, "(데몬 http://127.0.0.1:") || !strings.Contains(out, "에서 받은 일관된 사본)") {
		t.Fatalf("verify while running: exit %d\n%s%s", code, out, errs)
	}
}

// With [server] listen = "" a backup while the daemon holds the store says
// that the daemon serves no API.
func TestBackupWhileRunningWithoutAPI(t *testing.T) {
	site := newChurnSite(t, time.Hour, time.Millisecond)
	hook := newHookReceiver(t)
	cfg := churnConfig(t, site, hook, 1, "")
	holder := exec.Command(os.Args[0], "-test.run=^$")
	holder.Env = append(os.Environ(), "MONITORD_TEST_HOLD="+filepath.Join(filepath.Dir(cfg), "m.db"))
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); holder.Wait() }()
	buf := make([]byte, 5)
	if _, err := io.ReadFull(out, buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("holder: %q %v", buf, err)
	}
	code, _, errs := cli(t, nil, "backup", "-config", cfg, filepath.Join(t.TempDir(), "copy.db"))
	if code != exitFailure || !strings.Contains(errs, `[server] listen is ""`) {
		t.Fatalf("backup with listen = \"\": exit %d\n%s", code, errs)
	}
}
