package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/snapshot"
)

// Target returns the state of one target, or snapshot.ErrNotFound.
func (s *Store) Target(name string) (snapshot.TargetState, error) {
	var st snapshot.TargetState
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		var ok bool
		var err error
		st, ok, err = getTarget(ctx, tx, name)
		if err == nil && !ok {
			err = fmt.Errorf("%w: target %q", snapshot.ErrNotFound, name)
		}
		return err
	})
	return st, s.wrapRead(err, "target %q", name)
}

func getTarget(ctx context.Context, tx pgx.Tx, name string) (snapshot.TargetState, bool, error) {
	var doc []byte
	err := tx.QueryRow(ctx, `SELECT doc FROM targets WHERE name = $1`, name).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && doc == nil) {
		return snapshot.TargetState{}, false, nil
	}
	if err != nil {
		return snapshot.TargetState{}, false, err
	}
	var st snapshot.TargetState
	if err := json.Unmarshal(doc, &st); err != nil {
		return snapshot.TargetState{}, false, fmt.Errorf("decode target %q: %w", name, err)
	}
	return st, true, nil
}

// Targets returns every target's state, by name.
func (s *Store) Targets() ([]snapshot.TargetState, error) {
	var out []snapshot.TargetState
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT doc FROM targets WHERE doc IS NOT NULL ORDER BY name`)
		if err != nil {
			return err
		}
		out, err = collectDocs[snapshot.TargetState](rows, "target")
		return err
	})
	return out, s.wrapRead(err, "targets")
}

// TargetsWithCurrent returns every target's state and current version, by
// name, from one snapshot. gen identifies the database's state: it is a
// hash of the transaction snapshot (pg_current_snapshot: the next
// transaction id and those in progress), which stays the same exactly while
// no transaction commits or starts writing, so that a caller passing the
// gen of its last answer gets nil and keeps its copy. (Writes to other
// databases of the cluster move it too: the answer is then computed again.)
func (s *Store) TargetsWithCurrent(known int) (out []snapshot.TargetCurrent, gen int, err error) {
	err = s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		var snap string
		if err := tx.QueryRow(ctx, `SELECT pg_current_snapshot()::text`).Scan(&snap); err != nil {
			return err
		}
		h := fnv.New64a()
		h.Write([]byte(snap))
		gen = int(h.Sum64()&math.MaxInt64) | 1
		if known > 0 && gen == known {
			return nil
		}
		rows, err := tx.Query(ctx, `SELECT t.doc, v.doc FROM targets t
			LEFT JOIN versions v ON v.target = t.name AND v.id = (t.doc->>'current')::bigint
			WHERE t.doc IS NOT NULL ORDER BY t.name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tdoc, vdoc []byte
			if err := rows.Scan(&tdoc, &vdoc); err != nil {
				return err
			}
			var tc snapshot.TargetCurrent
			if err := json.Unmarshal(tdoc, &tc.State); err != nil {
				return fmt.Errorf("decode target: %w", err)
			}
			if tc.State.Current != 0 {
				if vdoc == nil {
					return fmt.Errorf("%w: version %d of %q", snapshot.ErrNotFound, tc.State.Current, tc.State.Name)
				}
				var v snapshot.Version
				if err := json.Unmarshal(vdoc, &v); err != nil {
					return fmt.Errorf("decode version: %w", err)
				}
				tc.Current = &v
			}
			out = append(out, tc)
		}
		return rows.Err()
	})
	return out, gen, s.wrapRead(err, "targets with their current versions")
}

// Versions returns the versions of a target, oldest first, or
// snapshot.ErrNotFound for a target the store has never seen.
func (s *Store) Versions(target string) ([]snapshot.Version, error) {
	var out []snapshot.Version
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT doc FROM versions WHERE target = $1 ORDER BY id`, target)
		if err != nil {
			return err
		}
		if out, err = collectDocs[snapshot.Version](rows, "version"); err != nil || len(out) > 0 {
			return err
		}
		if _, ok, err := getTarget(ctx, tx, target); err != nil || ok {
			return err
		}
		return fmt.Errorf("%w: target %q", snapshot.ErrNotFound, target)
	})
	return out, s.wrapRead(err, "versions of %q", target)
}

// Version returns one version of a target, or snapshot.ErrNotFound.
func (s *Store) Version(target string, id uint64) (snapshot.Version, error) {
	var v snapshot.Version
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) (err error) {
		v, err = getVersion(ctx, tx, target, id)
		return err
	})
	return v, s.wrapRead(err, "version %d of %q", id, target)
}

// Current returns the current version of a target, or nil, nil when the
// target has none (or is unknown).
func (s *Store) Current(target string) (*snapshot.Version, error) {
	var cur *snapshot.Version
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		st, ok, err := getTarget(ctx, tx, target)
		if err != nil || !ok || st.Current == 0 {
			return err
		}
		v, err := getVersion(ctx, tx, target, st.Current)
		if err != nil {
			return err
		}
		cur = &v
		return nil
	})
	return cur, s.wrapRead(err, "current version of %q", target)
}

// ReturnOf reports which recent version of target (within the return
// window) has the text with textHash, 0 when none.
func (s *Store) ReturnOf(target, textHash string) (uint64, error) {
	var id uint64
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) (err error) {
		id, err = s.returnOf(ctx, tx, target, textHash)
		return err
	})
	return id, s.wrapRead(err, "recent versions of "+target)
}

func (s *Store) readBlob(hexSum string) ([]byte, error) {
	key, err := hex.DecodeString(hexSum)
	if err != nil || len(key) != sha256.Size {
		return nil, fmt.Errorf("bad blob hash %q", hexSum)
	}
	ctx, cancel := s.readCtx()
	defer cancel()
	var enc []byte
	err = s.pool.QueryRow(ctx, `SELECT data FROM blobs WHERE sha256 = $1`, key).Scan(&enc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: blob %s", snapshot.ErrNotFound, hexSum)
	}
	if err != nil {
		return nil, err
	}
	out, err := snapshot.DecodeBlob(enc)
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", hexSum, err)
	}
	return out, nil
}

// Text returns the extracted text of a version.
func (s *Store) Text(v snapshot.Version) (string, error) {
	text, err := s.readBlob(v.TextHash)
	return string(text), s.wrapRead(err, "text of version %d of %q", v.ID, v.Target)
}

// Raw returns the page of a version as fetched, or nil when none was kept.
func (s *Store) Raw(v snapshot.Version) ([]byte, error) {
	if v.RawHash == "" {
		return nil, nil
	}
	raw, err := s.readBlob(v.RawHash)
	return raw, s.wrapRead(err, "raw page of version %d of %q", v.ID, v.Target)
}

// Original returns the page as fetched of a version whose raw page is
// another document, nil when there is none.
func (s *Store) Original(v snapshot.Version) ([]byte, error) {
	if v.OriginalHash == "" {
		return nil, nil
	}
	raw, err := s.readBlob(v.OriginalHash)
	return raw, s.wrapRead(err, "original page of version %d of %q", v.ID, v.Target)
}

// Blob returns stored content by its hex SHA-256, or snapshot.ErrNotFound.
func (s *Store) Blob(sha256Hex string) ([]byte, error) {
	out, err := s.readBlob(sha256Hex)
	return out, s.wrapRead(err, "blob %s", sha256Hex)
}

// Failures returns a target's kept failed observations, oldest first.
func (s *Store) Failures(target string) ([]snapshot.Failure, error) {
	var out []snapshot.Failure
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT doc FROM failures WHERE target = $1 ORDER BY seq`, target)
		if err != nil {
			return err
		}
		out, err = collectDocs[snapshot.Failure](rows, "failure")
		return err
	})
	return out, s.wrapRead(err, "failures of %q", target)
}

// Board returns the stored board state of a target; false when none.
func (s *Store) Board(target string) (snapshot.BoardState, bool, error) {
	var st snapshot.BoardState
	var ok bool
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		var doc []byte
		err := tx.QueryRow(ctx, `SELECT doc FROM boards WHERE target = $1`, target).Scan(&doc)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		if err := json.Unmarshal(doc, &st); err != nil {
			return fmt.Errorf("decode board of %q: %w", target, err)
		}
		return nil
	})
	return st, ok, s.wrapRead(err, "board of %q", target)
}

// Chain returns a target's chain records, oldest first, with their hashes.
func (s *Store) Chain(target string) ([]snapshot.ChainRecord, []string, error) {
	var recs []snapshot.ChainRecord
	var hashes []string
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT seq, data FROM chain WHERE target = $1 ORDER BY seq`, target)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			var data []byte
			if err := rows.Scan(&seq, &data); err != nil {
				return err
			}
			var r snapshot.ChainRecord
			if err := json.Unmarshal(data, &r); err != nil {
				return fmt.Errorf("chain record %d: %w", seq, err)
			}
			recs = append(recs, r)
			hashes = append(hashes, snapshot.RecordHash(data))
		}
		return rows.Err()
	})
	return recs, hashes, s.wrapRead(err, "chain of %q", target)
}

// ChainHeads returns every target's chain head, by target name.
func (s *Store) ChainHeads() (map[string]snapshot.ChainHead, error) {
	sts, err := s.Targets()
	if err != nil {
		return nil, err
	}
	out := make(map[string]snapshot.ChainHead, len(sts))
	for _, st := range sts {
		out[st.Name] = st.Chain
	}
	return out, nil
}

// Stats counts targets, versions, blobs and outbox entries. FileSize is the
// database's size (pg_database_size) and DataSize what monitord's tables
// and their indexes take.
func (s *Store) Stats() (snapshot.Stats, error) {
	st := snapshot.Stats{Deliveries: map[string]int{}}
	err := s.readTx(func(ctx context.Context, tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM targets WHERE doc IS NOT NULL),
			(SELECT count(*) FROM versions),
			(SELECT count(*) FROM failures),
			(SELECT count(*) FROM events),
			pg_database_size(current_database()),
			(SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
				JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname = current_schema() AND c.relkind = 'r'
				AND c.relname IN ('targets', 'versions', 'blobs', 'failures', 'chain', 'boards', 'events', 'deliveries'))`).
			Scan(&st.Targets, &st.Versions, &st.Failures, &st.Events, &st.FileSize, &st.DataSize); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*), coalesce(sum(octet_length(data)), 0)::bigint, coalesce(sum(size), 0)::bigint FROM blobs`).
			Scan(&st.Blobs, &st.BlobBytes, &st.BlobContentBytes); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT state, count(*) FROM deliveries GROUP BY state`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var state string
			var n int
			if err := rows.Scan(&state, &n); err != nil {
				return err
			}
			st.Deliveries[state] = n
		}
		return rows.Err()
	})
	st.Writes, st.Commits = s.writes.Load(), s.commits.Load()
	return st, s.wrapRead(err, "stats")
}
