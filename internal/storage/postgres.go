package storage

import (
	"context"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/storage/postgres"
)

// The PostgreSQL driver, for many workers sharing one database.
var (
	_ Store    = (*postgres.Store)(nil)
	_ PageKeys = (*postgres.Store)(nil)
)

// openPostgres opens the PostgreSQL database at [storage] dsn. Its
// timeouts are the driver's own (connecting, and every read): Options.Timeout
// is the wait for a bbolt file's lock, which a shared database has not.
func openPostgres(cfg *config.Config, o Options) (Store, error) {
	pg, err := postgres.Open(context.Background(), cfg.Storage.DSN.Reveal(), postgres.Options{ReadOnly: o.ReadOnly, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	return pg, nil
}
