package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// ClaimDeliveries returns up to limit deliveries due at now, each leased
// to worker until now+ttl (lease.Schedule): pending, next attempt not
// after now, and no other worker's lease running. The rows are taken with
// FOR UPDATE SKIP LOCKED, so two workers never get the same delivery;
// MarkDelivered or MarkAttemptFailed ends the lease (the state or the next
// attempt moves), and a delivery whose worker died is due again, under the
// same event id, once its lease has expired.
func (l *Leases) ClaimDeliveries(ctx context.Context, worker string, now time.Time, ttl time.Duration, limit int) ([]snapshot.PendingDelivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := l.pool.Query(ctx, `
		WITH due AS (
			SELECT event_id, webhook FROM deliveries
			WHERE state = 'pending' AND next_ns <= $1 AND lease_until_ns <= $1
			ORDER BY next_ns, event_id, webhook LIMIT $2
			FOR UPDATE SKIP LOCKED
		), claimed AS (
			UPDATE deliveries d SET lease_until_ns = $3, lease_owner = $4
			FROM due WHERE d.event_id = due.event_id AND d.webhook = due.webhook
			RETURNING d.event_id, d.webhook, d.next_ns, d.doc
		)
		SELECT c.doc, e.doc FROM claimed c JOIN events e ON e.id = c.event_id
		ORDER BY c.next_ns, c.event_id, c.webhook`,
		nanos(now), limit, nanos(now.Add(ttl)), worker)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim due deliveries: %w", err)
	}
	defer rows.Close()
	var out []snapshot.PendingDelivery
	for rows.Next() {
		var ddoc, edoc []byte
		if err := rows.Scan(&ddoc, &edoc); err != nil {
			return nil, fmt.Errorf("postgres: read claimed deliveries: %w", err)
		}
		var p snapshot.PendingDelivery
		if err := json.Unmarshal(ddoc, &p.Delivery); err != nil {
			return nil, fmt.Errorf("postgres: decode a claimed delivery: %w", err)
		}
		if err := json.Unmarshal(edoc, &p.Event); err != nil {
			return nil, fmt.Errorf("postgres: decode the event of delivery %s/%s: %w", p.EventID, p.Webhook, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: claim due deliveries: %w", err)
	}
	return out, nil
}
