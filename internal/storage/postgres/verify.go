package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/snapshot"
)

// verifyBatch is how many targets Verify reads the chains and versions of
// per query.
const verifyBatch = 256

// Verify checks the whole database with the bbolt store's rules
// (snapshot.Verifier): every target's chain (each record's SHA-256
// recomputed from its stored bytes and compared with the next record's
// link, sequence without gaps, times in order, head equal to the target's
// state), every version against the record that created it, and every blob
// decoded and hashed against its key. It reads one consistent snapshot
// (REPEATABLE READ) while workers go on writing. Consistency stays empty:
// page-level checks are PostgreSQL's own (amcheck, checksums).
func (s *Store) Verify(ctx context.Context, progress snapshot.VerifyProgress) (*snapshot.VerifyReport, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	start := time.Now()
	vf := snapshot.NewVerifier()
	rep := vf.Report()
	err := s.inTxOptions(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		vf = snapshot.NewVerifier() // a retried transaction starts over
		rep = vf.Report()
		progress("structure", 0, 1)
		progress("structure", 1, 1)
		if err := verifyChains(ctx, tx, vf, progress); err != nil {
			return err
		}
		var total int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM blobs`).Scan(&total); err != nil {
			return err
		}
		return vf.CheckBlobs(ctx, total, progress, func(send func(k, v []byte) bool) error {
			rows, err := tx.Query(ctx, `SELECT sha256, data FROM blobs`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var k, v []byte
				if err := rows.Scan(&k, &v); err != nil {
					return err
				}
				if !send(k, v) {
					return nil
				}
			}
			return rows.Err()
		})
	})
	rep.Duration = time.Since(start)
	if err != nil {
		return rep, fmt.Errorf("postgres: verify %s: %w", s.path, err)
	}
	return rep, nil
}

func verifyChains(ctx context.Context, tx pgx.Tx, vf *snapshot.Verifier, progress snapshot.VerifyProgress) error {
	// Versions or chains stored for a target with no state are named too.
	for _, table := range []string{"versions", "chain"} {
		rows, err := tx.Query(ctx, `SELECT DISTINCT x.target FROM `+table+` x
			WHERE NOT EXISTS (SELECT 1 FROM targets t WHERE t.name = x.target AND t.doc IS NOT NULL) ORDER BY 1`)
		if err != nil {
			return err
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, n := range names {
			vf.Orphans(n, table)
		}
	}
	rows, err := tx.Query(ctx, `SELECT name, doc FROM targets WHERE doc IS NOT NULL ORDER BY name`)
	if err != nil {
		return err
	}
	type target struct {
		name string
		doc  []byte
	}
	var targets []target
	for rows.Next() {
		var t target
		if err := rows.Scan(&t.name, &t.doc); err != nil {
			rows.Close()
			return err
		}
		targets = append(targets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	total := len(targets)
	for i := 0; i < total; i += verifyBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		progress("chains", i, total)
		batch := targets[i:min(i+verifyBatch, total)]
		names := make([]string, len(batch))
		for j, t := range batch {
			names[j] = t.name
		}
		chains := map[string][]snapshot.StoredRecord{}
		rows, err := tx.Query(ctx, `SELECT target, seq, data FROM chain WHERE target = ANY($1) ORDER BY target, seq`, names)
		if err != nil {
			return err
		}
		for rows.Next() {
			var name string
			var r snapshot.StoredRecord
			var seq int64
			if err := rows.Scan(&name, &seq, &r.Data); err != nil {
				rows.Close()
				return err
			}
			r.Seq = uint64(seq)
			chains[name] = append(chains[name], r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		versions := map[string][]snapshot.StoredVersion{}
		rows, err = tx.Query(ctx, `SELECT target, id, doc FROM versions WHERE target = ANY($1) ORDER BY target, id`, names)
		if err != nil {
			return err
		}
		for rows.Next() {
			var name string
			var v snapshot.StoredVersion
			var id int64
			if err := rows.Scan(&name, &id, &v.Data); err != nil {
				rows.Close()
				return err
			}
			v.ID = uint64(id)
			versions[name] = append(versions[name], v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, t := range batch {
			var st snapshot.TargetState
			if err := json.Unmarshal(t.doc, &st); err != nil {
				vf.StateUnreadable(t.name, fmt.Errorf("decode target %q: %w", t.name, err))
				continue
			}
			vf.Target(t.name, st, chains[t.name], versions[t.name])
		}
	}
	progress("chains", total, total)
	return nil
}
