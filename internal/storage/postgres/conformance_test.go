package postgres_test

import (
	"context"
	"testing"

	"github.com/monitord/monitord/internal/storage"
	"github.com/monitord/monitord/internal/storage/postgres"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
	"github.com/monitord/monitord/internal/storage/storagetest"
)

// The PostgreSQL driver meets the conformance suite the bbolt store meets.
func TestConformancePostgres(t *testing.T) {
	storagetest.Run(t, func(t testing.TB) storage.Store {
		s, err := postgres.Open(context.Background(), pgtest.Start(t), postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
