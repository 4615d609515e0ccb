package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/monitord/monitord/internal/storage"
	"github.com/monitord/monitord/internal/storage/postgres"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
	"github.com/monitord/monitord/internal/storage/storagetest"
)

// The PostgreSQL driver meets the conformance suite the bbolt store meets.
// Each place is a fresh database of the test cluster.
func TestConformancePostgres(t *testing.T) {
	storagetest.RunDriver(t, storagetest.Driver{New: postgresPlace})
}

func postgresPlace(t testing.TB) storagetest.Place {
	dsn := pgtest.Start(t)
	return storagetest.Place{
		Open: func(o storage.Options) (storage.Store, error) {
			s, err := postgres.Open(context.Background(), dsn, postgres.Options{ReadOnly: o.ReadOnly, Logger: o.Logger})
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		// A newer monitord would have applied a migration this one does
		// not know.
		MakeNewer: func(t testing.TB) {
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (999, '999_from_the_future')`); err != nil {
				t.Fatal(err)
			}
		},
	}
}
