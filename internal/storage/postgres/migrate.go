package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/snapshot"
)

// The schema is a list of embedded SQL files, migrations/NNN_name.sql,
// applied in the order of NNN and recorded in schema_migrations. Add a
// change as a new file with a new number; never edit an applied one.
// Numbers 001-099 are the store's tables (store.go, record.go, ...),
// 100-199 the coordination of many workers (lease.go, claim*.go).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one embedded schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations, in order.
func migrations() ([]migration, error) {
	ents, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range ents {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %q is not named NNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(e.Name(), ".sql"), sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have the same number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrationLock is the key of the advisory lock that serialises schema
// changes: several workers starting at once apply each migration once.
const migrationLock = 0x6d6f6e69746f7264 // "monitord"

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// migrate brings the database to this binary's schema in one transaction
// under an advisory lock, or refuses a schema it does not know.
func (s *Store) migrate(ctx context.Context, readOnly bool) error {
	known, err := migrations()
	if err != nil {
		return fmt.Errorf("postgres: embedded migrations: %w", err)
	}
	if readOnly {
		return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
				return fmt.Errorf("postgres: read the schema of %s: %w", s.path, err)
			}
			if !exists {
				return fmt.Errorf("%w: %s holds no monitord schema: run `monitord run` or `monitord check` once to create it", snapshot.ErrSchema, s.path)
			}
			applied, err := appliedMigrations(ctx, tx)
			if err != nil {
				return fmt.Errorf("postgres: read the schema of %s: %w", s.path, err)
			}
			if err := s.checkNewer(known, applied); err != nil {
				return err
			}
			for _, m := range known {
				if !applied[m.version] {
					return fmt.Errorf("%w: the schema of %s lacks migration %s: run `monitord run` or `monitord check` once to migrate it", snapshot.ErrSchema, s.path, m.name)
				}
			}
			return nil
		})
	}
	var done []string
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return fmt.Errorf("wait for the schema lock: %w", err)
		}
		if _, err := tx.Exec(ctx, createMigrationsTable); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		applied, err := appliedMigrations(ctx, tx)
		if err != nil {
			return err
		}
		if err := s.checkNewer(known, applied); err != nil {
			return err
		}
		for _, m := range known {
			if applied[m.version] {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
				return fmt.Errorf("record migration %s: %w", m.name, err)
			}
			done = append(done, m.name)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, snapshot.ErrSchema) {
			return err
		}
		return fmt.Errorf("postgres: migrate the schema of %s: %w", s.path, err)
	}
	for _, name := range done {
		s.log.Info("store schema migrated", slog.String("dsn", s.path), slog.String("migration", name))
	}
	return nil
}

func appliedMigrations(ctx context.Context, tx pgx.Tx) (map[int]bool, error) {
	rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	out := make(map[int]bool, len(vs))
	for _, v := range vs {
		out[int(v)] = true
	}
	return out, nil
}

// checkNewer refuses a database a newer monitord has migrated: it holds
// migrations this binary does not know.
func (s *Store) checkNewer(known []migration, applied map[int]bool) error {
	var unknown []int
	for v := range applied {
		if !slices.ContainsFunc(known, func(m migration) bool { return m.version == v }) {
			unknown = append(unknown, v)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return fmt.Errorf("%w: the schema of %s has migration %d, which this monitord does not know (it knows up to %d): a newer monitord migrated it; upgrade monitord", snapshot.ErrSchema, s.path, unknown[len(unknown)-1], known[len(known)-1].version)
}
