package monitor

import (
	"context"
	"sync"
	"time"

	"github.com/monitord/monitord/internal/config"
)

// CheckAll checks every given target once, at most workers at a time (the
// fetcher adds its own global and per-host limits), and returns the results
// in the order of targets. progress, when not nil, is called after each check
// from the checking goroutine, serialised.
func CheckAll(ctx context.Context, c *Checker, targets []*config.Target, workers int, progress func(done, total int, r Result)) []Result {
	return checkEach(ctx, targets, workers, c.Check, progress)
}

// CheckOnce is one run of `monitord check`: it checks targets as CheckAll
// does while the delivery loop sends the alerts of the checks that are done,
// then delivers what is still due (the held digests of a first run
// included) until nothing is or wait has passed. pending is how many
// deliveries stay queued for the next run (retries scheduled later
// included).
func (d *Daemon) CheckOnce(ctx context.Context, targets []*config.Target, workers int, wait time.Duration, progress func(done, total int, r Result)) (results []Result, pending int, err error) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	// Sends are not cut by the end of the checks (stop), only by ctx. The
	// baselines of chat and e-mail webhooks wait for the end: one digest
	// lists the whole run.
	wg.Go(func() { _ = d.Deliverer.run(ctx, stop, holdAll) })
	results = checkEach(ctx, targets, workers, d.Checker.Check, func(done, total int, r Result) {
		if r.Events > 0 {
			d.Deliverer.Wake()
		}
		if progress != nil {
			progress(done, total, r)
		}
	})
	close(stop)
	wg.Wait()
	dctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	pending, err = d.Deliverer.Flush(dctx)
	return results, pending, err
}

// checkEach is CheckAll with the check of one target given.
func checkEach(ctx context.Context, targets []*config.Target, workers int, check func(context.Context, *config.Target) Result, progress func(done, total int, r Result)) []Result {
	results := make([]Result, len(targets))
	jobs := make(chan int)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for range max(min(workers, len(targets)), 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r := check(ctx, targets[i])
				results[i] = r
				if progress != nil {
					mu.Lock()
					done++
					progress(done, len(targets), r)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range targets {
		select {
		case jobs <- i:
			continue
		case <-ctx.Done():
		}
		// Cancelled: what was not handed to a worker is reported, not run.
		for j := i; j < len(targets); j++ {
			results[j] = Result{Target: targets[j].Name, Status: StatusFailed, Err: ctx.Err()}
		}
		break
	}
	close(jobs)
	wg.Wait()
	return results
}
