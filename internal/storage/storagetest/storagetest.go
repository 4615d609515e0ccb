// Package storagetest is the conformance suite of storage drivers: one set
// of expectations, drawn from the embedded bbolt store's behaviour, that
// every implementation of storage.Store must meet. A driver's tests call
//
//	storagetest.Run(t, func(t testing.TB) storage.Store { return openEmpty(t) })
//
// where open returns a new, empty, writable store and arranges its own
// cleanup (closing a store the suite already closed must be harmless), or,
// to also test that data outlives its store (reopen, read-only, a newer
// schema refused),
//
//	storagetest.RunDriver(t, storagetest.Driver{New: newPlace})
//
// with a Place that can open the same data again.
// Damage to a driver's own files or tables (tampering) is tested with the
// driver, not here.
//
// The fixtures (PolicyText, Observation, ChangeEvents, ...) are exported
// for the drivers' own tests, so that no two of them write their own.
package storagetest

import (
	"context"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

// Opener returns a new, empty, writable store for one subtest.
type Opener func(t testing.TB) storage.Store

// A test is one behaviour every driver has.
type test struct {
	name string
	run  func(t *testing.T, s storage.Store)
}

// tests lists the suite, by area; each runs on its own store.
var tests = [][]test{versionTests, importTests, failureTests, boardTests, outboxTests, chainTests, storeTests}

// Run runs every test of the suite, each as a subtest with a store of its
// own from open.
func Run(t *testing.T, open Opener) {
	for _, area := range tests {
		for _, tt := range area {
			t.Run(tt.name, func(t *testing.T) {
				tt.run(t, open(t))
			})
		}
	}
}

var bg = context.Background()

// Record records o without events and fails the test on an error.
func Record(t testing.TB, s storage.Store, o snapshot.Observation) snapshot.Outcome {
	t.Helper()
	out, err := s.Record(bg, o, nil)
	if err != nil {
		t.Fatalf("Record(%s at %s): %v", o.Target, o.At.Format(time.RFC3339), err)
	}
	return out
}

// RecordWith records o with events and fails the test on an error.
func RecordWith(t testing.TB, s storage.Store, o snapshot.Observation, events func(snapshot.Outcome) ([]snapshot.Event, error)) snapshot.Outcome {
	t.Helper()
	out, err := s.Record(bg, o, events)
	if err != nil {
		t.Fatalf("Record(%s at %s): %v", o.Target, o.At.Format(time.RFC3339), err)
	}
	return out
}

// Stats reads the store's counters and fails the test on an error.
func Stats(t testing.TB, s storage.Reader) snapshot.Stats {
	t.Helper()
	st, err := s.Stats()
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return st
}

// Versions reads a target's versions and fails the test on an error.
func Versions(t testing.TB, s storage.Reader, target string) []snapshot.Version {
	t.Helper()
	vs, err := s.Versions(target)
	if err != nil {
		t.Fatalf("Versions(%s): %v", target, err)
	}
	return vs
}

// EventCounts reads the delivery counters and fails the test on an error.
func EventCounts(t testing.TB, s storage.Reader) map[snapshot.EventKey]int {
	t.Helper()
	c, err := s.EventCounts()
	if err != nil {
		t.Fatalf("EventCounts: %v", err)
	}
	return c
}

// at is T0 plus d.
func at(d time.Duration) time.Time { return T0.Add(d) }
