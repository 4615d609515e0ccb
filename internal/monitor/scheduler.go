package monitor

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/lease"
	"github.com/monitord/monitord/internal/snapshot"
)

// DefaultDrainTimeout is how long in-flight checks may run after shutdown
// begins before their context is cancelled.
const DefaultDrainTimeout = 20 * time.Second

// Scheduler runs checks on the targets' cron schedules. Cron jobs only
// enqueue a target's name; a fixed pool of workers does the work, so slow
// sites cannot pile up goroutines. A target that is queued or running is not
// queued again: it never runs twice at once.
type Scheduler struct {
	checker *Checker
	logger  *slog.Logger
	drain   time.Duration
	onDone  func(Result) // called after each check (metrics, delivery wake-up); may be nil
	onStart func()       // called once the schedule runs; may be nil

	mu      sync.Mutex
	cfg     *config.Config
	cron    *cron.Cron
	busy    map[string]bool // queued or running
	pending []string        // queued, in order; never bounded, so no target is dropped
	wake    chan struct{}   // a token: pending may be non-empty
	running bool

	// shared, when set, replaces the cron in memory by a schedule that
	// several workers share (scheduler_shared.go).
	shared *sharedState
}

// SchedulerOptions configures a Scheduler.
type SchedulerOptions struct {
	Checker      *Checker
	Logger       *slog.Logger
	DrainTimeout time.Duration // default DefaultDrainTimeout
	OnDone       func(Result)
	// OnStart is called once every target is scheduled and the workers run
	// (readiness).
	OnStart func()

	// Shared, when set, is the schedule that every worker on a shared
	// store uses (PostgreSQL): targets are claimed from it with leases
	// instead of being scheduled by a cron in this process.
	Shared lease.Schedule
	// Worker names this process in the shared schedule (default WorkerID).
	Worker string
	// Lease is how long a claim holds without a heartbeat (default
	// DefaultLease); ClaimPoll how often an idle worker looks for due
	// targets (default DefaultClaimPoll).
	Lease     time.Duration
	ClaimPoll time.Duration
}

// NewScheduler returns a Scheduler for cfg; Run starts it.
func NewScheduler(cfg *config.Config, o SchedulerOptions) *Scheduler {
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = DefaultDrainTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Scheduler{
		checker: o.Checker, logger: o.Logger, drain: o.DrainTimeout, onDone: o.OnDone, onStart: o.OnStart,
		cfg: cfg, busy: map[string]bool{}, wake: make(chan struct{}, 1),
	}
	if o.Shared != nil {
		sh := &sharedState{sched: o.Shared, worker: o.Worker, ttl: o.Lease, poll: o.ClaimPoll}
		if sh.worker == "" {
			sh.worker = WorkerID()
		}
		if sh.ttl <= 0 {
			sh.ttl = DefaultLease
		}
		if sh.poll <= 0 {
			sh.poll = DefaultClaimPoll
		}
		s.shared = sh
	}
	return s
}

// Running reports whether the scheduler has started and not yet stopped.
func (s *Scheduler) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running
}

// Run schedules every enabled target and blocks until ctx is done. Then it
// stops the cron, lets in-flight checks finish (cancelling them after the
// drain timeout) and returns. Queued checks that have not started are dropped:
// they run at their next schedule.
func (s *Scheduler) Run(ctx context.Context) error {
	if s.shared != nil {
		return s.runShared(ctx)
	}
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()

	s.mu.Lock()
	cfg := s.cfg
	c, err := s.buildCron(ctx, cfg)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	s.cron = c
	s.running = true
	workers := max(cfg.Fetch.Concurrency, 1)
	s.mu.Unlock()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work(ctx, workCtx)
		}()
	}
	c.Start()
	s.logger.Info("scheduler started", "targets", len(cfg.Targets), "workers", workers)
	s.catchUp(cfg)
	if s.onStart != nil {
		s.onStart()
	}

	<-ctx.Done()
	s.logger.Info("scheduler stopping: waiting for checks in flight", "deadline", s.drain)
	s.mu.Lock()
	s.running = false
	cur := s.cron
	s.mu.Unlock()
	// Stop prevents new runs; its context ends when running cron jobs (which
	// only wait out their jitter and enqueue) have returned.
	<-cur.Stop().Done()

	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	timer := time.NewTimer(s.drain)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		s.logger.Warn("drain deadline passed: cancelling checks in flight")
		cancelWork()
		<-done
	}
	s.logger.Info("scheduler stopped")
	return nil
}

// Reload replaces the configuration: targets added, removed or rescheduled
// take effect at once, without a restart. The worker count stays as started.
func (s *Scheduler) Reload(ctx context.Context, cfg *config.Config) error {
	if s.shared != nil {
		// Every worker syncs the same configuration: idempotent. New
		// targets are due at once, removed ones leave the schedule.
		if err := s.syncShared(ctx, cfg); err != nil {
			return err
		}
		s.mu.Lock()
		s.cfg = cfg
		s.mu.Unlock()
		s.logger.Info("shared schedule reloaded", "targets", len(cfg.Targets))
		s.signal()
		return nil
	}
	running, err := s.swap(ctx, cfg)
	if err != nil {
		return err
	}
	if running {
		s.logger.Info("schedule reloaded", "targets", len(cfg.Targets))
		s.catchUp(cfg) // new targets are checked now, not at their first tick
	}
	return nil
}

// swap installs cfg and, when running, a cron built from it.
func (s *Scheduler) swap(ctx context.Context, cfg *config.Config) (running bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		s.cfg = cfg
		return false, nil
	}
	c, err := s.buildCron(ctx, cfg)
	if err != nil {
		return false, err
	}
	old := s.cron
	s.cfg, s.cron = cfg, c
	c.Start()
	// The old cron's jobs that are waiting out their jitter end with ctx or
	// enqueue as usual; nothing needs to wait for them here.
	old.Stop()
	return true, nil
}

func (s *Scheduler) buildCron(ctx context.Context, cfg *config.Config) (*cron.Cron, error) {
	logger := cronLogger{s.logger}
	c := cron.New(
		cron.WithLocation(cfg.Notice.Location),
		cron.WithParser(config.CronParser()),
		cron.WithChain(cron.Recover(logger)),
		cron.WithLogger(logger),
	)
	for i := range cfg.Targets {
		t := &cfg.Targets[i]
		if !t.Enabled {
			continue
		}
		name := t.Name
		delay := jitter(name, cfg.Schedule.Jitter)
		spec := t.Schedule(cfg)
		if _, err := c.AddFunc(spec, func() { s.enqueueAfter(ctx, name, delay) }); err != nil {
			return nil, fmt.Errorf("monitor: schedule target %q with %q: %w", name, spec, err)
		}
	}
	return c, nil
}

// catchUp queues, now, every enabled target that was never checked or
// missed a scheduled run (its schedule's next run after its last check is
// already past): a daemon that starts, or was down over a tick, does not
// wait hours for the next one. The worker pool and the fetcher's limits
// keep the burst polite.
func (s *Scheduler) catchUp(cfg *config.Config) {
	now := s.checker.now()
	queued := 0
	for _, t := range cfg.EnabledTargets() {
		sched, err := config.ParseSchedule(t.Schedule(cfg))
		if err != nil {
			continue // validated with the config; cannot happen
		}
		st, err := s.checker.store.Target(t.Name)
		switch {
		case errors.Is(err, snapshot.ErrNotFound):
		case err != nil:
			s.logger.Warn("catch-up: cannot read target state", "target", t.Name, slog.Any("error", err))
			continue
		case !sched.Next(st.LastCheck.In(cfg.Notice.Location)).Before(now):
			// Next in the zone the cron runs in: "0 9 * * *" is 09:00 KST.
			continue
		}
		if s.Enqueue(t.Name) {
			queued++
		}
	}
	if queued > 0 {
		s.logger.Info("catching up: checking targets that were never checked or missed a run", "targets", queued)
	}
}

// enqueueAfter waits out the target's jitter (a cron job goroutine, owned and
// drained by the cron), then queues the target unless it is already busy.
func (s *Scheduler) enqueueAfter(ctx context.Context, name string, delay time.Duration) {
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
	s.Enqueue(name)
}

// Enqueue queues a check of the named target now. It reports false when the
// target is already queued or running, or the scheduler is not running, or
// the schedule is shared (the shared schedule says what is due).
func (s *Scheduler) Enqueue(name string) bool {
	s.mu.Lock()
	if !s.running || s.busy[name] || s.shared != nil {
		s.mu.Unlock()
		return false
	}
	s.busy[name] = true
	s.pending = append(s.pending, name)
	s.mu.Unlock()
	s.signal()
	return true
}

// signal hands the wake token to one idle worker.
func (s *Scheduler) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// next takes the oldest queued target; a worker that takes one while more
// wait passes the wake token on, so idle workers do not sleep on a queue.
func (s *Scheduler) next() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return "", false
	}
	name := s.pending[0]
	s.pending = s.pending[1:]
	if len(s.pending) > 0 {
		s.signal()
	}
	return name, true
}

func (s *Scheduler) work(ctx, workCtx context.Context) {
	for {
		if ctx.Err() != nil {
			return // stopping: what is still queued runs at its next tick
		}
		name, ok := s.next()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-s.wake:
			}
			continue
		}
		s.runOne(workCtx, name)
	}
}

func (s *Scheduler) runOne(ctx context.Context, name string) {
	defer func() {
		s.mu.Lock()
		delete(s.busy, name)
		s.mu.Unlock()
	}()
	s.mu.Lock()
	t, ok := s.cfg.Target(name)
	s.mu.Unlock()
	if !ok {
		return // removed by a reload while queued
	}
	res := s.checker.Check(ctx, t)
	if s.onDone != nil {
		s.onDone(res)
	}
}

// jitter spreads targets that share a schedule over [0, max): the same
// target always gets the same offset, so its checks stay evenly spaced.
func jitter(name string, limit time.Duration) time.Duration {
	if limit <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return time.Duration(h.Sum64() % uint64(limit))
}

// cronLogger adapts slog to cron.Logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, slog.Any("error", err))...)
}
