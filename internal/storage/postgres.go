package storage

import (
	"context"
	"fmt"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/storage/postgres"
)

// openPostgres opens the PostgreSQL database at [storage] dsn. Its
// timeouts are the driver's own (connecting, and every read): Options.Timeout
// is the wait for a bbolt file's lock, which a shared database has not.
func openPostgres(cfg *config.Config, o Options) (Store, error) {
	pg, err := postgres.Open(context.Background(), cfg.Storage.DSN.Reveal(), postgres.Options{ReadOnly: o.ReadOnly, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	// Until the driver has every method of Store (then the assertion
	// `var _ Store = (*postgres.Store)(nil)` replaces this check).
	st, ok := any(pg).(Store)
	if !ok {
		pg.Close()
		return nil, fmt.Errorf("%w: [storage] driver %q is not complete in this build yet: use %q", ErrNoDriver, config.DriverPostgres, config.DriverBbolt)
	}
	return st, nil
}
