package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/snapshot"
)

// ErrNotEmpty is returned by Import into a database that already holds a
// history that is not an earlier import of the same source.
var ErrNotEmpty = errors.New("the database already holds a monitord history")

// importBatch is how many records one transaction of Import writes.
const importBatch = 500

// ImportProgress is told, after every batch, how many records of each kind
// have been copied so far.
type ImportProgress func(copied map[string]int64)

// Import copies every record a store dump yields (snapshot.Store.Dump) into
// this database verbatim: the same JSON documents, the same blob
// encodings, every chain record's exact bytes, so every chain hash and
// head stays what it was and verify agrees on both sides.
//
// The database must be empty, or hold an earlier, interrupted or complete,
// import of the same source (named by source, e.g. the file's path): every
// row is inserted with ON CONFLICT DO NOTHING in batches of their own
// transactions, so running Import again resumes where it stopped and a
// complete import is left as it is. Anything else is refused with
// ErrNotEmpty. It returns how many records of each kind the dump held.
func (s *Store) Import(ctx context.Context, source string, dump func(context.Context, func(snapshot.DumpRecord) error) error, progress ImportProgress) (map[string]int64, error) {
	if err := s.beginImport(ctx, source); err != nil {
		return nil, err
	}
	seen := map[string]int64{}
	batch := &pgx.Batch{}
	flush := func() error {
		if batch.Len() == 0 {
			return nil
		}
		b := batch
		batch = &pgx.Batch{}
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			return tx.SendBatch(ctx, b).Close()
		})
		if err != nil {
			return fmt.Errorf("postgres: import from %s: %w", source, err)
		}
		if progress != nil {
			progress(seen)
		}
		return nil
	}
	err := dump(ctx, func(r snapshot.DumpRecord) error {
		if err := queueImport(batch, r); err != nil {
			return err
		}
		seen[r.Kind]++
		if batch.Len() >= importBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return seen, err
	}
	if _, err := s.pool.Exec(ctx, `UPDATE imports SET finished = $2 WHERE source = $1`, source, time.Now()); err != nil {
		return seen, fmt.Errorf("postgres: record the import of %s as complete: %w", source, err)
	}
	return seen, nil
}

// beginImport refuses a database with a history of its own and records
// the import (so that a second run of the same one may resume).
func (s *Store) beginImport(ctx context.Context, source string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// One import at a time: the lock ends with the transaction.
		if _, err := tx.Exec(ctx, `LOCK TABLE imports IN EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("postgres: lock the imports: %w", err)
		}
		var other []string
		rows, err := tx.Query(ctx, `SELECT source FROM imports WHERE source <> $1`, source)
		if err != nil {
			return fmt.Errorf("postgres: read the imports: %w", err)
		}
		other, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("postgres: read the imports: %w", err)
		}
		if len(other) > 0 {
			return fmt.Errorf("postgres: %s: %w: it was migrated from %s; migrate into a new, empty database", s.path, ErrNotEmpty, other[0])
		}
		var ours bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM imports WHERE source = $1)`, source).Scan(&ours); err != nil {
			return fmt.Errorf("postgres: read the imports: %w", err)
		}
		if !ours {
			var busy bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM targets WHERE doc IS NOT NULL)
				OR EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM blobs)`).Scan(&busy); err != nil {
				return fmt.Errorf("postgres: check that the database is empty: %w", err)
			}
			if busy {
				return fmt.Errorf("postgres: %s: %w (a monitord run has used it): migrate into a new, empty database", s.path, ErrNotEmpty)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO imports (source, started) VALUES ($1, $2)`, source, time.Now()); err != nil {
				return fmt.Errorf("postgres: record the import: %w", err)
			}
		}
		return nil
	})
}

// queueImport adds the insert of one dumped record to b.
func queueImport(b *pgx.Batch, r snapshot.DumpRecord) error {
	doc := string(r.Value) // the JSON exactly as the bbolt store holds it
	switch r.Kind {
	case snapshot.DumpBlob:
		sum, err := hex.DecodeString(r.Key)
		if err != nil || len(sum) != 32 {
			return fmt.Errorf("postgres: import: blob key %q is not a SHA-256", r.Key)
		}
		b.Queue(`INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			sum, r.Size, append([]byte(nil), r.Value...))
	case snapshot.DumpTarget:
		// A row the schedule or a lock made without a state gets it.
		b.Queue(`INSERT INTO targets (name, doc) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET doc = EXCLUDED.doc WHERE targets.doc IS NULL`, r.Target, doc)
	case snapshot.DumpVersion:
		var v struct {
			TextHash string `json:"text_hash"`
		}
		if err := json.Unmarshal(r.Value, &v); err != nil {
			return fmt.Errorf("postgres: import: version %d of %q: %w", r.Seq, r.Target, err)
		}
		b.Queue(`INSERT INTO versions (target, id, text_hash, doc) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			r.Target, int64(r.Seq), v.TextHash, doc)
	case snapshot.DumpFailure:
		b.Queue(`INSERT INTO failures (target, seq, doc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			r.Target, int64(r.Seq), doc)
	case snapshot.DumpChain:
		var c struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(r.Value, &c); err != nil {
			return fmt.Errorf("postgres: import: chain record %d of %q: %w", r.Seq, r.Target, err)
		}
		b.Queue(`INSERT INTO chain (target, seq, kind, data) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			r.Target, int64(r.Seq), c.Kind, append([]byte(nil), r.Value...))
	case snapshot.DumpBoard:
		b.Queue(`INSERT INTO boards (target, doc) VALUES ($1, $2) ON CONFLICT DO NOTHING`, r.Target, doc)
	case snapshot.DumpEvent:
		var e snapshot.Event
		if err := json.Unmarshal(r.Value, &e); err != nil {
			return fmt.Errorf("postgres: import: event %s: %w", r.Key, err)
		}
		b.Queue(`INSERT INTO events (id, type, target, version, created_ns, doc) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`, r.Key, e.Type, e.Target, int64(e.Version), nanos(e.CreatedAt), doc)
	case snapshot.DumpDelivery:
		var d snapshot.Delivery
		if err := json.Unmarshal(r.Value, &d); err != nil {
			return fmt.Errorf("postgres: import: delivery %s/%s: %w", r.Key, r.Target, err)
		}
		b.Queue(`INSERT INTO deliveries (event_id, webhook, state, next_ns, doc) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, r.Key, r.Target, d.State, nanos(d.NextAttempt), doc)
	default:
		return fmt.Errorf("postgres: import: unknown record kind %q", r.Kind)
	}
	return nil
}
