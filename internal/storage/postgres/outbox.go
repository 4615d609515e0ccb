package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/snapshot"
)

// queueEvents checks and completes events (snapshot.PrepareEvents, with
// one query for the ids already taken) and queues their inserts with one
// pending delivery per webhook.
func queueEvents(ctx context.Context, tx pgx.Tx, b *pgx.Batch, target string, at time.Time, evs []snapshot.Event) error {
	if len(evs) == 0 {
		return nil
	}
	ids := make([]string, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	rows, err := tx.Query(ctx, `SELECT id FROM events WHERE id = ANY($1)`, ids)
	if err != nil {
		return fmt.Errorf("look up event ids: %w", err)
	}
	taken, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("look up event ids: %w", err)
	}
	evs, err = snapshot.PrepareEvents(target, at, evs, func(id string) (bool, error) {
		return slices.Contains(taken, id), nil
	})
	if err != nil {
		return err
	}
	for _, e := range evs {
		doc, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("encode event %q: %w", e.ID, err)
		}
		b.Queue(`INSERT INTO events (id, type, target, version, created_ns, doc) VALUES ($1, $2, $3, $4, $5, $6)`,
			e.ID, e.Type, e.Target, int64(e.Version), nanos(e.CreatedAt), string(doc))
		for _, d := range snapshot.NewDeliveries(e) {
			doc, err := json.Marshal(d)
			if err != nil {
				return fmt.Errorf("encode delivery: %w", err)
			}
			b.Queue(`INSERT INTO deliveries (event_id, webhook, state, next_ns, doc) VALUES ($1, $2, $3, $4, $5)`,
				d.EventID, d.Webhook, d.State, nanos(d.NextAttempt), string(doc))
		}
	}
	return nil
}

func updateDeliveryRow(ctx context.Context, tx pgx.Tx, d snapshot.Delivery) error {
	doc, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode delivery: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE deliveries SET state = $3, next_ns = $4, doc = $5 WHERE event_id = $1 AND webhook = $2`,
		d.EventID, d.Webhook, d.State, nanos(d.NextAttempt), string(doc)); err != nil {
		return fmt.Errorf("store delivery of %q to %q: %w", d.EventID, d.Webhook, err)
	}
	return nil
}

// Due returns up to limit pending deliveries whose next attempt is at or
// before now, oldest first (then by event id and webhook, as bbolt's due
// index orders them), each with its event (limit <= 0: no limit).
func (s *Store) Due(now time.Time, limit int) ([]snapshot.PendingDelivery, error) {
	var lim any
	if limit > 0 {
		lim = limit
	}
	var out []snapshot.PendingDelivery
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT d.doc, e.doc FROM deliveries d JOIN events e ON e.id = d.event_id
			WHERE d.state = 'pending' AND d.next_ns <= $1
			ORDER BY d.next_ns, d.event_id, d.webhook LIMIT $2`, nanos(now), lim)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ddoc, edoc []byte
			if err := rows.Scan(&ddoc, &edoc); err != nil {
				return err
			}
			var pd snapshot.PendingDelivery
			if err := json.Unmarshal(ddoc, &pd.Delivery); err != nil {
				return fmt.Errorf("decode delivery: %w", err)
			}
			if err := json.Unmarshal(edoc, &pd.Event); err != nil {
				return fmt.Errorf("decode event %q: %w", pd.EventID, err)
			}
			out = append(out, pd)
		}
		return rows.Err()
	})
	return out, s.wrapRead(err, "due deliveries")
}

// MarkDelivered records a successful delivery; marking a delivered delivery
// again does nothing.
func (s *Store) MarkDelivered(eventID, webhook string, at time.Time, status int) error {
	return s.updateDelivery(eventID, webhook, func(d *snapshot.Delivery) (bool, error) {
		return snapshot.Delivered(d, at, status), nil
	})
}

// MarkAttemptFailed records a failed attempt of a pending delivery (see
// snapshot.Store.MarkAttemptFailed); snapshot.ErrDeliveryState when it is
// no longer pending.
func (s *Store) MarkAttemptFailed(eventID, webhook string, at time.Time, status int, errText string, next time.Time, expired, permanent bool) error {
	return s.updateDelivery(eventID, webhook, func(d *snapshot.Delivery) (bool, error) {
		return snapshot.AttemptFailed(d, at, status, errText, next, expired, permanent)
	})
}

// updateDelivery applies change to one delivery under its row lock.
func (s *Store) updateDelivery(eventID, webhook string, change func(*snapshot.Delivery) (bool, error)) error {
	ctx, cancel := s.readCtx()
	defer cancel()
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var doc []byte
		err := tx.QueryRow(ctx, `SELECT doc FROM deliveries WHERE event_id = $1 AND webhook = $2 FOR UPDATE`, eventID, webhook).Scan(&doc)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: delivery of event %q to webhook %q", snapshot.ErrNotFound, eventID, webhook)
		}
		if err != nil {
			return err
		}
		var d snapshot.Delivery
		if err := json.Unmarshal(doc, &d); err != nil {
			return fmt.Errorf("decode delivery of %q to %q: %w", eventID, webhook, err)
		}
		if changed, err := change(&d); err != nil || !changed {
			return err
		}
		return updateDeliveryRow(ctx, tx, d)
	})
	if err != nil && !errors.Is(err, snapshot.ErrNotFound) && !errors.Is(err, snapshot.ErrDeliveryState) {
		return fmt.Errorf("postgres: update delivery of event %q to webhook %q: %w", eventID, webhook, err)
	}
	return err
}

// Requeue makes the expired and failed deliveries of an event pending
// again, due at now, attempts reset; snapshot.ErrDeliveryState when none was.
func (s *Store) Requeue(eventID string, now time.Time) error {
	ctx, cancel := s.readCtx()
	defer cancel()
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM events WHERE id = $1`, eventID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: event %q", snapshot.ErrNotFound, eventID)
		}
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT doc FROM deliveries WHERE event_id = $1 ORDER BY webhook FOR UPDATE`, eventID)
		if err != nil {
			return err
		}
		ds, err := collectDocs[snapshot.Delivery](rows, "delivery")
		if err != nil {
			return err
		}
		n := 0
		for _, d := range ds {
			if !snapshot.Requeued(&d, now) {
				continue
			}
			if err := updateDeliveryRow(ctx, tx, d); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return snapshot.ErrNothingToRequeue(eventID)
		}
		return nil
	})
	if err != nil && !errors.Is(err, snapshot.ErrNotFound) && !errors.Is(err, snapshot.ErrDeliveryState) {
		return fmt.Errorf("postgres: requeue event %q: %w", eventID, err)
	}
	return err
}

// PendingCount returns how many deliveries are pending.
func (s *Store) PendingCount() (int, error) {
	ctx, cancel := s.readCtx()
	defer cancel()
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM deliveries WHERE state = 'pending'`).Scan(&n)
	return n, s.wrapRead(err, "pending count")
}

// Event returns one event with its deliveries, or snapshot.ErrNotFound.
func (s *Store) Event(id string) (snapshot.EventWithDeliveries, error) {
	var out snapshot.EventWithDeliveries
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		var doc []byte
		err := tx.QueryRow(ctx, `SELECT doc FROM events WHERE id = $1`, id).Scan(&doc)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: event %q", snapshot.ErrNotFound, id)
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(doc, &out.Event); err != nil {
			return fmt.Errorf("decode event %q: %w", id, err)
		}
		ds, err := deliveriesOf(ctx, tx, []string{id})
		out.Deliveries = ds[id]
		return err
	})
	return out, s.wrapRead(err, "event %q", id)
}

// deliveriesOf returns the deliveries of the events, by event id, each in
// webhook order.
func deliveriesOf(ctx context.Context, tx pgx.Tx, ids []string) (map[string][]snapshot.Delivery, error) {
	out := map[string][]snapshot.Delivery{}
	rows, err := tx.Query(ctx, `SELECT doc FROM deliveries WHERE event_id = ANY($1) ORDER BY event_id, webhook`, ids)
	if err != nil {
		return nil, err
	}
	ds, err := collectDocs[snapshot.Delivery](rows, "delivery")
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		out[d.EventID] = append(out[d.EventID], d)
	}
	return out, nil
}

// Events returns the events that match filter, newest first.
func (s *Store) Events(filter snapshot.EventFilter) ([]snapshot.EventWithDeliveries, error) {
	var lim any
	if filter.Limit > 0 {
		lim = filter.Limit
	}
	var out []snapshot.EventWithDeliveries
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT e.doc FROM events e
			WHERE ($1 = '' OR e.target = $1) AND ($2 = '' OR e.type = $2)
			  AND ($3 = '' OR EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.state = $3))
			ORDER BY e.created_ns DESC, e.id DESC LIMIT $4`, filter.Target, filter.Type, filter.State, lim)
		if err != nil {
			return err
		}
		evs, err := collectDocs[snapshot.Event](rows, "event")
		if err != nil {
			return err
		}
		ids := make([]string, len(evs))
		for i, e := range evs {
			ids[i] = e.ID
		}
		ds, err := deliveriesOf(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, e := range evs {
			out = append(out, snapshot.EventWithDeliveries{Event: e, Deliveries: ds[e.ID]})
		}
		return nil
	})
	return out, s.wrapRead(err, "events")
}

// EventCounts returns how many deliveries there are by event type and
// state; an event routed to no webhook counts once under
// snapshot.StateNone. (bbolt keeps counters; here it is one aggregate over
// the deliveries' state index, so that no row is updated by every writer.)
func (s *Store) EventCounts() (map[snapshot.EventKey]int, error) {
	out := map[snapshot.EventKey]int{}
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT e.type, d.state, count(*) FROM deliveries d JOIN events e ON e.id = d.event_id GROUP BY 1, 2
			UNION ALL
			SELECT e.type, $1, count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) GROUP BY 1`,
			snapshot.StateNone)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k snapshot.EventKey
			var n int
			if err := rows.Scan(&k.Type, &k.State, &n); err != nil {
				return err
			}
			if n != 0 {
				out[k] += n
			}
		}
		return rows.Err()
	})
	return out, s.wrapRead(err, "event counts")
}
