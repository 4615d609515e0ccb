package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/snapshot"
)

// Backup writes the whole database, as one consistent snapshot (REPEATABLE
// READ) taken while workers go on writing, to w as a bbolt store file — the
// embedded driver's format — and returns the bytes written. The file is
// portable and restorable: `monitord verify FILE` checks it, it runs as a
// store with [storage] driver = "bbolt", and `monitord migrate -from FILE
// -to postgres` loads it into a database again. Every record keeps its
// bytes (chain hashes hold). The file is built in a temporary directory
// first (os.TempDir; it needs about the space of the data).
func (s *Store) Backup(w io.Writer) (int64, error) {
	dir, err := os.MkdirTemp("", "monitord-backup-")
	if err != nil {
		return 0, fmt.Errorf("postgres: backup: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "monitord.db")
	l, err := snapshot.NewLoader(path)
	if err != nil {
		return 0, fmt.Errorf("postgres: backup: %w", err)
	}
	ctx := s.ctx
	err = s.inTxOptions(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return dump(ctx, tx, l)
	})
	if err != nil {
		l.Abort()
		return 0, fmt.Errorf("postgres: backup %s: %w", s.path, err)
	}
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("postgres: backup: write the file: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("postgres: backup: %w", err)
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	if err != nil {
		return n, fmt.Errorf("postgres: backup: %w", err)
	}
	return n, nil
}

// dump feeds every record of the database to l.
func dump(ctx context.Context, tx pgx.Tx, l *snapshot.Loader) error {
	each := func(what, sql string, scan func(pgx.Rows) error) error {
		rows, err := tx.Query(ctx, sql)
		if err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		return nil
	}
	var (
		name string
		n    int64
		doc  []byte
	)
	if err := each("targets", `SELECT name, doc FROM targets WHERE doc IS NOT NULL`, func(r pgx.Rows) error {
		if err := r.Scan(&name, &doc); err != nil {
			return err
		}
		return l.Target(name, doc)
	}); err != nil {
		return err
	}
	for _, t := range []struct {
		what, sql string
		put       func(string, uint64, []byte) error
	}{
		{"versions", `SELECT target, id, doc FROM versions`, l.Version},
		{"failures", `SELECT target, seq, doc FROM failures`, l.Failure},
		{"chain", `SELECT target, seq, data FROM chain`, l.Chain},
	} {
		if err := each(t.what, t.sql, func(r pgx.Rows) error {
			if err := r.Scan(&name, &n, &doc); err != nil {
				return err
			}
			return t.put(name, uint64(n), doc)
		}); err != nil {
			return err
		}
	}
	if err := each("boards", `SELECT target, doc FROM boards`, func(r pgx.Rows) error {
		if err := r.Scan(&name, &doc); err != nil {
			return err
		}
		return l.Board(name, doc)
	}); err != nil {
		return err
	}
	if err := each("blobs", `SELECT sha256, data FROM blobs`, func(r pgx.Rows) error {
		var key []byte
		if err := r.Scan(&key, &doc); err != nil {
			return err
		}
		return l.Blob(key, doc)
	}); err != nil {
		return err
	}
	return each("events", `SELECT e.doc, coalesce(json_agg(d.doc ORDER BY d.webhook) FILTER (WHERE d.event_id IS NOT NULL), '[]'::json)
		FROM events e LEFT JOIN deliveries d ON d.event_id = e.id GROUP BY e.id`, func(r pgx.Rows) error {
		var ds []byte
		if err := r.Scan(&doc, &ds); err != nil {
			return err
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(ds, &raws); err != nil {
			return fmt.Errorf("decode deliveries: %w", err)
		}
		docs := make([][]byte, len(raws))
		for i, r := range raws {
			docs[i] = r
		}
		return l.Event(doc, docs)
	})
}
