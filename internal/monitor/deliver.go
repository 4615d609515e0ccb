package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/monitord/monitord/internal/notify"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

// deliverBatch is how many due deliveries one pass takes from the outbox.
const deliverBatch = 100

// idlePoll is how long the delivery loop sleeps when nothing is due and
// nobody wakes it (a retry due later is found by the next poll).
const idlePoll = 5 * time.Second

// Deliverer drains the alert outbox: it sends every due delivery to its
// webhook, marks it delivered, or schedules the next attempt with backoff
// until the event expires. Deliveries survive restarts because their state
// lives in the store; the same event keeps its id on every attempt.
type Deliverer struct {
	store   storage.Store
	logger  *slog.Logger
	now     func() time.Time
	expire  time.Duration
	rnd     func() float64
	wake    chan struct{}
	mu      sync.Mutex
	senders map[string]notify.Sender
	// lastErr remembers each webhook's last error so a receiver that is down
	// for a day logs once per kind of failure, not once per attempt.
	lastErr  map[string]string
	lastPass time.Time // end of the latest pass of Run, for readiness
	// claim, when set, takes the due deliveries with a lease so that no
	// other worker on a shared store sends them too.
	claim func(ctx context.Context, now time.Time, limit int) ([]snapshot.PendingDelivery, error)
}

// DelivererOptions configures a Deliverer.
type DelivererOptions struct {
	Store   storage.Store
	Senders map[string]notify.Sender // by webhook name
	Expire  time.Duration            // give up after this age (default 72h)
	Logger  *slog.Logger
	Now     func() time.Time
	// Claim, when set, replaces Store.Due: it takes the due deliveries
	// with a lease (a store that several workers share), so each event is
	// sent by one worker, under its one id.
	Claim func(ctx context.Context, now time.Time, limit int) ([]snapshot.PendingDelivery, error)
}

// NewDeliverer returns a Deliverer.
func NewDeliverer(o DelivererOptions) *Deliverer {
	if o.Expire <= 0 {
		o.Expire = 72 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Deliverer{
		store: o.Store, senders: o.Senders, expire: o.Expire, logger: o.Logger, now: o.Now,
		rnd: rand.Float64, wake: make(chan struct{}, 1), lastErr: map[string]string{}, claim: o.Claim,
	}
}

// SetSenders replaces the webhooks (on a configuration reload).
func (d *Deliverer) SetSenders(s map[string]notify.Sender) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.senders = s
}

// Wake asks the loop to look at the outbox now (after a check stored events).
func (d *Deliverer) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done.
func (d *Deliverer) Run(ctx context.Context) error { return d.run(ctx, nil, holdArriving) }

// run delivers until ctx is done or stop is closed, leaving queued the
// baselines hold says. When stop closes, the pass under way completes (no
// send is cut off) and run returns; ctx cancelled cuts it short.
func (d *Deliverer) run(ctx context.Context, stop <-chan struct{}, hold digestHold) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-stop:
			return nil
		case <-d.wake:
		case <-timer.C:
		}
		if _, err := d.pass(ctx, hold); err != nil && ctx.Err() == nil {
			d.logger.Error("alert delivery pass failed", slog.Any("error", err))
		} else {
			d.mu.Lock()
			d.lastPass = d.now()
			d.mu.Unlock()
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(idlePoll)
	}
}

// Stuck reports why the delivery loop is not keeping up, or nil: it is
// stuck when no pass has completed for much longer than its idle poll
// (a pass hung on a receiver, or failing on the store).
func (d *Deliverer) Stuck(now time.Time) error {
	d.mu.Lock()
	last := d.lastPass
	d.mu.Unlock()
	if last.IsZero() {
		return errors.New("alert delivery has not started")
	}
	if late := now.Sub(last); late > stuckAfter {
		return fmt.Errorf("alert delivery stuck: no pass completed for %s", late.Round(time.Second))
	}
	return nil
}

// stuckAfter is how long without a completed delivery pass makes the
// daemon not ready. A pass sends at most deliverBatch deliveries, each
// bounded by its webhook timeout.
const stuckAfter = 5 * time.Minute

// Flush delivers what is due until nothing is due any more or ctx ends, and
// returns how many deliveries are still pending (retries scheduled later
// included): those stay queued for the next run.
func (d *Deliverer) Flush(ctx context.Context) (pending int, err error) {
	for ctx.Err() == nil {
		n, err := d.Pass(ctx)
		if err != nil {
			return 0, err
		}
		if n == 0 {
			break
		}
	}
	return d.store.PendingCount()
}

// Pass makes one attempt at every delivery due now and returns how many it
// attempted.
//
// The due baselines of chat and e-mail webhooks go out as one digest per
// webhook (deliver_digest.go).
func (d *Deliverer) Pass(ctx context.Context) (int, error) { return d.pass(ctx, holdNone) }

// attempt sends one delivery once and records the result. Errors from the
// receiver are recorded, not returned; only store errors are returned.
// failedTransiently reports a failure that will be retried.
func (d *Deliverer) attempt(ctx context.Context, p snapshot.PendingDelivery) (failedTransiently bool, err error) {
	d.mu.Lock()
	sender, ok := d.senders[p.Webhook]
	d.mu.Unlock()
	now := d.now()
	log := d.logger.With("event", p.EventID, "webhook", p.Webhook, "target", p.Event.Target)
	if !ok {
		msg := fmt.Sprintf("webhook %q is no longer configured; re-add it and run 'monitord alerts retry %s'", p.Webhook, p.EventID)
		log.Warn("alert not deliverable", "reason", msg)
		return false, d.store.MarkAttemptFailed(p.EventID, p.Webhook, now, 0, msg, now, false, true)
	}
	var ev notify.Event
	if err := json.Unmarshal(p.Event.Payload, &ev); err != nil {
		msg := fmt.Sprintf("stored event payload is not valid: %v", err)
		return false, d.store.MarkAttemptFailed(p.EventID, p.Webhook, now, 0, msg, now, false, true)
	}
	retry, err := sender.Send(ctx, ev)
	done := d.now()
	if err == nil {
		d.clearErr(p.Webhook)
		log.Info("alert delivered", "type", p.Event.Type, "attempts", p.Attempts+1)
		return false, d.store.MarkDelivered(p.EventID, p.Webhook, done, 200)
	}
	if ctx.Err() != nil {
		// Shutting down: the attempt did not finish. Leave the delivery due;
		// the next run tries again with the same id.
		return false, nil
	}
	return d.recordFailure(p, log, retry, err, done)
}

// recordFailure records a failed attempt of p at done: the next attempt
// with backoff, or expired, or failed for good (!retry). It reports whether
// the delivery will be retried.
func (d *Deliverer) recordFailure(p snapshot.PendingDelivery, log *slog.Logger, retry bool, err error, done time.Time) (failedTransiently bool, _ error) {
	status := 0
	var se *notify.StatusError
	if errors.As(err, &se) {
		status = se.Code
	}
	var retryAfter time.Duration
	var ra *notify.RetryAfterError
	if errors.As(err, &ra) {
		retryAfter = ra.After
	}
	next := notify.NextAttempt(p.Attempts+1, done, retryAfter, d.rnd)
	// The expiry window starts when the event was created, or when an
	// operator last re-queued it.
	since := p.Event.CreatedAt
	if p.Requeued.After(since) {
		since = p.Requeued
	}
	// Give up only once the window has passed; a retry that would land
	// after it is moved to its end, so the last attempt is made then.
	deadline := since.Add(d.expire)
	expired := retry && !done.Before(deadline)
	if retry && !expired && next.After(deadline) {
		next = deadline
	}
	if d.changedErr(p.Webhook, err.Error()) || !retry || expired {
		log.Warn("alert delivery failed", slog.Any("error", err), "retry", retry && !expired, "next_attempt", next, "expired", expired)
	}
	return retry && !expired, d.store.MarkAttemptFailed(p.EventID, p.Webhook, done, status, err.Error(), next, expired, !retry)
}

func (d *Deliverer) changedErr(webhook, msg string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lastErr[webhook] == msg {
		return false
	}
	d.lastErr[webhook] = msg
	return true
}

func (d *Deliverer) clearErr(webhook string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.lastErr, webhook)
}
