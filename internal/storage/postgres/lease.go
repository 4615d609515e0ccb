package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monitord/monitord/internal/lease"
	"github.com/monitord/monitord/internal/snapshot"
)

// Leases is the shared schedule of the workers on one database (table
// target_schedule, migration 101): each enabled target's next due time and
// the lease of the worker checking it. Claims take rows with
// SELECT … FOR UPDATE SKIP LOCKED, so concurrent workers never wait on each
// other and never get the same target; a lease that is not extended
// expires and the target is due for the others again.
//
// Plain SQL rather than a job queue (riverqueue/river): the work is not a
// queue of jobs but one row per target that comes due again and again, and
// the slot (next due time) must be one value every worker agrees on. A row
// with a lease is that, in four statements, with no second schema, no
// job-table churn (100,000 targets would be 100,000 job rows a slot) and no
// dependency beyond pgx.
type Leases struct {
	pool *pgxpool.Pool
}

// NewLeases returns the shared schedule in the database pool reaches
// (migrated).
func NewLeases(pool *pgxpool.Pool) *Leases { return &Leases{pool: pool} }

var _ interface {
	SyncTargets(context.Context, []lease.Target) error
	ClaimTargets(context.Context, string, time.Time, time.Duration, int) ([]lease.Lease, int, error)
	ExtendLease(context.Context, lease.Lease, time.Time, time.Duration) (lease.Lease, error)
	CompleteLease(context.Context, lease.Lease, time.Time) error
	ReleaseLease(context.Context, lease.Lease) error
} = (*Leases)(nil)

// SyncTargets makes the schedule hold exactly targets (lease.Schedule).
// New targets get their FirstDue, a changed spec moves the next due time to
// FirstDue, the others keep theirs; targets not given are dropped. One
// transaction, rows in name order (concurrent syncs do not deadlock).
func (l *Leases) SyncTargets(ctx context.Context, targets []lease.Target) error {
	ts := slices.Clone(targets)
	slices.SortFunc(ts, func(a, b lease.Target) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	names := make([]string, len(ts))
	specs := make([]string, len(ts))
	dues := make([]time.Time, len(ts))
	for i, t := range ts {
		names[i], specs[i], dues[i] = t.Name, t.Spec, t.FirstDue
	}
	return pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO target_schedule (target, spec, next_due)
			SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
			ON CONFLICT (target) DO UPDATE SET spec = EXCLUDED.spec, next_due = EXCLUDED.next_due
			WHERE target_schedule.spec IS DISTINCT FROM EXCLUDED.spec`, names, specs, dues); err != nil {
			return fmt.Errorf("postgres: sync the schedule's targets: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM target_schedule WHERE NOT (target = ANY($1::text[]))`, names); err != nil {
			return fmt.Errorf("postgres: drop removed targets from the schedule: %w", err)
		}
		return nil
	})
}

// ClaimTargets leases up to limit due targets to worker (lease.Schedule).
// conflicts counts the due targets among the first limit that another
// worker's claim held locked (or had just taken) at that moment.
func (l *Leases) ClaimTargets(ctx context.Context, worker string, now time.Time, ttl time.Duration, limit int) ([]lease.Lease, int, error) {
	if limit <= 0 {
		return nil, 0, nil
	}
	rows, err := l.pool.Query(ctx, `
		WITH seen AS (
			SELECT target FROM target_schedule
			WHERE next_due <= $1 AND (lease_until IS NULL OR lease_until <= $1)
			ORDER BY next_due, target LIMIT $2
		), due AS (
			SELECT target FROM target_schedule
			WHERE next_due <= $1 AND (lease_until IS NULL OR lease_until <= $1)
			ORDER BY next_due, target LIMIT $2
			FOR UPDATE SKIP LOCKED
		), claimed AS (
			UPDATE target_schedule s
			SET lease_token = nextval('target_schedule_token'), lease_owner = $3, lease_until = $4,
			    claims = s.claims + 1
			FROM due WHERE s.target = due.target
			RETURNING s.target, s.next_due, s.lease_token, s.lease_until, s.spec
		)
		SELECT target, next_due, lease_token, lease_until, spec,
		       (SELECT count(*) FROM seen WHERE seen.target NOT IN (SELECT target FROM claimed))
		FROM claimed
		UNION ALL
		SELECT NULL, NULL, NULL, NULL, NULL,
		       (SELECT count(*) FROM seen WHERE seen.target NOT IN (SELECT target FROM claimed))
		WHERE NOT EXISTS (SELECT 1 FROM claimed)`,
		now, limit, worker, now.Add(ttl))
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: claim due targets: %w", err)
	}
	defer rows.Close()
	var out []lease.Lease
	conflicts := 0
	for rows.Next() {
		var (
			name, spec *string
			due, until *time.Time
			token      *int64
			n          int64
		)
		if err := rows.Scan(&name, &due, &token, &until, &spec, &n); err != nil {
			return nil, 0, fmt.Errorf("postgres: read claimed targets: %w", err)
		}
		conflicts = int(n)
		if name == nil {
			continue
		}
		out = append(out, lease.Lease{Target: *name, Due: *due, Token: *token, Until: *until, Spec: *spec})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("postgres: claim due targets: %w", err)
	}
	slices.SortFunc(out, func(a, b lease.Lease) int { return a.Due.Compare(b.Due) })
	return out, conflicts, nil
}

// ExtendLease is the heartbeat of a running check (lease.Schedule).
func (l *Leases) ExtendLease(ctx context.Context, ls lease.Lease, now time.Time, ttl time.Duration) (lease.Lease, error) {
	until := now.Add(ttl)
	tag, err := l.pool.Exec(ctx, `UPDATE target_schedule SET lease_until = $3 WHERE target = $1 AND lease_token = $2`,
		ls.Target, ls.Token, until)
	if err != nil {
		return ls, fmt.Errorf("postgres: extend the lease of %s: %w", ls.Target, err)
	}
	if tag.RowsAffected() == 0 {
		return ls, fmt.Errorf("postgres: extend the lease of %s: %w", ls.Target, lease.ErrLost)
	}
	ls.Until = until
	return ls, nil
}

// CompleteLease ends a lease with the target's next due time
// (lease.Schedule).
func (l *Leases) CompleteLease(ctx context.Context, ls lease.Lease, next time.Time) error {
	tag, err := l.pool.Exec(ctx, `
		UPDATE target_schedule
		SET next_due = $3, lease_token = NULL, lease_owner = NULL, lease_until = NULL,
		    completed = completed + 1, last_done = now()
		WHERE target = $1 AND lease_token = $2`, ls.Target, ls.Token, next)
	if err != nil {
		return fmt.Errorf("postgres: complete the check of %s in the schedule: %w", ls.Target, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: complete the check of %s: %w", ls.Target, lease.ErrLost)
	}
	return nil
}

// ReleaseLease gives a lease back unchecked: the target stays due
// (lease.Schedule).
func (l *Leases) ReleaseLease(ctx context.Context, ls lease.Lease) error {
	_, err := l.pool.Exec(ctx, `
		UPDATE target_schedule SET lease_token = NULL, lease_owner = NULL, lease_until = NULL
		WHERE target = $1 AND lease_token = $2`, ls.Target, ls.Token)
	if err != nil {
		return fmt.Errorf("postgres: give back the lease of %s: %w", ls.Target, err)
	}
	return nil
}

// The Store is the shared schedule of the workers on its database.
var _ lease.Schedule = (*Store)(nil)

func (s *Store) leases() *Leases { return &Leases{pool: s.pool} }

// SyncTargets is Leases.SyncTargets on the store's database.
func (s *Store) SyncTargets(ctx context.Context, targets []lease.Target) error {
	return s.leases().SyncTargets(ctx, targets)
}

// ClaimTargets is Leases.ClaimTargets on the store's database.
func (s *Store) ClaimTargets(ctx context.Context, worker string, now time.Time, ttl time.Duration, limit int) ([]lease.Lease, int, error) {
	return s.leases().ClaimTargets(ctx, worker, now, ttl, limit)
}

// ExtendLease is Leases.ExtendLease on the store's database.
func (s *Store) ExtendLease(ctx context.Context, l lease.Lease, now time.Time, ttl time.Duration) (lease.Lease, error) {
	return s.leases().ExtendLease(ctx, l, now, ttl)
}

// CompleteLease is Leases.CompleteLease on the store's database.
func (s *Store) CompleteLease(ctx context.Context, l lease.Lease, next time.Time) error {
	return s.leases().CompleteLease(ctx, l, next)
}

// ReleaseLease is Leases.ReleaseLease on the store's database.
func (s *Store) ReleaseLease(ctx context.Context, l lease.Lease) error {
	return s.leases().ReleaseLease(ctx, l)
}

// ClaimDeliveries is Leases.ClaimDeliveries on the store's database.
func (s *Store) ClaimDeliveries(ctx context.Context, worker string, now time.Time, ttl time.Duration, limit int) ([]snapshot.PendingDelivery, error) {
	return s.leases().ClaimDeliveries(ctx, worker, now, ttl, limit)
}

// Ping asks the database for a round trip (readiness: /readyz).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: %s does not answer: %w", s.path, err)
	}
	return nil
}
