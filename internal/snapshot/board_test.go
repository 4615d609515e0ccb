package snapshot_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

func TestRecordBoard(t *testing.T) {
	s := snapshottest.Open(t)
	ctx := context.Background()
	if _, ok, err := s.Board("shop"); err != nil || ok {
		t.Fatalf("Board before any read = %v, %v", ok, err)
	}
	page := []byte("<html><body><table><tr><td><a href=/1>개인정보처리방침 개정 안내</a></td><td>2026-11-13</td></tr></table></body></html>")
	sum := sha256.Sum256(page)
	st := snapshot.BoardState{
		URL: "https://shop.example/notice", Discovered: true, FirstRead: t0, LastRead: t0, LastAttempt: t0,
		SHA256: hex.EncodeToString(sum[:]), Listed: 1, Oldest: "2026-11-13",
		Posts: []snapshot.BoardPost{{URL: "https://shop.example/notice/1", Title: "개인정보처리방침 개정 안내", Posted: "2026-11-13", Effective: "2026-11-23", FirstSeen: t0, Event: "evt_announce"}},
	}
	ev := snapshot.Event{ID: "evt_announce", Type: "policy.announced", Target: "shop", CreatedAt: t0, Payload: []byte(`{"type":"policy.announced"}`), Webhooks: []string{"ops"}}
	if err := s.RecordBoard(ctx, "shop", st, [][]byte{page}, []snapshot.Event{ev}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Board("shop")
	if err != nil || !ok || got.URL != st.URL || len(got.Posts) != 1 || got.Posts[0].Effective != "2026-11-23" || !got.Posts[0].FirstSeen.Equal(t0) {
		t.Fatalf("Board = %+v, %v, %v", got, ok, err)
	}
	b, err := s.Blob(got.SHA256)
	if err != nil || string(b) != string(page) {
		t.Fatalf("board page blob = %q, %v", b, err)
	}
	if _, err := s.Event("evt_announce"); err != nil {
		t.Fatalf("announced event not in the outbox: %v", err)
	}
	// The same event id twice is refused and nothing of that call is stored.
	st.Listed = 99
	if err := s.RecordBoard(ctx, "shop", st, nil, []snapshot.Event{ev}); err == nil {
		t.Fatal("a duplicate event id was accepted")
	}
	if got, _, _ := s.Board("shop"); got.Listed != 1 {
		t.Errorf("a failed RecordBoard changed the state: listed %d", got.Listed)
	}
	// Posts are bounded, the newest kept.
	for i := range snapshot.MaxBoardPosts + 5 {
		st.Posts = append(st.Posts, snapshot.BoardPost{URL: "https://shop.example/notice/x" + string(rune('a'+i%26)) + string(rune('a'+i/26)), FirstSeen: t0})
	}
	if err := s.RecordBoard(ctx, "shop", st, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Board("shop"); len(got.Posts) != snapshot.MaxBoardPosts {
		t.Errorf("%d posts kept, want %d", len(got.Posts), snapshot.MaxBoardPosts)
	}
	if _, err := s.Blob("00"); err == nil {
		t.Error("a bad hash was read")
	}
}

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
