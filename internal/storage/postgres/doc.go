// Package postgres is monitord's PostgreSQL driver: the same history as the
// embedded bbolt store (internal/snapshot) — targets, versions,
// content-addressed blobs, failures, chained records, boards and the alert
// outbox — in tables that any number of `monitord run` processes share.
//
// # One model, one set of rules
//
// Rows hold snapshot's records (doc columns: the JSON the bbolt store
// writes; chain records byte for byte, since their hashes are over those
// bytes; blobs in snapshot's blob encoding). What an observation does to a
// target (dedupe by text hash, returns, technical marks, the chain records
// and their hashes, failure counting, delivery state changes) is decided by
// snapshot's exported pure functions, called inside this driver's
// transactions exactly as the bbolt store calls them inside its own.
//
// # Transactions and concurrency
//
// Record, RecordFailure and RecordBoard write everything a check produces
// and the events it raises in one transaction (a transactional outbox).
// Writers lock the target's row first (SELECT ... FOR UPDATE), so two
// workers recording the same target serialise and cannot fork its chain.
// Blob inserts are sorted by hash (no lock-order deadlocks between
// transactions sharing blobs); a transaction that still loses a race
// (deadlock, serialization failure) is run again, which is why the events
// callbacks must be pure, as with bbolt's group commit.
//
// Reads take no context (the storage.Reader interface): each runs in its
// own read-only REPEATABLE READ transaction under a timeout derived from a
// context the Store owns and Close cancels.
//
// # Schema
//
// Embedded ordered migrations (migrations/NNN_name.sql) are applied at Open
// in one transaction holding an advisory lock and recorded in
// schema_migrations; a database holding a migration this binary does not
// know (a newer monitord migrated it) is refused with snapshot.ErrSchema.
//
// # For the files of the many-worker coordination (lease.go, claim*.go, import.go)
//
// They are in this package and use: s.pool (the *pgxpool.Pool), s.inTx(ctx,
// fn) (a read-write transaction, retried on deadlock/serialization
// failure), s.readTx(fn) (a consistent read-only snapshot under the read
// timeout), s.ctx (cancelled by Close), lockTarget(ctx, tx, name) (the
// target's row, created with a NULL doc when missing, locked FOR UPDATE),
// and nanos(t) (the bigint time columns). A targets row with a NULL doc is
// a target known to the schedule but never observed: readers treat it as
// absent.
package postgres
