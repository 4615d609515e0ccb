package storage

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage/postgres"
)

// ErrInUse is returned by Open when another process holds an embedded
// store's lock: a running daemon owns it, and readers turn to its API.
// PostgreSQL is shared by design and never returns it.
var ErrInUse = snapshot.ErrInUse

// ErrNotFound is returned when a target, version, blob, event or delivery
// does not exist, by every driver.
var ErrNotFound = snapshot.ErrNotFound

// ErrSchema is returned by Open when the stored schema cannot be used by
// this binary: newer than it knows (upgrade monitord), or, read-only, not
// there yet or older (run monitord once to create or migrate it).
var ErrSchema = snapshot.ErrSchema

// ErrDeliveryState is returned when a delivery is not in a state that
// allows the operation (a failed attempt of a delivered one, a re-queue of
// an event with nothing expired or failed).
var ErrDeliveryState = snapshot.ErrDeliveryState

// ErrNoDriver is returned by Open for a driver this binary does not have.
var ErrNoDriver = errors.New("storage: driver not built in")

// Options configures Open.
type Options struct {
	// ReadOnly opens the store for the reading commands: nothing is
	// written, and an embedded file held by a running daemon gives
	// ErrInUse after Timeout instead of waiting.
	ReadOnly bool
	// Timeout bounds the wait for an embedded file's lock (default 1s).
	Timeout time.Duration
	// Logger receives migration and maintenance messages (default: discard).
	Logger *slog.Logger
}

// Open opens the store [storage] names: the bbolt file at path (driver
// "bbolt", the default) or the PostgreSQL database at dsn (driver
// "postgres"). With ReadOnly the Store's write methods must not be called;
// use OpenReader to have the compiler see to it.
func Open(cfg *config.Config, o Options) (Store, error) {
	switch cfg.Storage.Driver {
	case config.DriverBbolt, "":
		return OpenFile(cfg.Storage.Path, o)
	case config.DriverPostgres:
		return openPostgres(cfg, o)
	default:
		return nil, fmt.Errorf("%w: [storage] driver %q is unknown: use %q or %q", ErrNoDriver,
			cfg.Storage.Driver, config.DriverBbolt, config.DriverPostgres)
	}
}

// OpenReader opens the store read-only, as Open with ReadOnly.
func OpenReader(cfg *config.Config, o Options) (Reader, error) {
	o.ReadOnly = true
	return Open(cfg, o)
}

// OpenFile opens the bbolt file at path, whatever the configuration says:
// a backup, or the file `migrate -from` copies.
func OpenFile(path string, o Options) (Store, error) {
	st, err := snapshot.Open(path, snapshot.Options{ReadOnly: o.ReadOnly, Timeout: o.Timeout, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Name names the store cfg points at, for people: the bbolt file's path,
// or the PostgreSQL DSN without its password.
func Name(cfg *config.Config) string {
	if cfg.Storage.Postgres() {
		return postgres.Redact(cfg.Storage.DSN.Reveal())
	}
	return cfg.Storage.Path
}
