package storage

import (
	"fmt"

	"github.com/monitord/monitord/internal/config"
)

// openPostgres opens the PostgreSQL driver. It is wired once
// internal/storage/postgres lands.
func openPostgres(cfg *config.Config, o Options) (Store, error) {
	_ = cfg
	_ = o
	return nil, fmt.Errorf("%w: [storage] driver %q is not built in yet: use %q", ErrNoDriver, config.DriverPostgres, config.DriverBbolt)
}
