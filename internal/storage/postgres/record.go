package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	var text, raw *snapshot.PendingBlob
	if !obs.NotModified {
		text = snapshot.NewBlob([]byte(obs.Text))
		if obs.Raw != nil {
			raw = snapshot.NewBlob(obs.Raw)
		}
		// Compress outside the transaction (which holds the target's
		// lock), and only when the text is new and its blobs are absent.
		if err := s.precompress(ctx, obs.Target, text, raw); err != nil {
			return snapshot.Outcome{}, err
		}
	}
	var out snapshot.Outcome
	err := s.inTx(ctx, func(tx pgx.Tx) error {
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

func (s *Store) precompress(ctx context.Context, target string, text, raw *snapshot.PendingBlob) error {
	var curHash string
	err := s.pool.QueryRow(ctx, `SELECT v.text_hash FROM targets t
		JOIN versions v ON v.target = t.name AND v.id = (t.doc->>'current')::bigint
		WHERE t.name = $1`, target).Scan(&curHash)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: record %q: %w", target, err)
	}
	if curHash == text.HexHash() {
		return nil // unchanged: nothing to store
	}
	blobs := []*snapshot.PendingBlob{text}
	if raw != nil {
		blobs = append(blobs, raw)
	}
	missing, err := missingBlobs(ctx, s.pool, blobs)
	if err != nil {
		return fmt.Errorf("postgres: record %q: %w", target, err)
	}
	for _, b := range missing {
		b.Encoded()
	}
	return nil
}

// querier is what both a pool and a transaction can run.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// missingBlobs returns the blobs whose hash is not stored yet.
func missingBlobs(ctx context.Context, q querier, blobs []*snapshot.PendingBlob) ([]*snapshot.PendingBlob, error) {
	keys := make([][]byte, len(blobs))
	for i, b := range blobs {
		h := b.Hash()
		keys[i] = h[:]
	}
	rows, err := q.Query(ctx, `SELECT sha256 FROM blobs WHERE sha256 = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("look up blobs: %w", err)
	}
	have, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, fmt.Errorf("look up blobs: %w", err)
	}
	var out []*snapshot.PendingBlob
	for i, b := range blobs {
		if !slices.ContainsFunc(have, func(k []byte) bool { return bytes.Equal(k, keys[i]) }) &&
			!slices.ContainsFunc(out, func(o *snapshot.PendingBlob) bool { return o.Hash() == b.Hash() }) {
			out = append(out, b)
		}
	}
	return out, nil
}

// putBlobs stores the blobs not stored yet, in hash order: transactions
// that store the same blobs lock them in one order and cannot deadlock.
func putBlobs(ctx context.Context, tx pgx.Tx, blobs []*snapshot.PendingBlob) error {
	if len(blobs) == 0 {
		return nil
	}
	missing, err := missingBlobs(ctx, tx, blobs)
	if err != nil {
		return err
	}
	slices.SortFunc(missing, func(a, b *snapshot.PendingBlob) int {
		ha, hb := a.Hash(), b.Hash()
		return bytes.Compare(ha[:], hb[:])
	})
	for _, b := range missing {
		h := b.Hash()
		if _, err := tx.Exec(ctx, `INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
			h[:], int64(b.Size()), b.Encoded()); err != nil {
			return fmt.Errorf("store blob %s: %w", b.HexHash(), err)
		}
	}
	return nil
}

func (s *Store) record(ctx context.Context, tx pgx.Tx, obs *snapshot.Observation, text, raw *snapshot.PendingBlob, events func(snapshot.Outcome) ([]snapshot.Event, error)) (snapshot.Outcome, error) {
	st, _, err := lockTarget(ctx, tx, obs.Target)
	if err != nil {
		return snapshot.Outcome{}, err
	}
	var cur *snapshot.Version
	if st.Current != 0 {
		v, err := getVersion(ctx, tx, obs.Target, st.Current)
		if err != nil {
			return snapshot.Outcome{}, fmt.Errorf("current version %d: %w", st.Current, err)
		}
		cur = &v
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
	if err := putChain(ctx, tx, obs.Target, p.Chain); err != nil {
		return snapshot.Outcome{}, err
	}
	if err := putBlobs(ctx, tx, p.Blobs); err != nil {
		return snapshot.Outcome{}, err
	}
	for _, v := range p.Versions {
		doc, err := json.Marshal(v)
		if err != nil {
			return snapshot.Outcome{}, fmt.Errorf("encode version %d: %w", v.ID, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO versions (target, id, text_hash, doc) VALUES ($1, $2, $3, $4)
			ON CONFLICT (target, id) DO UPDATE SET text_hash = excluded.text_hash, doc = excluded.doc`,
			obs.Target, int64(v.ID), v.TextHash, string(doc)); err != nil {
			return snapshot.Outcome{}, fmt.Errorf("store version %d: %w", v.ID, err)
		}
	}
	if err := putTarget(ctx, tx, p.State); err != nil {
		return snapshot.Outcome{}, err
	}
	out := p.Outcome
	if events != nil {
		evs, err := events(out)
		if err != nil {
			return snapshot.Outcome{}, snapshot.EventsError(obs.Target, err)
		}
		if err := writeEvents(ctx, tx, obs.Target, obs.At, evs); err != nil {
			return snapshot.Outcome{}, err
		}
	}
	return out, nil
}

func putChain(ctx context.Context, tx pgx.Tx, target string, links []snapshot.ChainLink) error {
	for _, l := range links {
		if _, err := tx.Exec(ctx, `INSERT INTO chain (target, seq, kind, data) VALUES ($1, $2, $3, $4)`,
			target, int64(l.Record.Seq), l.Record.Kind, l.Data); err != nil {
			return fmt.Errorf("chain record %d: %w", l.Record.Seq, err)
		}
	}
	return nil
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
		if _, err := tx.Exec(ctx, `INSERT INTO failures (target, seq, doc) VALUES ($1, $2, $3)`, target, int64(seq), string(doc)); err != nil {
			return fmt.Errorf("store failure: %w", err)
		}
		if err := putChain(ctx, tx, target, []snapshot.ChainLink{link}); err != nil {
			return fmt.Errorf("chain failure: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM failures WHERE target = $1 AND seq < $2`, target, int64(snapshot.OldestKeptFailure(seq))); err != nil {
			return fmt.Errorf("drop old failures: %w", err)
		}
		if events != nil {
			evs, err := events(st)
			if err != nil {
				return snapshot.EventsError(target, err)
			}
			snapshot.MarkFailing(&st, evs)
			if err := writeEvents(ctx, tx, target, f.At, evs); err != nil {
				return err
			}
		}
		return putTarget(ctx, tx, st)
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
		if err := putBlobs(ctx, tx, blobs); err != nil {
			return fmt.Errorf("store board page: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO boards (target, doc) VALUES ($1, $2)
			ON CONFLICT (target) DO UPDATE SET doc = excluded.doc`, target, string(doc)); err != nil {
			return fmt.Errorf("store board: %w", err)
		}
		return writeEvents(ctx, tx, target, at, events)
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
