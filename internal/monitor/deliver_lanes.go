package monitor

import (
	"context"
	"sync"

	"github.com/monitord/monitord/internal/snapshot"
)

// Deliveries of one pass run in parallel, bounded, in lanes: one lane per
// webhook and target, sent one after another in the order the outbox gives
// them (a receiver sees each target's events in order), while lanes run side
// by side. A check cycle that changed a thousand targets is then not held
// up by a thousand round trips in a row.
const (
	// deliverWorkers bounds the deliveries in flight at once.
	deliverWorkers = 8
	// deliverPerWebhook bounds the deliveries in flight to one webhook, so
	// one receiver is not flooded (chat services rate-limit). Until one
	// delivery to it has succeeded in the pass, a webhook gets one at a
	// time: a dead receiver costs one timeout per pass, not several.
	deliverPerWebhook = 4
)

// lanePass is the state of one parallel pass: who is skipped, what was
// attempted, the first store error.
type lanePass struct {
	d     *Deliverer
	mu    sync.Mutex
	freed *sync.Cond // signalled (with mu) when an attempt ends
	hooks map[string]*hookSlots
	n     int
	err   error
}

// hookSlots is one webhook's share of a pass.
type hookSlots struct {
	inflight, limit int
	skip            bool // failed transiently in this pass
}

// sendLanes attempts every delivery of due as Pass describes, in lanes, and
// returns how many it attempted and the first store error.
func (d *Deliverer) sendLanes(ctx context.Context, due []snapshot.PendingDelivery) (int, error) {
	type key struct{ webhook, target string }
	var lanes [][]snapshot.PendingDelivery
	index := map[key]int{}
	for _, p := range due {
		k := key{p.Webhook, p.Event.Target}
		i, ok := index[k]
		if !ok {
			i = len(lanes)
			index[k] = i
			lanes = append(lanes, nil)
		}
		lanes[i] = append(lanes[i], p)
	}
	lp := &lanePass{d: d, hooks: map[string]*hookSlots{}}
	lp.freed = sync.NewCond(&lp.mu)
	for _, p := range due {
		if lp.hooks[p.Webhook] == nil {
			lp.hooks[p.Webhook] = &hookSlots{limit: 1}
		}
	}
	work := make(chan []snapshot.PendingDelivery)
	var wg sync.WaitGroup
	for range min(deliverWorkers, len(lanes)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lane := range work {
				lp.run(ctx, lane)
			}
		}()
	}
	for _, lane := range lanes {
		if lp.stopped(ctx) {
			break
		}
		work <- lane
	}
	close(work)
	wg.Wait()
	return lp.n, lp.err
}

func (lp *lanePass) stopped(ctx context.Context) bool {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	return lp.err != nil || ctx.Err() != nil
}

// run sends one lane in order. It stops at a transient failure of its
// webhook (in this lane or another): the rest waits for the next pass, so
// the lane's order holds and a dead receiver does not hold up the others.
func (lp *lanePass) run(ctx context.Context, lane []snapshot.PendingDelivery) {
	h := lp.hooks[lane[0].Webhook]
	for _, p := range lane {
		if !lp.acquire(ctx, h) {
			return
		}
		retry, err := lp.d.attempt(ctx, p)
		lp.mu.Lock()
		h.inflight--
		lp.n++
		if err != nil && lp.err == nil {
			lp.err = err
		}
		switch {
		case retry:
			h.skip = true
		case err == nil:
			h.limit = deliverPerWebhook
		}
		lp.freed.Broadcast()
		lp.mu.Unlock()
		if err != nil || retry {
			return
		}
	}
}

// acquire waits for a slot of h; false means the lane must stop (store
// error, h skipped, shutdown). Someone is always in flight while it waits,
// and every attempt ends (its context bounds it) with a broadcast.
func (lp *lanePass) acquire(ctx context.Context, h *hookSlots) bool {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	for {
		if lp.err != nil || h.skip || ctx.Err() != nil {
			return false
		}
		if h.inflight < h.limit {
			h.inflight++
			return true
		}
		lp.freed.Wait()
	}
}
