package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/monitord/monitord/internal/notify"
	"github.com/monitord/monitord/internal/snapshot"
)

// First snapshots go to chat and e-mail webhooks as one digest: a first run
// over thirty targets posts one message listing them, not thirty. The
// grouping happens here, at send time, and nowhere else: each event keeps
// its own id and its own delivery in the outbox, a digest is one attempt at
// each of its deliveries, and its result is recorded on every one of them
// exactly as a single attempt's would be (delivered; or failed with the same
// backoff, expiry and permanence). A crash between the post and the marks
// re-sends the digest, as it would re-send a single event: at least once,
// never lost. JSON webhooks are not Digesters and keep one POST per event.
const (
	// digestQuiet: while baselines keep arriving (a first run is still
	// checking), the daemon's loop waits until none came for this long...
	digestQuiet = 10 * time.Second
	// digestMaxWait: ...but never holds the oldest for longer than this.
	digestMaxWait = 2 * time.Minute
	// digestMax bounds the events of one digest message.
	digestMax = 50
)

// digest is the due baselines of one webhook that go out as one message.
type digest struct {
	webhook string
	sender  notify.Digester
	items   []snapshot.PendingDelivery
}

// digestHold says which due baselines of Digester webhooks a pass leaves
// queued.
type digestHold int

const (
	holdNone     digestHold = iota // send them all (Flush, Pass)
	holdArriving                   // keep them while more may come (the daemon's loop: see digestQuiet)
	holdAll                        // keep them all (while `monitord check` is still checking)
)

// takeDigests takes the due baselines of Digester webhooks out of due and
// groups them per webhook (at most digestMax each). The baselines hold
// keeps queued are neither in the digests nor in the rest.
func (d *Deliverer) takeDigests(due []snapshot.PendingDelivery, now time.Time, hold digestHold) (digests []digest, rest []snapshot.PendingDelivery) {
	d.mu.Lock()
	senders := d.senders
	d.mu.Unlock()
	byHook := map[string]*digest{}
	var order []string
	for _, p := range due {
		ds, ok := senders[p.Webhook].(notify.Digester)
		if !ok || p.Event.Type != notify.TypeBaseline {
			rest = append(rest, p)
			continue
		}
		g := byHook[p.Webhook]
		if g == nil {
			g = &digest{webhook: p.Webhook, sender: ds}
			byHook[p.Webhook] = g
			order = append(order, p.Webhook)
		}
		g.items = append(g.items, p)
	}
	for _, w := range order {
		g := byHook[w]
		if hold == holdAll || hold == holdArriving && stillArriving(g.items, now) {
			continue
		}
		for chunk := range slices.Chunk(g.items, digestMax) {
			digests = append(digests, digest{webhook: g.webhook, sender: g.sender, items: chunk})
		}
	}
	return digests, rest
}

// stillArriving reports whether baselines came in the last digestQuiet and
// the oldest has waited less than digestMaxWait.
func stillArriving(items []snapshot.PendingDelivery, now time.Time) bool {
	oldest, newest := items[0].Event.CreatedAt, items[0].Event.CreatedAt
	for _, p := range items[1:] {
		oldest, newest = minTime(oldest, p.Event.CreatedAt), maxTime(newest, p.Event.CreatedAt)
	}
	return now.Sub(newest) < digestQuiet && now.Sub(oldest) < digestMaxWait
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// sendDigest makes one attempt at every delivery of g: a single Send when
// it holds one event, else one SendDigest. It reports a transient failure
// (the webhook is skipped for the rest of the pass) and store errors.
func (d *Deliverer) sendDigest(ctx context.Context, g digest) (failedTransiently bool, err error) {
	if len(g.items) == 1 {
		return d.attempt(ctx, g.items[0])
	}
	evs := make([]notify.Event, 0, len(g.items))
	items := make([]snapshot.PendingDelivery, 0, len(g.items))
	for _, p := range g.items {
		var ev notify.Event
		if err := json.Unmarshal(p.Event.Payload, &ev); err != nil {
			if _, err := d.attempt(ctx, p); err != nil { // records the bad payload for good
				return false, err
			}
			continue
		}
		evs, items = append(evs, ev), append(items, p)
	}
	if len(items) == 0 {
		return false, nil
	}
	retry, sendErr := g.sender.SendDigest(ctx, evs)
	done := d.now()
	if sendErr == nil {
		d.clearErr(g.webhook)
		d.logger.Info("alert digest delivered", "webhook", g.webhook, "events", len(items))
		for _, p := range items {
			if err := d.store.MarkDelivered(p.EventID, p.Webhook, done, 200); err != nil {
				return false, fmt.Errorf("monitor: record digest delivery: %w", err)
			}
		}
		return false, nil
	}
	if ctx.Err() != nil {
		return false, nil // shutting down: left due, sent again next run
	}
	transient := false
	for _, p := range items {
		log := d.logger.With("event", p.EventID, "webhook", p.Webhook, "target", p.Event.Target, "digest", len(items))
		t, err := d.recordFailure(p, log, retry, sendErr, done)
		if err != nil {
			return false, err
		}
		transient = transient || t
	}
	return transient, nil
}

// pass is Pass; with hold (the daemon's loop) baselines for digests wait
// while a first run is still storing them.
func (d *Deliverer) pass(ctx context.Context, hold digestHold) (int, error) {
	now := d.now()
	var due []snapshot.PendingDelivery
	var err error
	if d.claim != nil {
		due, err = d.claim(ctx, now, deliverBatch)
	} else {
		due, err = d.store.Due(now, deliverBatch)
	}
	if err != nil {
		return 0, fmt.Errorf("monitor: read due deliveries: %w", err)
	}
	digests, rest := d.takeDigests(due, now, hold)
	attempted := 0
	skip := map[string]bool{}
	for _, g := range digests {
		if ctx.Err() != nil {
			return attempted, nil
		}
		if skip[g.webhook] {
			continue
		}
		transient, err := d.sendDigest(ctx, g)
		attempted += len(g.items)
		if err != nil {
			return attempted, err
		}
		skip[g.webhook] = transient
	}
	if len(skip) > 0 {
		// A webhook that just failed transiently is not tried again in
		// this pass, as Pass promises.
		rest = slices.DeleteFunc(rest, func(p snapshot.PendingDelivery) bool { return skip[p.Webhook] })
	}
	// A webhook whose attempt failed transiently (down, timing out) is not
	// tried again in this pass: its other deliveries wait for the next one,
	// so one dead receiver cannot hold up the others for its timeout per
	// delivery. Deliveries go out in parallel lanes (deliver_lanes.go).
	n, err := d.sendLanes(ctx, rest)
	return attempted + n, err
}
