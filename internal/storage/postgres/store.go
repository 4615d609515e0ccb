package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/monitord/monitord/internal/snapshot"
)

// Options configures Open.
type Options struct {
	// ReadOnly never creates or migrates the schema: the database must
	// hold exactly the schema this binary knows.
	ReadOnly bool
	// Logger receives migration messages (default: discard).
	Logger *slog.Logger
	// ReturnWindow is how many of a target's latest versions a new text is
	// compared with to detect a return (default 10, like bbolt's).
	ReturnWindow int
	// Timeout bounds connecting at Open and every read call (default 30s).
	Timeout time.Duration
	// MaxConns caps the connection pool (default: pgxpool's, max(4, cores),
	// or pool_max_conns in the DSN).
	MaxConns int32
}

// Store is monitord's history in PostgreSQL. It is safe for concurrent use,
// also by many processes sharing one database.
type Store struct {
	pool         *pgxpool.Pool
	path         string // the DSN without its password
	log          *slog.Logger
	returnWindow int
	timeout      time.Duration

	// ctx is cancelled by Close: reads (which take no context) derive their
	// per-call timeout from it.
	ctx    context.Context
	cancel context.CancelFunc

	commits atomic.Int64
	writes  atomic.Int64
}

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string), creates or migrates the schema (unless ReadOnly) and
// returns the store.
func Open(ctx context.Context, dsn string, o Options) (*Store, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.ReturnWindow <= 0 {
		o.ReturnWindow = 10
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if strings.TrimSpace(dsn) == "" {
		return nil, errors.New("postgres: no database given: set [storage] dsn (e.g. \"env:MONITORD_DSN\" with MONITORD_DSN=postgres://user@host/monitord)")
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors quote the DSN, password included: say only what failed.
		return nil, fmt.Errorf("postgres: [storage] dsn is not a PostgreSQL connection string (postgres://user:password@host:5432/db or \"host=... dbname=...\"): %w", parseCause(err))
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	name := Redact(dsn)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect to %s ([storage] dsn): %w", name, err)
	}
	cctx, cancel := context.WithTimeout(ctx, o.Timeout)
	err = pool.Ping(cctx)
	cancel()
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s ([storage] dsn): %w: check that the server runs and the dsn's host, port, user, password and database are right", name, err)
	}
	sctx, scancel := context.WithCancel(context.Background())
	s := &Store{pool: pool, path: name, log: o.Logger, returnWindow: o.ReturnWindow, timeout: o.Timeout, ctx: sctx, cancel: scancel}
	if err := s.migrate(ctx, o.ReadOnly); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// parseCause strips the connection string from pgx's parse errors.
func parseCause(err error) error {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		msg := pe.Error()
		if i := strings.LastIndex(msg, "`: "); i >= 0 {
			msg = msg[i+3:]
		}
		return errors.New(msg)
	}
	return err
}

// Redact names the database dsn connects to without any secret: the URL
// postgres://user@host:port/database rebuilt from what the driver parsed
// (so nothing of the password can survive, however the dsn spells it), or
// a placeholder for a dsn that does not parse.
func Redact(dsn string) string {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return "(an invalid [storage] dsn)"
	}
	u := url.URL{Scheme: "postgres", Path: "/" + cfg.Database}
	if cfg.User != "" {
		u.User = url.User(cfg.User)
	}
	if strings.HasPrefix(cfg.Host, "/") { // a Unix socket directory
		u.RawQuery = url.Values{"host": {cfg.Host}}.Encode()
	} else {
		u.Host = net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	}
	return u.String()
}

// Path returns the DSN the store was opened with, without its password.
func (s *Store) Path() string { return s.path }

// Close cancels running reads and closes the pool.
func (s *Store) Close() error {
	s.cancel()
	s.pool.Close()
	return nil
}

// readCtx is the context of one read call: the Store's, with the per-call
// timeout.
func (s *Store) readCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.ctx, s.timeout)
}

// Retryable SQLSTATEs: the transaction lost a race and may simply run again.
const (
	sqlSerializationFailure = "40001"
	sqlDeadlockDetected     = "40P01"
	sqlUniqueViolation      = "23505"
)

func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// maxTxAttempts bounds how often inTx runs a transaction that lost a race.
const maxTxAttempts = 5

// inTx runs fn in a read-write transaction (READ COMMITTED; fn takes the row
// locks it needs) and commits it. A transaction that fails with a
// serialization failure or a deadlock is rolled back and run again, up to
// maxTxAttempts times, so fn must be safe to run more than once. Other
// errors from fn roll back and are returned as they are. For the package's
// writers (Record, ..., and i15w's leases and claims).
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.inTxOptions(ctx, pgx.TxOptions{}, fn)
}

// inTxOptions is inTx with explicit transaction options.
func (s *Store) inTxOptions(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) (err error) {
			// A panic in fn (a caller's events function) rolls back and
			// is an error, as in bbolt's commits.
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic in write transaction: %v", p)
				}
			}()
			return fn(tx)
		})
		if err == nil {
			if opts.AccessMode != pgx.ReadOnly {
				s.commits.Add(1)
				s.writes.Add(1)
			}
			return nil
		}
		st := sqlState(err)
		if (st != sqlSerializationFailure && st != sqlDeadlockDetected) || attempt >= maxTxAttempts || ctx.Err() != nil {
			return err
		}
		s.log.Debug("postgres transaction retried", slog.String("sqlstate", st), slog.Int("attempt", attempt))
	}
}

// readTx runs fn in a read-only REPEATABLE READ transaction, so that what it
// reads is one consistent snapshot, under the per-call read timeout.
func (s *Store) readTx(fn func(ctx context.Context, tx pgx.Tx) error) error {
	ctx, cancel := s.readCtx()
	defer cancel()
	return s.inTxOptions(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return fn(ctx, tx)
	})
}

// wrapRead prefixes a read error with what was read, keeping ErrNotFound
// errors (already descriptive) as they are.
func (s *Store) wrapRead(err error, format string, args ...any) error {
	if err == nil || errors.Is(err, snapshot.ErrNotFound) {
		return err
	}
	return fmt.Errorf("postgres: read "+format+" from %s: %w", append(append(args, s.path), err)...)
}
