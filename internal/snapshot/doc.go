// Package snapshot owns monitord's on-disk history: the bbolt file that
// holds every target's state, every distinct version of its policy text,
// the pages and texts themselves, the recent failed checks, and the outbox
// of alerts still to deliver. It does no fetching, parsing or sending.
//
// # Layout
//
// schema.go declares every bucket and key, with the schema version that
// added it. Version ids are 8-byte big-endian keys from each target's own
// sequence (1, 2, 3, ...); time-ordered indexes use fixed-width UTC RFC 3339
// keys with nanoseconds. Values are JSON, except blobs.
//
// # Versions and blobs
//
// A version is identified by the sha256 of its extracted text. An
// observation with the same text only moves the current version's
// LastSeen. A changed text adds a version, marked Technical when the
// extraction rules changed with it, or Returned (with ReturnOf) when it
// repeats one of the recent versions. Texts and raw pages are blobs keyed
// by the sha256 of their content and stored DEFLATE-compressed, so
// identical content is stored once, across versions and targets.
//
// Blobs are never deleted: history is kept for good, and the store has no
// operation that removes a version. That makes reference counts
// unnecessary (no extra write per version, nothing to get out of step). If
// pruning is ever added it will be a mark-and-sweep over versions inside
// one write transaction.
//
// # Transactions
//
// Record and RecordFailure write everything one check produces, and the
// events it raises, in one transaction (a transactional outbox: an alert
// is stored exactly when the version it describes is). Concurrent calls are
// group-committed: they share one transaction and one fsync, like
// bolt.DB.Batch but without its fixed 10ms wait. The price is the same as
// Batch's: the callbacks producing events may run more than once and must
// be pure. Compression happens before the transaction, so the single writer
// is not held up by it.
//
// # Locking
//
// bbolt locks the file: one writable Open at a time, and a writable Open
// excludes read-only ones. A second process gets ErrInUse after
// Options.Timeout instead of hanging.
package snapshot
