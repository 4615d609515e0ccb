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

// The PostgreSQL driver meets the conformance suite the bbolt store meets,
// each place a fresh database.
func TestConformancePostgres(t *testing.T) {
	storagetest.RunDriver(t, storagetest.Driver{New: func(t testing.TB) storagetest.Place {
		dsn := pgtest.Start(t)
		return storagetest.Place{
			Open: func(o storage.Options) (storage.Store, error) {
				s, err := postgres.Open(context.Background(), dsn, postgres.Options{ReadOnly: o.ReadOnly, Logger: o.Logger})
				if err != nil {
					return nil, err
				}
				return s, nil
			},
			// A migration this binary does not know, as a newer monitord
			// would have recorded it.
			MakeNewer: func(t testing.TB) {
				ctx := context.Background()
				c, err := pgx.Connect(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close(ctx)
				if _, err := c.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (999, '999_future')`); err != nil {
					t.Fatal(err)
				}
			},
		}
	}})
}
