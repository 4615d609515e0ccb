package storage

import (
	"context"
	"io"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// Reader is what the reading commands, the web UI and the API need: no
// method of it writes.
type Reader interface {
	Target(name string) (snapshot.TargetState, error)
	Targets() ([]snapshot.TargetState, error)
	TargetsWithCurrent(known int) ([]snapshot.TargetCurrent, int, error)
	Versions(target string) ([]snapshot.Version, error)
	Version(target string, id uint64) (snapshot.Version, error)
	Current(target string) (*snapshot.Version, error)
	ReturnOf(target, textHash string) (uint64, error)
	Text(v snapshot.Version) (string, error)
	Raw(v snapshot.Version) ([]byte, error)
	Original(v snapshot.Version) ([]byte, error)
	Blob(sha256Hex string) ([]byte, error)
	Failures(target string) ([]snapshot.Failure, error)
	Board(target string) (snapshot.BoardState, bool, error)
	Event(id string) (snapshot.EventWithDeliveries, error)
	Events(filter snapshot.EventFilter) ([]snapshot.EventWithDeliveries, error)
	EventCounts() (map[snapshot.EventKey]int, error)
	PendingCount() (int, error)
	Chain(target string) ([]snapshot.ChainRecord, []string, error)
	ChainHeads() (map[string]snapshot.ChainHead, error)
	Stats() (snapshot.Stats, error)
	Verify(ctx context.Context, progress snapshot.VerifyProgress) (*snapshot.VerifyReport, error)
	Backup(w io.Writer) (int64, error)
	// Path names the store for people: a file path, or a DSN without its
	// password.
	Path() string
	Close() error
}

// Store is a Reader that also records checks and runs the outbox.
type Store interface {
	Reader

	// Record writes everything one successful check produces, and the
	// events it raises, atomically (a transactional outbox). events may run
	// more than once and must be pure.
	Record(ctx context.Context, obs snapshot.Observation, events func(snapshot.Outcome) ([]snapshot.Event, error)) (snapshot.Outcome, error)
	RecordFailure(ctx context.Context, target string, f snapshot.Failure, events func(snapshot.TargetState) ([]snapshot.Event, error)) (snapshot.TargetState, error)
	SetFailing(ctx context.Context, name string, failing bool) error
	RecordBoard(ctx context.Context, target string, st snapshot.BoardState, pages [][]byte, events []snapshot.Event) error

	// The outbox.
	Due(now time.Time, limit int) ([]snapshot.PendingDelivery, error)
	MarkDelivered(eventID, webhook string, at time.Time, status int) error
	MarkAttemptFailed(eventID, webhook string, at time.Time, status int, errText string, next time.Time, expired, permanent bool) error
	Requeue(eventID string, now time.Time) error
}

// PageKeys is a Store that keeps page keys (see extract.Page): the key of
// the page each target's current text was extracted from. A driver that
// implements it must also honour snapshot.Observation.PageKey and
// TextSHA256 in Record; the checker skips extraction only with such a
// driver.
type PageKeys interface {
	Store
	PageKey(target string) (snapshot.PageKey, error)
}

// Heads is a PageKeys store that reads what a check needs before it
// fetches (state, current version, page key) in one read; the checker
// falls back to Target, Current and PageKey with a driver without it.
type Heads interface {
	PageKeys
	Head(target string) (snapshot.Head, error)
}

// The embedded bbolt store is the default driver.
var (
	_ Store    = (*snapshot.Store)(nil)
	_ PageKeys = (*snapshot.Store)(nil)
	_ Heads    = (*snapshot.Store)(nil)
)
