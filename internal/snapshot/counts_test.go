package snapshot_test

import (
	"context"
	"encoding/binary"
	"maps"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

func counts(t *testing.T, s *snapshot.Store) map[snapshot.EventKey]int {
	t.Helper()
	c, err := s.EventCounts()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wantCounts(t *testing.T, s *snapshot.Store, want map[snapshot.EventKey]int) {
	t.Helper()
	if got := counts(t, s); !maps.Equal(got, want) {
		t.Fatalf("event counts = %v, want %v", got, want)
	}
}

// TestMigrationV2ComputesCounts: a store written before the counters
// existed (schema v1) gets them computed from its events on open.
func TestMigrationV2ComputesCounts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s := snapshottest.OpenPath(t, path, snapshot.Options{})
	ctx := context.Background()
	if _, err := s.Record(ctx, observation("shop", policyText("01", 3000), t0), changeEvents("ops", "audit")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, observation("mall", policyText("02", 3000), t0), changeEvents()); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDelivered("evt_shop_1", "ops", t0.Add(time.Minute), 200); err != nil {
		t.Fatal(err)
	}
	want := counts(t, s)
	if len(want) != 3 {
		t.Fatalf("counts before = %v", want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Make it a v1 file: no counter bucket, schema version 1.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("event_counts")); err != nil {
			return err
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 1)
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Open(path, snapshot.Options{ReadOnly: true, Timeout: time.Second}); err == nil {
		t.Fatal("a v1 store opened read-only without migration")
	}
	s2 := snapshottest.OpenPath(t, path, snapshot.Options{})
	wantCounts(t, s2, want)
}
