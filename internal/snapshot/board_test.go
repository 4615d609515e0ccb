package snapshot_test

import (
	"context"
	"encoding/binary"
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

// TestMigrationV4AddsBoards: a v3 store (no boards bucket) opens, migrates
// and keeps its versions; boards can then be recorded.
func TestMigrationV4AddsBoards(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s := snapshottest.OpenPath(t, path, snapshot.Options{})
	ctx := context.Background()
	if _, err := s.Record(ctx, observation("shop", policyText("01", 3000), t0), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("boards")); err != nil {
			return err
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 3)
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Open(path, snapshot.Options{ReadOnly: true, Timeout: time.Second}); !errors.Is(err, snapshot.ErrSchema) {
		t.Fatalf("a v3 store opened read-only: %v", err)
	}
	s2 := snapshottest.OpenPath(t, path, snapshot.Options{})
	if vs, err := s2.Versions("shop"); err != nil || len(vs) != 1 {
		t.Fatalf("versions after migration = %d, %v", len(vs), err)
	}
	if err := s2.RecordBoard(ctx, "shop", snapshot.BoardState{URL: "https://shop.example/notice", LastAttempt: t0}, nil, nil); err != nil {
		t.Fatal(err)
	}
}
