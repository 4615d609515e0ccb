package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/snapshot"
)

// The range of times the bigint nanosecond columns hold exactly; times
// outside it are clamped, as bbolt's time keys clamp outside 0000-9999.
var (
	minNanosTime = time.Unix(0, math.MinInt64).UTC()
	maxNanosTime = time.Unix(0, math.MaxInt64).UTC()
)

// nanos is t as Unix nanoseconds, clamped to the int64 range, for the
// ordering columns (events.created_ns, deliveries.next_ns).
func nanos(t time.Time) int64 {
	switch {
	case t.Before(minNanosTime):
		return math.MinInt64
	case t.After(maxNanosTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// lockTarget returns the target's stored state with its row locked until
// the end of tx (SELECT ... FOR UPDATE): every writer of a target's history
// takes this lock first, so two workers cannot interleave on one target. A
// missing row is created (with a NULL doc: no state yet) and locked; ok is
// false then, or when the row exists without state.
func lockTarget(ctx context.Context, tx pgx.Tx, name string) (st snapshot.TargetState, ok bool, err error) {
	if _, err := tx.Exec(ctx, `INSERT INTO targets (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, name); err != nil {
		return st, false, fmt.Errorf("create the row of target %q: %w", name, err)
	}
	var doc []byte
	if err := tx.QueryRow(ctx, `SELECT doc FROM targets WHERE name = $1 FOR UPDATE`, name).Scan(&doc); err != nil {
		return st, false, fmt.Errorf("lock target %q: %w", name, err)
	}
	if doc == nil {
		return st, false, nil
	}
	if err := json.Unmarshal(doc, &st); err != nil {
		return st, false, fmt.Errorf("decode target %q: %w", name, err)
	}
	return st, true, nil
}

// lockTargetCurrent is lockTarget that also reads the current version:
// one round trip for the lock and the state (the upsert's ON CONFLICT DO
// UPDATE locks the existing row as FOR UPDATE would, and RETURNING gives
// its latest state even after waiting for another writer), then one for the
// version, in a statement of its own so that it sees what a writer this
// one waited for committed.
func lockTargetCurrent(ctx context.Context, tx pgx.Tx, name string) (snapshot.TargetState, *snapshot.Version, error) {
	var tdoc []byte
	err := tx.QueryRow(ctx, `INSERT INTO targets (name) VALUES ($1)
		ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING doc`, name).Scan(&tdoc)
	if err != nil {
		return snapshot.TargetState{}, nil, fmt.Errorf("lock target %q: %w", name, err)
	}
	var st snapshot.TargetState
	if tdoc == nil {
		return st, nil, nil
	}
	if err := json.Unmarshal(tdoc, &st); err != nil {
		return st, nil, fmt.Errorf("decode target %q: %w", name, err)
	}
	if st.Current == 0 {
		return st, nil, nil
	}
	v, err := getVersion(ctx, tx, name, st.Current)
	if err != nil {
		return st, nil, fmt.Errorf("current version %d: %w", st.Current, err)
	}
	return st, &v, nil
}

// queueTarget queues the write of a target's state (its row exists:
// lockTarget made it).
func queueTarget(b *pgx.Batch, st snapshot.TargetState) error {
	doc, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode target %q: %w", st.Name, err)
	}
	b.Queue(`UPDATE targets SET doc = $2 WHERE name = $1`, st.Name, string(doc))
	return nil
}

// putTarget writes a target's state (its row exists: lockTarget made it).
func putTarget(ctx context.Context, tx pgx.Tx, st snapshot.TargetState) error {
	doc, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode target %q: %w", st.Name, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE targets SET doc = $2 WHERE name = $1`, st.Name, string(doc)); err != nil {
		return fmt.Errorf("store target %q: %w", st.Name, err)
	}
	return nil
}
