package monitor

import (
	"context"
	"sync"
	"testing"
	"time"
)

// A worker that stored its check but died before completing the lease
// has checked the slot: the worker that takes the target over after the
// lease expired completes it without fetching again.
func TestSharedScheduleDoesNotRepeatAStoredSlot(t *testing.T) {
	sched, _ := sharedSchedule(t)
	cfg := simConfig(t, 1, 2)
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, cfg.Notice.Location)
	clk := &clock{t: t0}
	f := &simFetcher{clk: clk, t0: t0, changeSlot: 99, hits: map[[2]int64]int{}}
	ctx := context.Background()

	// The dead worker: claims, checks (stored), never completes.
	dead := NewScheduler(cfg, SchedulerOptions{Checker: NewChecker(cfg, sched, f, nil, clk.now), Shared: sched, Worker: "dead"})
	if err := dead.syncShared(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	ls, _, err := sched.ClaimTargets(ctx, "dead", clk.now(), time.Minute, 1)
	if err != nil || len(ls) != 1 {
		t.Fatalf("claim: %v %v", ls, err)
	}
	tg, _ := cfg.Target(ls[0].Target)
	if r := dead.checker.Check(ctx, tg); r.Err != nil {
		t.Fatal(r.Err)
	}
	clk.add(2 * time.Minute) // the lease has expired

	var mu sync.Mutex
	var results []Result
	live := NewScheduler(cfg, SchedulerOptions{Checker: NewChecker(cfg, sched, f, nil, clk.now), Shared: sched, Worker: "live",
		ClaimPoll: 5 * time.Millisecond, OnDone: func(r Result) { mu.Lock(); results = append(results, r); mu.Unlock() }})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- live.Run(runCtx) }()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && live.SharedStats().Skipped == 0; {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st := live.SharedStats(); st.Skipped != 1 || st.Claims != 1 {
		t.Fatalf("stats %+v, want the one claim skipped", st)
	}
	if f.total.Load() != 1 || len(results) != 0 {
		t.Fatalf("fetched %d times, %d checks after the take-over; want the dead worker's one fetch only", f.total.Load(), len(results))
	}
	// Completed: next due at the next slot, not again now.
	if ls, _, _ := sched.ClaimTargets(ctx, "x", clk.now(), time.Minute, 1); len(ls) != 0 {
		t.Fatalf("the slot is still due: %+v", ls)
	}
	if ls, _, _ := sched.ClaimTargets(ctx, "x", t0.Add(time.Hour), time.Minute, 1); len(ls) != 1 {
		t.Fatalf("not due at the next slot: %+v", ls)
	}
}
