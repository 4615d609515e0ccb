package monitor

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/snapshot"
)

// busyPoll is how often an on-demand check looks whether a scheduled check
// of the same target has finished.
const busyPoll = 50 * time.Millisecond

// OnDemand runs the checks a user asks a running daemon for (`monitord
// check` while `monitord run` holds the store; POST /api/check). They go
// through the daemon's own checker, store and delivery loop, and never run
// at the same time as a scheduled check of the same target.
type OnDemand struct {
	d  *Daemon
	wg sync.WaitGroup
}

// NewOnDemand returns the on-demand checks of d. Call Wait before d.Close.
func NewOnDemand(d *Daemon) *OnDemand { return &OnDemand{d: d} }

// Check checks the target named name now, or every enabled target when
// name is "", at most [fetch] concurrency at a time, and returns the results
// in the order of the configuration. progress, when not nil, is called after
// each check, serialised. An unknown name is an error wrapping
// snapshot.ErrNotFound, before anything runs.
func (o *OnDemand) Check(ctx context.Context, name string, progress func(done, total int, r Result)) ([]Result, error) {
	cfg := o.d.Config()
	targets := cfg.EnabledTargets()
	if name != "" {
		t, ok := cfg.Target(name)
		if !ok {
			return nil, fmt.Errorf("monitor: %w: no target named %q in %s", snapshot.ErrNotFound, name, cfg.File)
		}
		targets = []*config.Target{t}
	}
	o.wg.Add(1)
	defer o.wg.Done()
	s := o.d.Scheduler
	check := func(ctx context.Context, t *config.Target) Result {
		if err := s.acquire(ctx, t.Name); err != nil {
			return Result{Target: t.Name, Status: StatusFailed, Err: err}
		}
		defer s.release(t.Name)
		r := o.d.Checker.Check(ctx, t)
		o.d.checked(r)
		return r
	}
	return checkEach(ctx, targets, cfg.Fetch.Concurrency, check, progress), nil
}

// WaitDelivered wakes the delivery loop and waits, until ctx ends, for
// every delivery due now to be attempted. It returns how many deliveries
// are still pending (retries scheduled for later included), as
// Deliverer.Flush does for a check without the daemon.
func (o *OnDemand) WaitDelivered(ctx context.Context) (int, error) {
	o.d.Deliverer.Wake()
	t := time.NewTicker(busyPoll)
	defer t.Stop()
	for {
		due, err := o.d.Store.Due(time.Now(), 1)
		if err != nil {
			return 0, fmt.Errorf("monitor: read due deliveries: %w", err)
		}
		if len(due) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return o.d.Store.PendingCount()
		case <-t.C:
		}
	}
	return o.d.Store.PendingCount()
}

// Wait returns when no on-demand check is running: the daemon calls it
// after its API server stopped and before it closes the store.
func (o *OnDemand) Wait() { o.wg.Wait() }

// acquire marks a target busy for an on-demand check, waiting while a
// scheduled check of it is queued or running.
func (s *Scheduler) acquire(ctx context.Context, name string) error {
	t := time.NewTicker(busyPoll)
	defer t.Stop()
	for {
		s.mu.Lock()
		if !s.busy[name] {
			s.busy[name] = true
			s.mu.Unlock()
			return nil
		}
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return fmt.Errorf("monitor: wait for the scheduled check of %s: %w", name, ctx.Err())
		case <-t.C:
		}
	}
}

func (s *Scheduler) release(name string) {
	s.mu.Lock()
	delete(s.busy, name)
	s.mu.Unlock()
}
