// Package storage holds the contract between monitord's layers and the
// place its history lives: the Store interface that the monitor, web,
// notify and CLI layers use, and nothing else. Two drivers implement it:
// internal/snapshot (the embedded bbolt file, the default) and
// internal/storage/postgres (PostgreSQL, for many workers sharing the
// targets). The records themselves (Version, Event, ChainRecord, ...) are
// snapshot's types: one model, two engines.
//
// The conformance suite in storage/storagetest runs the same behaviour
// against every driver: versions and dedupe, returns, cosmetic and
// technical marks, the outbox and its delivery states, counters, chained
// records and migrations.
package storage
