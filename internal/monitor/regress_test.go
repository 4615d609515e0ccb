package monitor

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// Regression tests for defects found in review; each failed before its fix.

func ruleNames(r Result) []string {
	var out []string
	for _, v := range r.Violations {
		out = append(out, v.Rule)
	}
	return out
}

// A reload that adds many targets queues and checks every one of them:
// the queue is not bounded by the target count at start.
func TestReloadedTargetsAreAllChecked(t *testing.T) {
	s := newSite(t)
	s.set("/a", page{body: policyPage("에이", "3년", "2026-10-01", "2026-10-08")})
	targets := map[string]string{"a": s.url("/a")}
	cfgA := testConfig(t, "[schedule]\njitter = \"0s\"\n", targets)
	var mu sync.Mutex
	checked := map[string]int{}
	d, ctx, stop := runDaemon(t, cfgA, func(r Result) { mu.Lock(); checked[r.Target]++; mu.Unlock() })
	for i := range 40 {
		p := fmt.Sprintf("/n%d", i)
		s.set(p, page{body: policyPage(fmt.Sprintf("새%d", i), "3년", "2026-10-01", "2026-10-08"), delay: 20 * time.Millisecond})
		targets[fmt.Sprintf("n%02d", i)] = s.url(p)
	}
	cfgB := testConfig(t, "[schedule]\njitter = \"0s\"\n", targets)
	cfgB.Storage.Path = cfgA.Storage.Path
	if err := d.Reload(ctx, cfgB); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(checked)
		mu.Unlock()
		if n == len(targets) {
			break
		}
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	if len(checked) != len(targets) {
		t.Fatalf("%d of %d targets checked after the reload", len(checked), len(targets))
	}
}

// Targets added by a reload are judged and routed with the new
// configuration (here: a webhook that only the new configuration has).
func TestReloadRoutesNewTargetsWithNewConfig(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	_, hook := newReceiver(t, key, 0)
	s := newSite(t)
	s.set("/a", page{body: policyPage("에이", "3년", "2026-10-01", "2026-10-08")})
	targets := map[string]string{"a": s.url("/a")}
	cfgA := testConfig(t, "[schedule]\njitter = \"0s\"\n", targets)
	var n atomic.Int32
	d, ctx, stop := runDaemon(t, cfgA, func(Result) { n.Add(1) })
	for i := range 8 {
		p := fmt.Sprintf("/n%d", i)
		s.set(p, page{body: policyPage(fmt.Sprintf("새%d", i), "3년", "2026-10-01", "2026-10-08")})
		targets[fmt.Sprintf("n%02d", i)] = s.url(p)
	}
	cfgB := testConfig(t, "[schedule]\njitter = \"0s\"\n"+webhookTOML(hook.URL, key), targets)
	cfgB.Storage.Path = cfgA.Storage.Path
	if err := d.Reload(ctx, cfgB); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && n.Load() < 9; time.Sleep(10 * time.Millisecond) {
	}
	stop()
	evs, err := d.Store.Events(snapshot.EventFilter{Type: "policy.baseline"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Target != "a" && len(e.Webhooks) == 0 {
			t.Errorf("baseline of new target %s was routed with the old configuration", e.Target)
		}
	}
}

// Shutdown drops queued checks: at most the one in flight runs on.
func TestQueuedChecksDoNotStartAfterStop(t *testing.T) {
	s := newSite(t)
	targets := map[string]string{}
	for i := range 20 {
		p := fmt.Sprintf("/q%d", i)
		s.set(p, page{body: policyPage(fmt.Sprintf("큐%d", i), "3년", "2026-10-01", "2026-10-08"), delay: 30 * time.Millisecond})
		targets[fmt.Sprintf("q%02d", i)] = s.url(p)
	}
	cfg := testConfig(t, "[schedule]\njitter = \"0s\"\n", targets)
	cfg.Fetch.Concurrency = 1
	c, _ := newChecker(t, cfg, time.Now)
	for range 5 {
		var ran atomic.Int32
		ctx, cancel := context.WithCancel(context.Background())
		sc := NewScheduler(cfg, SchedulerOptions{Checker: c, OnStart: cancel, OnDone: func(Result) { ran.Add(1) }})
		if err := sc.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if n := ran.Load(); n > 1 {
			t.Fatalf("%d checks ran after the stop (at most the one in flight expected)", n)
		}
	}
}

// Run and Reload do not race on the configuration (run with -race).
func TestRunReloadNoRace(t *testing.T) {
	s := newSite(t)
	s.set("/p", page{body: policyPage("경합", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, "[schedule]\njitter = \"0s\"\n", map[string]string{"r": s.url("/p")})
	cfg2 := testConfig(t, "[schedule]\njitter = \"0s\"\n", map[string]string{"r": s.url("/p")})
	c, _ := newChecker(t, cfg, nil)
	for range 50 {
		sc := NewScheduler(cfg, SchedulerOptions{Checker: c})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- sc.Run(ctx) }()
		for !sc.Running() {
			time.Sleep(time.Millisecond)
		}
		if err := sc.Reload(ctx, cfg2); err != nil {
			t.Fatal(err)
		}
		cancel()
		<-done
	}
}

// Catch-up reads the schedule in the configured zone: "0 9 * * *" is
// 09:00 KST, missed by a daemon down from 19:00 KST to 14:00 KST next day.
func TestCatchUpUsesScheduleZone(t *testing.T) {
	s := newSite(t)
	s.set("/p", page{body: policyPage("시간대", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, "[schedule]\ndefault = \"0 9 * * *\"\njitter = \"0s\"\n", map[string]string{"tz": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)} // 19:00 KST
	c, _ := newChecker(t, cfg, clk.now)
	mustCheck(t, c, cfg, "tz")
	clk.t = time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC) // 14:00 KST next day
	sc := NewScheduler(cfg, SchedulerOptions{Checker: c})
	sc.running = true
	sc.catchUp(cfg)
	if len(sc.pending) != 1 {
		t.Fatal("the missed 09:00 KST run was not caught up")
	}
	// Checked at 08:00 KST the same day: not yet due.
	sc.pending, sc.busy = nil, map[string]bool{}
	clk.t = time.Date(2026, 11, 1, 23, 0, 0, 0, time.UTC) // 08:00 KST 11-02
	mustCheck(t, c, cfg, "tz")
	clk.t = time.Date(2026, 11, 1, 23, 30, 0, 0, time.UTC)
	sc.catchUp(cfg)
	if len(sc.pending) != 0 {
		t.Fatal("a target checked before its 09:00 KST run was caught up early")
	}
}

// A new 개정일 (최종 수정일) alone does not make a substantive change dated:
// it is still undated_change.
func TestRevisedDateAloneIsUndatedChange(t *testing.T) {
	s := newSite(t)
	pg := func(ret, rev string) string {
		p := policyPage("개정", ret, "2026-10-01", "2026-10-08")
		return strings.Replace(p, "<p>시행일자: 2026-10-08</p>", "<p>시행일자: 2026-10-08</p>\n<p>최종 수정일: "+rev+"</p>", 1)
	}
	s.set("/p", page{body: pg("3년", "2026-10-01")})
	cfg := testConfig(t, "", map[string]string{"rev": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, _ := newChecker(t, cfg, clk.now)
	mustCheck(t, c, cfg, "rev")
	clk.add(24 * time.Hour)
	s.set("/p", page{body: pg("10년", "2026-11-03")})
	r := mustCheck(t, c, cfg, "rev")
	if r.Status != StatusChanged || strings.Join(ruleNames(r), ",") != "undated_change" {
		t.Fatalf("check = %s %v, want changed with undated_change", r.Status, ruleNames(r))
	}
}

// A return to an earlier text is not judged again: the check, the stored
// version and the alert agree (no violations).
func TestReturnIsNotJudgedAgain(t *testing.T) {
	s := newSite(t)
	a := policyPage("파도", "3년", "2026-10-01", "2026-10-08")
	b := policyPage("파도", "5년", "2026-11-01", "2026-11-30")
	cfg := testConfig(t, "", map[string]string{"pado": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	var last Result
	for _, body := range []string{a, b, a} {
		s.set("/p", page{body: body})
		last = mustCheck(t, c, cfg, "pado")
		clk.add(time.Hour)
	}
	vs, _ := st.Versions("pado")
	evs := events(t, st, "pado")
	if len(last.Violations) != 0 || vs[2].Meta["violations"] != "" || len(evs[2].Violations) != 0 || evs[2].ReturnOf != "1" {
		t.Fatalf("return: result %v, stored %q, event %d violations (return_of %q)", ruleNames(last), vs[2].Meta["violations"], len(evs[2].Violations), evs[2].ReturnOf)
	}
}

// A policy that really became much shorter is accepted once the same text
// has been found on consecutive checks, and its change is alerted.
func TestShrunkPolicyIsAcceptedWhenItStays(t *testing.T) {
	s := newSite(t)
	long := policyPage("축소", "3년", "2026-10-01", "2026-10-08")
	filler := strings.Repeat("<p>회사는 개인정보를 제3자에게 제공하지 않으며, 위탁 시 수탁자를 공개합니다. 보유 기간이 끝나면 파기합니다.</p>\n", 60)
	long = strings.Replace(long, "<h3>5.", filler+"<h3>5.", 1)
	short := policyPage("축소", "5년", "2026-11-01", "2026-11-30")
	cfg := testConfig(t, "", map[string]string{"shrink": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	s.set("/p", page{body: long})
	mustCheck(t, c, cfg, "shrink")
	s.set("/p", page{body: short})
	var statuses []Status
	for range shrinkConfirmations {
		clk.add(6 * time.Hour)
		statuses = append(statuses, mustCheck(t, c, cfg, "shrink").Status)
	}
	want := []Status{StatusFailed, StatusFailed, StatusChanged}
	if fmt.Sprint(statuses) != fmt.Sprint(want) {
		t.Fatalf("statuses = %v, want %v", statuses, want)
	}
	var types []string
	for _, e := range events(t, st, "shrink") {
		types = append(types, e.Type)
	}
	if strings.Join(types, ",") != "policy.baseline,policy.changed" {
		t.Fatalf("events = %v", types)
	}
	// A shrunken text that does not stay (a glitch) is never accepted.
	s.set("/p", page{body: long})
	clk.add(time.Hour)
	mustCheck(t, c, cfg, "shrink")
	glitch := policyPage("축소", "7년", "2026-11-01", "2026-11-30")
	for i := range 5 {
		s.set("/p", page{body: strings.Replace(glitch, "7년", fmt.Sprintf("%d년", 7+i), 1)})
		clk.add(time.Hour)
		if r := mustCheck(t, c, cfg, "shrink"); r.Status != StatusFailed {
			t.Fatalf("a shrunken text that changes every check was accepted: %+v", r)
		}
	}
}

// One dead webhook is tried once per pass; the others get every delivery.
func TestDeadWebhookDoesNotHoldUpOthers(t *testing.T) {
	keyA := []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	keyB := []byte("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
	dead, deadSrv := newReceiver(t, keyA, 1_000_000)
	ok, okSrv := newReceiver(t, keyB, 0)
	hooks := fmt.Sprintf("[[webhook]]\nname = \"dead\"\nurl = %q\nsecret = %q\n[[webhook]]\nname = \"ok\"\nurl = %q\nsecret = %q\n",
		deadSrv.URL, "whsec_"+b64(keyA), okSrv.URL, "whsec_"+b64(keyB))
	s := newSite(t)
	targets := map[string]string{}
	for i := range 5 {
		p := fmt.Sprintf("/p%d", i)
		s.set(p, page{body: policyPage(fmt.Sprintf("다섯%d", i), "3년", "2026-10-01", "2026-10-08")})
		targets[fmt.Sprintf("t%d", i)] = s.url(p)
	}
	cfg := testConfig(t, hooks, targets)
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	for name := range targets {
		mustCheck(t, c, cfg, name)
	}
	senders, err := Senders(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeliverer(DelivererOptions{Store: st, Senders: senders, Now: clk.now})
	if _, err := d.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := ok.snapshot(); len(got) != 5 {
		t.Fatalf("healthy webhook got %d of 5 events in one pass", len(got))
	}
	dead.mu.Lock()
	n := dead.requests
	dead.mu.Unlock()
	if n != 1 {
		t.Fatalf("dead webhook was tried %d times in one pass, want 1", n)
	}
}

// A re-queued expired event gets a new expiry window: one more failed
// attempt does not expire it again at once.
func TestRequeueRestartsExpiry(t *testing.T) {
	key := []byte("requeue-requeue-requeue-requeue!")
	_, hook := newReceiver(t, key, 1_000_000)
	s := newSite(t)
	s.set("/p", page{body: policyPage("재시도", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, webhookTOML(hook.URL, key)+"[notice]\nexpire = \"72h\"\n", map[string]string{"re": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	mustCheck(t, c, cfg, "re")
	d := deliverUntilSettled(t, cfg, st, clk)
	evs, _ := st.Events(snapshot.EventFilter{State: snapshot.StateExpired})
	if len(evs) != 1 {
		t.Fatalf("expired = %d, want 1", len(evs))
	}
	if err := st.Requeue(evs[0].ID, clk.now()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Pass(context.Background()); err != nil { // still down
		t.Fatal(err)
	}
	if n, _ := st.PendingCount(); n != 1 {
		t.Fatalf("after requeue and one failed attempt pending = %d, want 1 (not expired again)", n)
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// With a short expiry window a delivery is not given up before the window
// has passed (it used to expire after 30 s of a 1 min window, because the
// next retry would have landed past it): the last attempt is made at the
// window's end, and only then does it expire.
func TestShortExpiryLastAttemptAtWindowEnd(t *testing.T) {
	key := []byte("shortexp-shortexp-shortexp-short")
	rcv, hook := newReceiver(t, key, 1_000_000)
	s := newSite(t)
	s.set("/p", page{body: policyPage("짧은만료", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, webhookTOML(hook.URL, key)+"[notice]\nexpire = \"1m\"\n", map[string]string{"short": s.url("/p")})
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	clk := &clock{t: start}
	c, st := newChecker(t, cfg, clk.now)
	mustCheck(t, c, cfg, "short")
	senders, err := Senders(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeliverer(DelivererOptions{Store: st, Senders: senders, Now: clk.now, Expire: cfg.Notice.Expire})
	pass := func() {
		t.Helper()
		if _, err := d.Pass(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	pass() // at 0 s: fails, retried later
	clk.add(30 * time.Second)
	pass()
	if n, _ := st.PendingCount(); n != 1 {
		t.Fatalf("30 s into a 1 min window: pending = %d, want 1 (not expired yet)", n)
	}
	due, err := st.Due(clk.now().Add(time.Hour), 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due = %v, %v", due, err)
	}
	if !due[0].NextAttempt.Equal(start.Add(time.Minute)) {
		t.Fatalf("next attempt at %s, want the window's end %s", due[0].NextAttempt, start.Add(time.Minute))
	}
	before := rcv.requests
	clk.add(30 * time.Second)
	pass() // at 60 s: the last attempt, then expired
	if rcv.requests != before+1 {
		t.Fatalf("attempts at the window's end = %d, want 1", rcv.requests-before)
	}
	if evs, _ := st.Events(snapshot.EventFilter{State: snapshot.StateExpired}); len(evs) != 1 {
		t.Fatalf("expired after the window = %d, want 1", len(evs))
	}
}
