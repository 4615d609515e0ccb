// Package snapshottest opens throw-away snapshot stores for tests and checks
// their integrity when the test ends.
package snapshottest

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	bolt "go.etcd.io/bbolt"
)

// Open opens a new store in a temporary directory with fsync off. When the
// test ends it runs bbolt's consistency check over the whole file, failing
// the test on any problem, and closes the store.
func Open(t testing.TB) *snapshot.Store {
	t.Helper()
	return OpenPath(t, filepath.Join(t.TempDir(), "monitord.db"), snapshot.Options{NoSync: true})
}

// OpenPath opens the store at path with o, with the same cleanup as Open.
// Closing the store earlier in the test is allowed: the cleanup then
// reopens the file read-only to check it.
func OpenPath(t testing.TB, path string, o snapshot.Options) *snapshot.Store {
	t.Helper()
	s, err := snapshot.Open(path, o)
	if err != nil {
		t.Fatalf("snapshottest: open %s: %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("snapshottest: close %s: %v", path, err)
		}
		Check(t, path)
	})
	return s
}

// Check runs bbolt's consistency check over the closed store at path.
func Check(t testing.TB, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Errorf("snapshottest: open %s for the integrity check: %v", path, err)
		return
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("snapshottest: %s is inconsistent: %v", path, err)
		}
		return nil
	})
	if err != nil {
		t.Errorf("snapshottest: check %s: %v", path, err)
	}
}

// ShiftSchema moves the schema version recorded in the closed store at path
// by delta (+1: a store written by a newer monitord; -1: an older one) and
// returns the new version.
func ShiftSchema(t testing.TB, path string, delta int) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("snapshottest: open %s to shift its schema: %v", path, err)
	}
	defer db.Close()
	var v uint64
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("meta"))
		if b == nil || len(b.Get([]byte("schema_version"))) != 8 {
			return fmt.Errorf("no meta/schema_version in %s", path)
		}
		v = binary.BigEndian.Uint64(b.Get([]byte("schema_version"))) + uint64(delta)
		return b.Put([]byte("schema_version"), binary.BigEndian.AppendUint64(nil, v))
	})
	if err != nil {
		t.Fatalf("snapshottest: shift the schema of %s: %v", path, err)
	}
	return int(v)
}
