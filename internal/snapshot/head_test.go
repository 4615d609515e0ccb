package snapshot_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/monitord/monitord/internal/snapshot"
)

// TestHead: Head reads what Target, Current and PageKey read, in one go;
// a page key that cannot be decoded is reported beside the rest, not as
// the read's error (a check then extracts instead of failing).
func TestHead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := snapshot.Open(path, snapshot.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.Head("daon")
	if err != nil || h.Known || h.Current != nil || h.Key != (snapshot.PageKey{}) || h.KeyErr != nil {
		t.Fatalf("unknown target: %+v, %v", h, err)
	}

	o := observation("daon", policyText("a", 4000), t0)
	o.PageKey = "k1:abc"
	record(t, s, o)
	o = observation("daon", policyText("b", 4000), t0.Add(time.Hour))
	o.PageKey = "k1:def"
	record(t, s, o)

	h, err = s.Head("daon")
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Target("daon")
	if err != nil {
		t.Fatal(err)
	}
	cur, err := s.Current("daon")
	if err != nil {
		t.Fatal(err)
	}
	pk, err := s.PageKey("daon")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Known || !reflect.DeepEqual(h.State, st) || h.Current == nil || !reflect.DeepEqual(*h.Current, *cur) || h.Key != pk || h.KeyErr != nil {
		t.Fatalf("Head %+v\nwant state %+v, current %+v, key %+v", h, st, *cur, pk)
	}
	if cur.ID != 2 || pk.Key != "k1:def" || pk.Version != 2 {
		t.Fatalf("current %d, key %+v: want version 2 with key k1:def", cur.ID, pk)
	}
	// spoil closes the store, writes garbage over bucket/key of target
	// "daon" and opens it again.
	spoil := func(bucket string) {
		t.Helper()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		tamper(t, path, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte(bucket)).Put([]byte("daon"), []byte("{not json"))
		})
		if s, err = snapshot.Open(path, snapshot.Options{NoSync: true}); err != nil {
			t.Fatal(err)
		}
	}
	spoil("page_keys")
	h, err = s.Head("daon")
	if err != nil || h.Current == nil || h.Current.ID != 2 || h.Key != (snapshot.PageKey{}) || h.KeyErr == nil {
		t.Fatalf("undecodable page key: %+v, %v: want version 2, no key, KeyErr set", h, err)
	}
	if _, err := s.PageKey("daon"); err == nil {
		t.Fatal("PageKey read an undecodable key without an error")
	}
	spoil("targets")
	defer func() { s.Close() }()
	if _, err := s.Head("daon"); err == nil || errors.Is(err, snapshot.ErrNotFound) {
		t.Fatalf("undecodable target state: %v, want a read error", err)
	}
}

// BenchmarkHead: what a re-check reads before it fetches, as one Head and
// as the three reads it replaces.
func BenchmarkHead(b *testing.B) {
	s, err := snapshot.Open(filepath.Join(b.TempDir(), "store.db"), snapshot.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	o := observation("daon", policyText("a", 20000), t0)
	o.PageKey = "k1:abc"
	record(b, s, o)
	b.Run("head", func(b *testing.B) {
		for b.Loop() {
			if h, err := s.Head("daon"); err != nil || h.Current == nil {
				b.Fatal(h, err)
			}
		}
	})
	b.Run("three", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Current("daon"); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Target("daon"); err != nil {
				b.Fatal(err)
			}
			if _, err := s.PageKey("daon"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
