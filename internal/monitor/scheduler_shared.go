package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/lease"
	"github.com/monitord/monitord/internal/snapshot"
)

// Defaults of the shared schedule (a store that several workers share).
const (
	// DefaultLease is how long a claimed target or delivery stays with its
	// worker without a heartbeat: a worker that dies loses its targets to
	// the others after at most this long ([storage] lease).
	DefaultLease = config.DefaultLease
	// DefaultClaimPoll is how often an idle worker asks the shared
	// schedule for due targets ([storage] claim_poll).
	DefaultClaimPoll = config.DefaultClaimPoll
)

// SharedStats counts what one worker did with the shared schedule.
type SharedStats struct {
	Claims    int64 // leases taken
	Conflicts int64 // due targets another worker was claiming at the same moment
	Skipped   int64 // leases whose slot a dead worker had already checked
	Lost      int64 // leases lost to another worker before completing
	Released  int64 // leases given back unchecked at shutdown
}

// sharedState is the Scheduler's state when the schedule is shared.
type sharedState struct {
	sched  lease.Schedule
	worker string
	ttl    time.Duration
	poll   time.Duration
	stats  struct{ claims, conflicts, skipped, lost, released atomic.Int64 }

	errMu   sync.Mutex
	lastErr string
}

// WorkerID names this process among the workers: host, pid and start.
func WorkerID() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "monitord"
	}
	return host + "/" + strconv.Itoa(os.Getpid()) + "/" + strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
}

// SharedStats returns the counts of the shared schedule (zero when the
// schedule is local).
func (s *Scheduler) SharedStats() SharedStats {
	if s.shared == nil {
		return SharedStats{}
	}
	st := &s.shared.stats
	return SharedStats{Claims: st.claims.Load(), Conflicts: st.conflicts.Load(), Skipped: st.skipped.Load(),
		Lost: st.lost.Load(), Released: st.released.Load()}
}

// now is the checker's clock (a fake one in tests and the simulation).
func (s *Scheduler) now() time.Time { return s.checker.now() }

// slotAfter is the first due time strictly after t: the schedule's next
// run after t-jitter, plus the target's jitter. Cron runs in loc.
func slotAfter(sched cron.Schedule, jit time.Duration, t time.Time, loc *time.Location) time.Time {
	return sched.Next(t.Add(-jit).In(loc)).Add(jit)
}

// sharedTargets is cfg's enabled targets as the shared schedule holds them,
// each with the due time it gets if the schedule does not know it yet:
// now when it was never checked or missed a run (catch-up), else its next
// slot.
func (s *Scheduler) sharedTargets(cfg *config.Config) []lease.Target {
	now := s.now()
	// One read of every state, not one a target: there may be 100,000.
	states := map[string]snapshot.TargetState{}
	all, err := s.checker.store.Targets()
	if err != nil {
		s.logger.Warn("shared schedule: cannot read the targets' states; new ones are due now", slog.Any("error", err))
	}
	for _, st := range all {
		states[st.Name] = st
	}
	var out []lease.Target
	for _, t := range cfg.EnabledTargets() {
		spec := t.Schedule(cfg)
		sched, err := config.ParseSchedule(spec)
		if err != nil {
			continue // validated with the config; cannot happen
		}
		first := now
		if st, ok := states[t.Name]; ok && !st.LastCheck.IsZero() &&
			!sched.Next(st.LastCheck.In(cfg.Notice.Location)).Before(now) {
			first = slotAfter(sched, jitter(t.Name, cfg.Schedule.Jitter), now, cfg.Notice.Location)
		}
		out = append(out, lease.Target{Name: t.Name, Spec: spec, FirstDue: first})
	}
	return out
}

func (s *Scheduler) syncShared(ctx context.Context, cfg *config.Config) error {
	if err := s.shared.sched.SyncTargets(ctx, s.sharedTargets(cfg)); err != nil {
		return fmt.Errorf("monitor: sync the targets into the shared schedule: %w", err)
	}
	return nil
}

// runShared is Run on a shared schedule: instead of a cron in memory, one
// loop claims due targets from the store (as many as there are idle check
// slots) and hands each lease to a check of its own; the lease is extended
// while the check runs and completed with the target's next due time.
func (s *Scheduler) runShared(ctx context.Context) error {
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()

	s.mu.Lock()
	cfg := s.cfg
	s.mu.Unlock()
	if err := s.syncShared(ctx, cfg); err != nil {
		return err
	}
	s.mu.Lock()
	s.running = true
	s.mu.Unlock()
	workers := max(cfg.Fetch.Concurrency, 1)
	sh := s.shared
	s.logger.Info("scheduler started on the shared schedule", "targets", len(cfg.EnabledTargets()),
		"workers", workers, "worker", sh.worker, "lease", sh.ttl)
	if s.onStart != nil {
		s.onStart()
	}

	var wg sync.WaitGroup
	var inflight atomic.Int64
	timer := time.NewTimer(0)
	defer timer.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-s.wake:
		case <-timer.C:
		}
		free := workers - int(inflight.Load())
		if free > 0 {
			leases, conflicts, err := sh.sched.ClaimTargets(ctx, sh.worker, s.now(), sh.ttl, free)
			if err != nil {
				if ctx.Err() != nil {
					break loop
				}
				s.sharedErr("cannot claim due targets from the shared schedule; retrying", err)
			} else {
				s.sharedErr("", nil)
			}
			sh.stats.claims.Add(int64(len(leases)))
			sh.stats.conflicts.Add(int64(conflicts))
			for _, l := range leases {
				inflight.Add(1)
				wg.Go(func() {
					defer func() {
						inflight.Add(-1)
						s.signal() // a slot is free: claim again now
					}()
					s.runLease(ctx, workCtx, l)
				})
			}
			if len(leases) == free || conflicts > 0 {
				// More may be due: claim again as soon as a slot frees
				// (or at once, if conflicts hid some).
				if conflicts > 0 {
					s.signal()
				}
			}
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(sh.poll)
	}

	s.logger.Info("scheduler stopping: waiting for checks in flight", "deadline", s.drain)
	s.mu.Lock()
	s.running = false
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	drain := time.NewTimer(s.drain)
	defer drain.Stop()
	select {
	case <-done:
	case <-drain.C:
		s.logger.Warn("drain deadline passed: cancelling checks in flight")
		cancelWork()
		<-done
	}
	s.logger.Info("scheduler stopped")
	return nil
}

// sharedErr logs a failure of the shared schedule once per kind.
func (s *Scheduler) sharedErr(msg string, err error) {
	sh := s.shared
	sh.errMu.Lock()
	defer sh.errMu.Unlock()
	if err == nil {
		if sh.lastErr != "" {
			s.logger.Info("shared schedule answers again")
		}
		sh.lastErr = ""
		return
	}
	if sh.lastErr == err.Error() {
		return
	}
	sh.lastErr = err.Error()
	s.logger.Error(msg, slog.Any("error", err))
}

// runLease checks the leased target once, extending the lease while the
// check runs, then completes the lease with the target's next due time.
func (s *Scheduler) runLease(ctx, workCtx context.Context, l lease.Lease) {
	sh := s.shared
	log := s.logger.With("target", l.Target, "due", l.Due)
	s.mu.Lock()
	cfg := s.cfg
	s.mu.Unlock()
	t, ok := cfg.Target(l.Target)
	if !ok || !t.Enabled {
		// Another worker synced a configuration that has it, this one's
		// has not (a rolling reload): leave it to a worker that knows it.
		if err := sh.sched.ReleaseLease(workCtx, l); err != nil {
			log.Warn("cannot give back a lease", slog.Any("error", err))
		}
		return
	}
	if ctx.Err() != nil {
		sh.stats.released.Add(1)
		if err := sh.sched.ReleaseLease(workCtx, l); err != nil {
			log.Warn("cannot give back a lease at shutdown", slog.Any("error", err))
		}
		return
	}
	spec := t.Schedule(cfg)
	sched, err := config.ParseSchedule(spec)
	if err != nil {
		return // validated with the config; cannot happen
	}
	next := func() time.Time {
		return slotAfter(sched, jitter(t.Name, cfg.Schedule.Jitter), s.now(), cfg.Notice.Location)
	}

	// A worker that died after storing its check but before completing the
	// lease has checked this slot already: do not check it twice.
	if st, err := s.checker.store.Target(l.Target); err == nil && !st.LastCheck.Before(l.Due) {
		sh.stats.skipped.Add(1)
		log.Info("slot already checked by a worker that stopped before completing it", "last_check", st.LastCheck)
		s.complete(workCtx, l, next(), log)
		return
	}

	if !s.markBusy(l.Target, workCtx) {
		return // the context ended while an on-demand check of it ran
	}
	checkCtx, cancelCheck := context.WithCancel(workCtx)
	hbDone := make(chan struct{})
	var lost atomic.Bool
	go func() { // owner: runLease; ends with the check
		defer close(hbDone)
		s.heartbeat(checkCtx, l, &lost, cancelCheck, log)
	}()
	res := s.checker.Check(checkCtx, t)
	cancelCheck()
	<-hbDone
	s.release(l.Target)
	if s.onDone != nil {
		s.onDone(res)
	}
	if lost.Load() {
		return // the check was cut; the new holder checks the slot
	}
	s.complete(workCtx, l, next(), log)
}

// markBusy marks the target busy against on-demand checks, waiting for one
// that runs.
func (s *Scheduler) markBusy(name string, ctx context.Context) bool {
	return s.acquire(ctx, name) == nil
}

func (s *Scheduler) complete(ctx context.Context, l lease.Lease, next time.Time, log *slog.Logger) {
	err := s.shared.sched.CompleteLease(ctx, l, next)
	switch {
	case errors.Is(err, lease.ErrLost):
		s.shared.stats.lost.Add(1)
		log.Warn("lease expired before the check was completed: another worker took the target", "lease", s.shared.ttl)
	case err != nil:
		// The lease expires and another worker checks the slot again; the
		// store's dedupe makes that harmless.
		log.Error("cannot complete the lease in the shared schedule", slog.Any("error", err))
	}
}

// heartbeat extends the lease every third of its time until ctx ends. A
// lease found lost cancels the check: another worker holds the target.
func (s *Scheduler) heartbeat(ctx context.Context, l lease.Lease, lost *atomic.Bool, cancel func(), log *slog.Logger) {
	sh := s.shared
	tick := time.NewTicker(max(sh.ttl/3, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		nl, err := sh.sched.ExtendLease(ctx, l, s.now(), sh.ttl)
		switch {
		case errors.Is(err, lease.ErrLost):
			sh.stats.lost.Add(1)
			lost.Store(true)
			log.Warn("lease lost while checking: cancelling the check; another worker holds the target")
			cancel()
			return
		case err != nil:
			if ctx.Err() == nil {
				log.Warn("cannot extend the lease; retrying", slog.Any("error", err))
			}
		default:
			l = nl
		}
	}
}
