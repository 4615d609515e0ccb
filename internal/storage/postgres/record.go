package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/snapshot"
)

// Record stores one successful observation and the events it raises in one
// transaction, with the bbolt store's rules (snapshot.PlanRecord; see
// snapshot.Store.Record). The target's row is locked for the transaction,
// so concurrent workers recording one target take turns. events may run
// more than once (a transaction that lost a race runs again) and must be
// pure; if it fails nothing is stored and Record returns its error.
func (s *Store) Record(ctx context.Context, obs snapshot.Observation, events func(snapshot.Outcome) ([]snapshot.Event, error)) (snapshot.Outcome, error) {
	if err := ctx.Err(); err != nil {
		return snapshot.Outcome{}, fmt.Errorf("postgres: record %q: %w", obs.Target, err)
	}
	if obs.Target == "" {
		return snapshot.Outcome{}, errors.New("postgres: record: observation has no target name")
	}
	if obs.At.IsZero() {
		return snapshot.Outcome{}, fmt.Errorf("postgres: record %q: observation has no time", obs.Target)
	}
	obs.At = obs.At.UTC()
	// The blobs are compressed in the transaction, when the text is new:
	// it holds only this target's row lock, which no other check of the
	// target waits for (a target is checked by one worker at a time).
	text, raw, err := snapshot.ObservedBlobs(&obs)
	if err != nil {
		return snapshot.Outcome{}, fmt.Errorf("postgres: record %q: %w", obs.Target, err)
	}
	var out snapshot.Outcome
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.record(ctx, tx, &obs, text, raw, events)
		return err
	})
	if err != nil {
		if errors.Is(err, snapshot.ErrNotFound) || snapshot.IsEventsError(err) {
			return snapshot.Outcome{}, err
		}
		return snapshot.Outcome{}, fmt.Errorf("postgres: record %q: %w", obs.Target, err)
	}
	return out, nil
}

// querier is what both a pool and a transaction can run.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// queueBlobs queues the inserts of blobs not stored yet, in hash order:
// transactions that store the same blobs lock them in one order and cannot
// deadlock. Content already stored is left as it is.
func queueBlobs(b *pgx.Batch, blobs []*snapshot.PendingBlob) {
	blobs = slices.Clone(blobs)
	slices.SortFunc(blobs, func(a, b *snapshot.PendingBlob) int {
		ha, hb := a.Hash(), b.Hash()
		return bytes.Compare(ha[:], hb[:])
	})
	blobs = slices.CompactFunc(blobs, func(a, b *snapshot.PendingBlob) bool { return a.Hash() == b.Hash() })
	for _, p := range blobs {
		h := p.Hash()
		b.Queue(`INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
			h[:], int64(p.Size()), p.Encoded())
	}
}

// runBatch sends the queued statements in one round trip and checks each.
func runBatch(ctx context.Context, tx pgx.Tx, b *pgx.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, b)
	for i := range b.Len() {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return fmt.Errorf("write %s: %w", batchWhat(b, i), err)
		}
	}
	return br.Close()
}

// batchWhat names the i-th statement of a batch for an error.
func batchWhat(b *pgx.Batch, i int) string {
	sql := b.QueuedQueries[i].SQL
	if f := strings.Fields(sql); len(f) >= 3 {
		return strings.ToLower(strings.Join(f[:3], " "))
	}
	return sql
}

func (s *Store) record(ctx context.Context, tx pgx.Tx, obs *snapshot.Observation, text, raw *snapshot.PendingBlob, events func(snapshot.Outcome) ([]snapshot.Event, error)) (snapshot.Outcome, error) {
	st, cur, err := lockTargetCurrent(ctx, tx, obs.Target)
	if err != nil {
		return snapshot.Outcome{}, err
	}
	var last uint64
	lastRead := false
	p, err := snapshot.PlanRecord(obs, text, raw, snapshot.RecordInput{
		State: st, Current: cur,
		NextID: func() (uint64, error) {
			if !lastRead {
				if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM versions WHERE target = $1`, obs.Target).Scan(&last); err != nil {
					return 0, fmt.Errorf("next version id: %w", err)
				}
				lastRead = true
			}
			last++
			return last, nil
		},
		ReturnOf: func(textHash string) (uint64, error) { return s.returnOf(ctx, tx, obs.Target, textHash) },
	})
	if err != nil {
		return snapshot.Outcome{}, err
	}
	b := &pgx.Batch{}
	queueChain(b, obs.Target, p.Chain)
	queueBlobs(b, p.Blobs)
	for _, v := range p.Versions {
		doc, err := json.Marshal(v)
		if err != nil {
			return snapshot.Outcome{}, fmt.Errorf("encode version %d: %w", v.ID, err)
		}
		b.Queue(`INSERT INTO versions (target, id, text_hash, doc) VALUES ($1, $2, $3, $4)
			ON CONFLICT (target, id) DO UPDATE SET text_hash = excluded.text_hash, doc = excluded.doc`,
			obs.Target, int64(v.ID), v.TextHash, string(doc))
	}
	queuePageKey(b, obs, p.Outcome.Version)
	if err := queueTarget(b, p.State); err != nil {
		return snapshot.Outcome{}, err
	}
	out := p.Outcome
	if events != nil {
		evs, err := events(out)
		if err != nil {
			return snapshot.Outcome{}, snapshot.EventsError(obs.Target, err)
		}
		if err := queueEvents(ctx, tx, b, obs.Target, obs.At, evs); err != nil {
			return snapshot.Outcome{}, err
		}
	}
	if err := runBatch(ctx, tx, b); err != nil {
		return snapshot.Outcome{}, err
	}
	return out, nil
}

func queueChain(b *pgx.Batch, target string, links []snapshot.ChainLink) {
	for _, l := range links {
		b.Queue(`INSERT INTO chain (target, seq, kind, data) VALUES ($1, $2, $3, $4)`,
			target, int64(l.Record.Seq), l.Record.Kind, l.Data)
	}
}

// returnOf applies snapshot.ReturnOfRecent to the target's latest versions.
func (s *Store) returnOf(ctx context.Context, q querier, target, textHash string) (uint64, error) {
	rows, err := q.Query(ctx, `SELECT doc FROM versions WHERE target = $1 ORDER BY id DESC LIMIT $2`, target, s.returnWindow)
	if err != nil {
		return 0, err
	}
	recent, err := collectDocs[snapshot.Version](rows, "version")
	if err != nil {
		return 0, err
	}
	return snapshot.ReturnOfRecent(recent, textHash), nil
}

// RecordFailure keeps a failed observation (the last snapshot.MaxFailures),
// counts it and chains it, with the events it raises, in one transaction
// holding the target's row lock (see snapshot.Store.RecordFailure).
func (s *Store) RecordFailure(ctx context.Context, target string, f snapshot.Failure, events func(snapshot.TargetState) ([]snapshot.Event, error)) (snapshot.TargetState, error) {
	if err := ctx.Err(); err != nil {
		return snapshot.TargetState{}, fmt.Errorf("postgres: record failure of %q: %w", target, err)
	}
	if target == "" {
		return snapshot.TargetState{}, errors.New("postgres: record failure: no target name")
	}
	f.At = f.At.UTC()
	var st snapshot.TargetState
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		stored, _, err := lockTarget(ctx, tx, target)
		if err != nil {
			return err
		}
		var link snapshot.ChainLink
		st, link, err = snapshot.PlanFailure(stored, target, f)
		if err != nil {
			return err
		}
		var seq uint64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM failures WHERE target = $1`, target).Scan(&seq); err != nil {
			return fmt.Errorf("next failure: %w", err)
		}
		doc, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("encode failure: %w", err)
		}
		b := &pgx.Batch{}
		b.Queue(`INSERT INTO failures (target, seq, doc) VALUES ($1, $2, $3)`, target, int64(seq), string(doc))
		queueChain(b, target, []snapshot.ChainLink{link})
		b.Queue(`DELETE FROM failures WHERE target = $1 AND seq < $2`, target, int64(snapshot.OldestKeptFailure(seq)))
		if events != nil {
			evs, err := events(st)
			if err != nil {
				return snapshot.EventsError(target, err)
			}
			snapshot.MarkFailing(&st, evs)
			if err := queueEvents(ctx, tx, b, target, f.At, evs); err != nil {
				return err
			}
		}
		if err := queueTarget(b, st); err != nil {
			return err
		}
		return runBatch(ctx, tx, b)
	})
	if err != nil {
		if snapshot.IsEventsError(err) {
			return snapshot.TargetState{}, err
		}
		return snapshot.TargetState{}, fmt.Errorf("postgres: record failure of %q: %w", target, err)
	}
	return st, nil
}

// SetFailing sets or clears a target's failing flag on its own.
func (s *Store) SetFailing(ctx context.Context, name string, failing bool) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("postgres: set failing of %q: %w", name, err)
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		st, ok, err := lockTarget(ctx, tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: target %q", snapshot.ErrNotFound, name)
		}
		st.Failing = failing
		return putTarget(ctx, tx, st)
	})
	if err != nil && !errors.Is(err, snapshot.ErrNotFound) {
		return fmt.Errorf("postgres: set failing of %q: %w", name, err)
	}
	return err
}

// RecordBoard stores a target's board state, the pages it quotes and the
// events the read raised in one transaction (see snapshot.Store.RecordBoard).
func (s *Store) RecordBoard(ctx context.Context, target string, st snapshot.BoardState, pages [][]byte, events []snapshot.Event) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("postgres: record board of %q: %w", target, err)
	}
	if target == "" {
		return errors.New("postgres: record board: no target name")
	}
	at := snapshot.PrepareBoard(&st, time.Now())
	blobs := make([]*snapshot.PendingBlob, 0, len(pages))
	for _, p := range pages {
		b := snapshot.NewBlob(p)
		b.Encoded() // outside the transaction
		blobs = append(blobs, b)
	}
	doc, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("postgres: record board of %q: encode: %w", target, err)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		queueBlobs(b, blobs)
		b.Queue(`INSERT INTO boards (target, doc) VALUES ($1, $2)
			ON CONFLICT (target) DO UPDATE SET doc = excluded.doc`, target, string(doc))
		if err := queueEvents(ctx, tx, b, target, at, events); err != nil {
			return err
		}
		return runBatch(ctx, tx, b)
	})
	if err != nil {
		if snapshot.IsEventsError(err) {
			return err
		}
		return fmt.Errorf("postgres: record board of %q: %w", target, err)
	}
	return nil
}

// collectDocs decodes rows of one json column into Ts.
func collectDocs[T any](rows pgx.Rows, what string) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal(doc, &v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func getVersion(ctx context.Context, q pgx.Tx, target string, id uint64) (snapshot.Version, error) {
	var doc []byte
	err := q.QueryRow(ctx, `SELECT doc FROM versions WHERE target = $1 AND id = $2`, target, int64(id)).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return snapshot.Version{}, fmt.Errorf("%w: version %d of %q", snapshot.ErrNotFound, id, target)
	}
	if err != nil {
		return snapshot.Version{}, err
	}
	var v snapshot.Version
	if err := json.Unmarshal(doc, &v); err != nil {
		return snapshot.Version{}, fmt.Errorf("decode version: %w", err)
	}
	return v, nil
}
