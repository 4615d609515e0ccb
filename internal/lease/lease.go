// Package lease is the contract between the scheduler and a store that
// several monitord processes share (PostgreSQL): which worker checks which
// target when, and which worker sends which alert.
//
// The shared store keeps every enabled target's next due time. A worker
// claims due targets: each claim is a lease (a token and an expiry) that
// the worker extends while the check runs and gives back with the next due
// time when it is done. A worker that dies stops extending; once its lease
// has expired another worker claims the target and checks it. Because the
// next due time lives in the store, a schedule slot is the same for every
// worker, whenever each started.
//
// The embedded bbolt store has one process and does not implement Schedule:
// the scheduler then keeps the schedule in memory (cron), as it always did.
package lease

import (
	"context"
	"errors"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// ErrLost is returned when a lease is no longer the caller's: it expired and
// another worker claimed the target (or the target left the schedule).
var ErrLost = errors.New("lease lost: another worker holds the target now")

// Target is one enabled target as the configuration schedules it.
type Target struct {
	Name string
	// Spec is the target's schedule spec (cron or descriptor); a changed
	// spec moves the next due time to FirstDue.
	Spec string
	// FirstDue is when the target is due if the schedule does not know it
	// yet (or its Spec changed): now for a target never checked or one that
	// missed a slot, else its next slot.
	FirstDue time.Time
}

// Lease is a claimed target: the worker that holds it checks it once.
type Lease struct {
	Target string
	// Due is the slot being checked (the target's next due time when it
	// was claimed).
	Due time.Time
	// Token identifies this claim; a later claim of the same target gets
	// another one.
	Token int64
	// Until is when the lease expires unless it is extended.
	Until time.Time
	// Spec is the target's schedule spec as the schedule holds it.
	Spec string
}

// Schedule is the schedule that every worker on a shared store uses.
// Implementations must be safe for concurrent use by many processes.
type Schedule interface {
	// SyncTargets makes the schedule hold exactly targets: new ones are
	// added with their FirstDue, removed ones are dropped, a changed Spec
	// moves the next due time to FirstDue; an unchanged target keeps its
	// next due time. It is idempotent: every worker calls it on start and
	// on reload with the same configuration.
	SyncTargets(ctx context.Context, targets []Target) error
	// ClaimTargets leases up to limit targets due at now (next due time
	// not after now, no lease or an expired one) to worker until
	// now+ttl, the earliest due first. Two workers never get the same
	// target while a lease holds. conflicts counts due targets skipped
	// because another worker was claiming them at the same moment.
	ClaimTargets(ctx context.Context, worker string, now time.Time, ttl time.Duration, limit int) (leases []Lease, conflicts int, err error)
	// ExtendLease moves l's expiry to now+ttl (a heartbeat while a check
	// runs), or returns ErrLost.
	ExtendLease(ctx context.Context, l Lease, now time.Time, ttl time.Duration) (Lease, error)
	// CompleteLease ends l: the target is next due at next. ErrLost when
	// the lease was no longer the caller's (nothing is changed then).
	CompleteLease(ctx context.Context, l Lease, next time.Time) error
	// ReleaseLease gives l back unchecked (shutting down before the check
	// started): the target stays due and another worker may take it now.
	ReleaseLease(ctx context.Context, l Lease) error
	// ClaimDeliveries returns up to limit deliveries due at now, each
	// leased to worker until now+ttl: no other worker gets them before
	// then. Marking one delivered or failed ends its lease; one whose
	// worker died is due again when the lease expires, under the same
	// event id.
	ClaimDeliveries(ctx context.Context, worker string, now time.Time, ttl time.Duration, limit int) ([]snapshot.PendingDelivery, error)

	// Ping reports whether the shared store answers (readiness).
	Ping(ctx context.Context) error
}
