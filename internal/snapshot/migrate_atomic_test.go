package snapshot

import (
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A store whose creation fails part-way (a step's error stands for a kill)
// is left as it was: not at one of the versions between.
func TestMigrationIsOneTransaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	step := migrations[2]
	migrations[2] = func(*bolt.Tx) error { return errors.New("stopped") }
	_, err := Open(path, Options{})
	migrations[2] = step
	if err == nil {
		t.Fatal("open succeeded with a failing migration")
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var v int
	err = db.View(func(tx *bolt.Tx) (err error) { v, err = readSchemaVersion(tx); return err })
	db.Close()
	if err != nil || v != 0 {
		t.Fatalf("after a failed creation the store is at schema v%d (%v), want v0", v, err)
	}
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("the next open does not complete the store: %v", err)
	}
	st.Close()
}
