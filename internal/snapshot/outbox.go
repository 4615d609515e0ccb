package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Delivery states.
const (
	StatePending   = "pending"
	StateDelivered = "delivered"
	StateExpired   = "expired" // gave up after the maximum age; kept, visible, re-queueable
	StateFailed    = "failed"  // the receiver refused it for good (4xx); re-queueable
	// StateNone is the EventCounts state of an event routed to no webhook.
	StateNone = "none"
)

// Event is an alert in the outbox. The store treats Payload as opaque JSON.
type Event struct {
	// ID is set by the caller ("evt_" + random or hash) and stays the same
	// on every delivery attempt.
	ID     string `json:"id"`
	Type   string `json:"type"`
	Target string `json:"target"`
	// Version is the version id the event is about, 0 if none.
	Version   uint64    `json:"version,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Payload is the JSON body; it must be valid JSON (or empty).
	Payload json.RawMessage `json:"payload,omitempty"`
	// Webhooks names the webhooks that must receive the event; each gets
	// its own Delivery.
	Webhooks []string `json:"webhooks,omitempty"`
}

// Delivery is the state of one event for one webhook.
type Delivery struct {
	EventID     string    `json:"event_id"`
	Webhook     string    `json:"webhook"`
	State       string    `json:"state"`
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	LastStatus  int       `json:"last_status,omitempty"`
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	// Requeued is when an operator last re-queued the delivery (Requeue):
	// the expiry window starts again there.
	Requeued time.Time `json:"requeued,omitzero"`
}

// PendingDelivery is a due delivery with the event it carries.
type PendingDelivery struct {
	Delivery
	Event Event
}

// EventWithDeliveries is an event and its deliveries, by webhook name.
type EventWithDeliveries struct {
	Event
	Deliveries []Delivery `json:"deliveries"`
}

// EventFilter selects events for Events. Empty fields match everything.
type EventFilter struct {
	Target string
	Type   string
	// State keeps events with at least one delivery in this state.
	State string
	// Limit caps the result (0: no limit).
	Limit int
}

// writeEvents stores events and one pending delivery per webhook, due at
// the event's creation. Target and CreatedAt default to the observation's.
func writeEvents(tx *bolt.Tx, target string, at time.Time, evs []Event) error {
	eb := tx.Bucket(bucketEvents)
	evs, err := PrepareEvents(target, at, evs, func(id string) (bool, error) { return eb.Get([]byte(id)) != nil, nil })
	if err != nil {
		return err
	}
	for _, e := range evs {
		if err := putJSON(eb, []byte(e.ID), e); err != nil {
			return err
		}
		if err := tx.Bucket(bucketEventsByTime).Put(concat(timeKey(e.CreatedAt), []byte(e.ID)), nil); err != nil {
			return err
		}
		if len(e.Webhooks) == 0 {
			if err := bumpCount(tx, e.Type, StateNone, 1); err != nil {
				return err
			}
			continue
		}
		if err := bumpCount(tx, e.Type, StatePending, int64(len(e.Webhooks))); err != nil {
			return err
		}
		db, err := tx.Bucket(bucketDeliveries).CreateBucket([]byte(e.ID))
		if err != nil {
			return fmt.Errorf("deliveries of %q: %w", e.ID, err)
		}
		for _, d := range NewDeliveries(e) {
			if err := putJSON(db, []byte(d.Webhook), d); err != nil {
				return err
			}
			if err := tx.Bucket(bucketDue).Put(dueKey(d), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func dueKey(d Delivery) []byte {
	return concat(timeKey(d.NextAttempt), []byte(d.EventID), []byte{0}, []byte(d.Webhook))
}

func splitDueKey(k []byte) (eventID, webhook string, ok bool) {
	if len(k) < timeKeyLen {
		return "", "", false
	}
	id, hook, ok := bytes.Cut(k[timeKeyLen:], []byte{0})
	return string(id), string(hook), ok
}

func getEvent(tx *bolt.Tx, id string) (Event, error) {
	raw := tx.Bucket(bucketEvents).Get([]byte(id))
	if raw == nil {
		return Event{}, fmt.Errorf("%w: event %q", ErrNotFound, id)
	}
	var e Event
	if err := json.Unmarshal(raw, &e); err != nil {
		return Event{}, fmt.Errorf("decode event %q: %w", id, err)
	}
	e.Payload = bytes.Clone(e.Payload)
	return e, nil
}

func getDelivery(tx *bolt.Tx, eventID, webhook string) (Delivery, error) {
	var raw []byte
	if db := tx.Bucket(bucketDeliveries).Bucket([]byte(eventID)); db != nil {
		raw = db.Get([]byte(webhook))
	}
	if raw == nil {
		return Delivery{}, fmt.Errorf("%w: delivery of event %q to webhook %q", ErrNotFound, eventID, webhook)
	}
	var d Delivery
	if err := json.Unmarshal(raw, &d); err != nil {
		return Delivery{}, fmt.Errorf("decode delivery of %q to %q: %w", eventID, webhook, err)
	}
	return d, nil
}

func putDelivery(tx *bolt.Tx, d Delivery) error {
	return putJSON(tx.Bucket(bucketDeliveries).Bucket([]byte(d.EventID)), []byte(d.Webhook), d)
}

func deliveriesOf(tx *bolt.Tx, eventID string) ([]Delivery, error) {
	db := tx.Bucket(bucketDeliveries).Bucket([]byte(eventID))
	if db == nil {
		return nil, nil
	}
	var out []Delivery
	err := db.ForEach(func(k, v []byte) error {
		var d Delivery
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("decode delivery of %q to %q: %w", eventID, k, err)
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// Due returns up to limit pending deliveries whose next attempt is at or
// before now, oldest first, each with its event (limit <= 0: no limit).
func (s *Store) Due(now time.Time, limit int) ([]PendingDelivery, error) {
	var out []PendingDelivery
	end := timeKey(now)
	err := s.view(func(tx *bolt.Tx) error {
		events := map[string]Event{}
		c := tx.Bucket(bucketDue).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k[:min(len(k), timeKeyLen)], end) <= 0; k, _ = c.Next() {
			if limit > 0 && len(out) >= limit {
				break
			}
			id, hook, ok := splitDueKey(k)
			if !ok {
				return fmt.Errorf("malformed due key %q", k)
			}
			d, err := getDelivery(tx, id, hook)
			if err != nil {
				return err
			}
			e, ok := events[id]
			if !ok {
				if e, err = getEvent(tx, id); err != nil {
					return err
				}
				events[id] = e
			}
			out = append(out, PendingDelivery{Delivery: d, Event: e})
		}
		return nil
	})
	return out, wrapRead(err, "due deliveries")
}

// MarkDelivered records a successful delivery. Marking a delivered delivery
// again does nothing, so a retried call is harmless.
func (s *Store) MarkDelivered(eventID, webhook string, at time.Time, status int) error {
	return s.updateDelivery(eventID, webhook, func(d *Delivery) (bool, error) {
		return Delivered(d, at, status), nil
	})
}

// MarkAttemptFailed records a failed attempt of a pending delivery. The
// delivery stays pending, due at next, unless expired (give up: state
// expired) or permanent (the receiver refused it, e.g. a 4xx: state failed).
// It returns ErrDeliveryState for a delivery that is no longer pending.
func (s *Store) MarkAttemptFailed(eventID, webhook string, at time.Time, status int, errText string, next time.Time, expired, permanent bool) error {
	return s.updateDelivery(eventID, webhook, func(d *Delivery) (bool, error) {
		return AttemptFailed(d, at, status, errText, next, expired, permanent)
	})
}

// updateDelivery applies change to one delivery and keeps the due index in
// step: a pending delivery has exactly one due key, at its NextAttempt.
func (s *Store) updateDelivery(eventID, webhook string, change func(*Delivery) (bool, error)) error {
	err := s.batch(func(tx *bolt.Tx) error {
		d, err := getDelivery(tx, eventID, webhook)
		if err != nil {
			return err
		}
		before := d
		if changed, err := change(&d); err != nil || !changed {
			return err
		}
		return reindex(tx, before, d)
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrDeliveryState) {
		return fmt.Errorf("snapshot: update delivery of event %q to webhook %q: %w", eventID, webhook, err)
	}
	return err
}

func reindex(tx *bolt.Tx, before, after Delivery) error {
	if before.State != after.State {
		v := tx.Bucket(bucketEvents).Get([]byte(after.EventID))
		if v == nil {
			return fmt.Errorf("%w: event %q of a delivery", ErrNotFound, after.EventID)
		}
		typ, err := eventType(v)
		if err != nil {
			return fmt.Errorf("event %q: %w", after.EventID, err)
		}
		if err := bumpCount(tx, typ, before.State, -1); err != nil {
			return err
		}
		if err := bumpCount(tx, typ, after.State, 1); err != nil {
			return err
		}
	}
	due := tx.Bucket(bucketDue)
	if before.State == StatePending {
		if err := due.Delete(dueKey(before)); err != nil {
			return err
		}
	}
	if after.State == StatePending {
		if err := due.Put(dueKey(after), nil); err != nil {
			return err
		}
	}
	return putDelivery(tx, after)
}

// Requeue makes the expired and failed deliveries of an event pending
// again, due at now, with their attempt count reset. It returns
// ErrDeliveryState when none of them was expired or failed.
func (s *Store) Requeue(eventID string, now time.Time) error {
	err := s.batch(func(tx *bolt.Tx) error {
		if _, err := getEvent(tx, eventID); err != nil {
			return err
		}
		ds, err := deliveriesOf(tx, eventID)
		if err != nil {
			return err
		}
		n := 0
		for _, d := range ds {
			before := d
			if !Requeued(&d, now) {
				continue
			}
			if err := reindex(tx, before, d); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return ErrNothingToRequeue(eventID)
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrDeliveryState) {
		return fmt.Errorf("snapshot: requeue event %q: %w", eventID, err)
	}
	return err
}

// PendingCount returns how many deliveries are pending.
func (s *Store) PendingCount() (int, error) {
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketDue).Stats().KeyN
		return nil
	})
	return n, wrapRead(err, "pending count")
}

// Event returns one event with its deliveries, or ErrNotFound.
func (s *Store) Event(id string) (EventWithDeliveries, error) {
	var out EventWithDeliveries
	err := s.view(func(tx *bolt.Tx) error {
		e, err := getEvent(tx, id)
		if err != nil {
			return err
		}
		ds, err := deliveriesOf(tx, id)
		out = EventWithDeliveries{Event: e, Deliveries: ds}
		return err
	})
	return out, wrapRead(err, "event %q", id)
}

// Events returns the events that match filter, newest first.
func (s *Store) Events(filter EventFilter) ([]EventWithDeliveries, error) {
	var out []EventWithDeliveries
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketEventsByTime).Cursor()
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			if filter.Limit > 0 && len(out) >= filter.Limit {
				break
			}
			if len(k) <= timeKeyLen {
				return fmt.Errorf("malformed event index key %q", k)
			}
			e, err := getEvent(tx, string(k[timeKeyLen:]))
			if err != nil {
				return err
			}
			if (filter.Target != "" && e.Target != filter.Target) || (filter.Type != "" && e.Type != filter.Type) {
				continue
			}
			ds, err := deliveriesOf(tx, e.ID)
			if err != nil {
				return err
			}
			if filter.State != "" && !slices.ContainsFunc(ds, func(d Delivery) bool { return d.State == filter.State }) {
				continue
			}
			out = append(out, EventWithDeliveries{Event: e, Deliveries: ds})
		}
		return nil
	})
	return out, wrapRead(err, "events")
}

// EventKey is an event type and a delivery state.
type EventKey struct{ Type, State string }

// EventCounts returns how many deliveries there are by event type and
// state; an event routed to no webhook counts once under StateNone. It
// reads a small counter bucket, not the events.
func (s *Store) EventCounts() (map[EventKey]int, error) {
	out := map[EventKey]int{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEventCounts).ForEach(func(k, v []byte) error {
			typ, state, ok := strings.Cut(string(k), "\x00")
			if !ok || len(v) != 8 {
				return fmt.Errorf("damaged event count %q", k)
			}
			if n := int(btoi(v)); n != 0 {
				out[EventKey{typ, state}] = n
			}
			return nil
		})
	})
	return out, wrapRead(err, "event counts")
}

// bumpCount adds delta to the count of (typ, state).
func bumpCount(tx *bolt.Tx, typ, state string, delta int64) error {
	b := tx.Bucket(bucketEventCounts)
	key := []byte(typ + "\x00" + state)
	n := int64(0)
	if v := b.Get(key); len(v) == 8 {
		n = int64(btoi(v))
	}
	n += delta
	if n < 0 {
		return fmt.Errorf("event count %s/%s would go below zero: the store's counters are damaged", typ, state)
	}
	return b.Put(key, itob(uint64(n)))
}

// eventType reads only the type of a stored event record.
func eventType(record []byte) (string, error) {
	var e struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(record, &e); err != nil {
		return "", fmt.Errorf("decode event type: %w", err)
	}
	return e.Type, nil
}
