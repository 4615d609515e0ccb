// Package snapshottest opens throw-away snapshot stores for tests and checks
// their integrity when the test ends.
package snapshottest

import (
	"path/filepath"
	"testing"

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
