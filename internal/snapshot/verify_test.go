package snapshot_test

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
	bolt "go.etcd.io/bbolt"
)

// chainedStore writes a closed store with real history: alpha has three
// versions (a change, a return to the first text), a failure and
// checkpoints between; beta one version.
func chainedStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "monitord.db")
	s, err := snapshot.Open(path, snapshot.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	obs := func(target, variant string, at time.Time) snapshot.Observation {
		o := observation(target, policyText(variant, 3000), at)
		o.Header = http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Date": {at.Format(http.TimeFormat)}, "Set-Cookie": {"sid=1"}}
		return o
	}
	record(t, s, obs("alpha", "08", t0))
	record(t, s, obs("alpha", "08", t0.Add(25*time.Hour))) // checkpoint
	record(t, s, obs("alpha", "09", t0.Add(26*time.Hour))) // version 2
	if _, err := s.RecordFailure(ctx, "alpha", snapshot.Failure{At: t0.Add(27 * time.Hour), Status: 503, Error: "HTTP 503"}, nil); err != nil {
		t.Fatal(err)
	}
	record(t, s, obs("alpha", "08", t0.Add(28*time.Hour))) // version 3 returns to 1
	record(t, s, obs("beta", "10", t0))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func verifyFile(t *testing.T, path string) *snapshot.VerifyReport {
	t.Helper()
	s, err := snapshot.Open(path, snapshot.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Verify(context.Background(), nil)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return rep
}

func tamper(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// editJSON rewrites the JSON value at bucket path/key with edit.
func editJSON(t *testing.T, path string, buckets []string, key []byte, edit func(map[string]any)) {
	t.Helper()
	tamper(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(buckets[0]))
		for _, n := range buckets[1:] {
			b = b.Bucket([]byte(n))
		}
		var m map[string]any
		if err := json.Unmarshal(b.Get(key), &m); err != nil {
			return err
		}
		edit(m)
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return b.Put(key, data)
	})
}

func id(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

func TestVerifyWholeStore(t *testing.T) {
	path := chainedStore(t)
	rep := verifyFile(t, path)
	if !rep.OK() {
		t.Fatalf("a store written by Record does not verify: %+v", rep.Problems)
	}
	if rep.Targets != 2 || rep.Versions != 4 || rep.Records != 6 {
		t.Fatalf("verified %d targets, %d versions, %d records; want 2, 4, 6 (alpha: 3 versions, a checkpoint, a failure; beta: 1 version)", rep.Targets, rep.Versions, rep.Records)
	}
	s, err := snapshot.Open(path, snapshot.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, hashes, err := s.Chain("alpha")
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{}
	for i, r := range recs {
		kinds = append(kinds, r.Kind)
		if i > 0 && r.Prev != hashes[i-1] {
			t.Fatalf("record %d links to %s, want %s", r.Seq, r.Prev, hashes[i-1])
		}
	}
	if got := strings.Join(kinds, ","); got != "version,checkpoint,version,failure,version" {
		t.Fatalf("alpha's chain = %s", got)
	}
	if recs[0].Header["Set-Cookie"] != nil || recs[0].Header["Content-Type"] == nil {
		t.Fatalf("headers kept = %v, want all but cookies", recs[0].Header)
	}
	if recs[2].PrevVersion != 1 || !recs[2].PrevLastSeen.Equal(t0.Add(25*time.Hour)) {
		t.Fatalf("version 2's record closes version %d at %s, want 1 at %s", recs[2].PrevVersion, recs[2].PrevLastSeen, t0.Add(25*time.Hour))
	}
	st, _ := s.Target("alpha")
	if st.Chain.Head != hashes[len(hashes)-1] || st.Chain.Records != 5 || st.Chain.TrustedFrom != 1 {
		t.Fatalf("alpha's head = %+v", st.Chain)
	}
}

// An unchanged re-check writes no record until a checkpoint is due.
func TestUnchangedRecheckWritesNoRecord(t *testing.T) {
	s := snapshottest.Open(t)
	text := policyText("08", 3000)
	record(t, s, observation("alpha", text, t0))
	for i := 1; i <= 23; i++ {
		record(t, s, observation("alpha", text, t0.Add(time.Duration(i)*time.Hour)))
	}
	st, _ := s.Target("alpha")
	if st.Chain.Records != 1 {
		t.Fatalf("after 23 unchanged hourly checks the chain has %d records, want 1", st.Chain.Records)
	}
	record(t, s, observation("alpha", text, t0.Add(24*time.Hour)))
	st, _ = s.Target("alpha")
	if st.Chain.Records != 2 {
		t.Fatalf("after 24 h the chain has %d records, want a checkpoint (2)", st.Chain.Records)
	}
	recs, _, _ := s.Chain("alpha")
	if cp := recs[1]; cp.Kind != snapshot.ChainCheckpoint || cp.Seen != 25 || !cp.LastSeen.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("checkpoint = %+v", cp)
	}
}

// tamperCase is one edit of a chained store and what verify must say.
type tamperCase struct {
	name   string
	edit   func(t *testing.T, path string)
	target string
	want   string // in the first problem for the target
}

// tamperCases are the edits verify must name.
func tamperCases() []tamperCase {
	return []tamperCase{
		{"edit a stored text", func(t *testing.T, path string) {
			s, _ := snapshot.Open(path, snapshot.Options{ReadOnly: true})
			v, _ := s.Version("alpha", 2)
			s.Close()
			key, _ := hex.DecodeString(v.TextHash)
			forged := []byte(strings.Replace(policyText("09", 3000), "이름", "주소", 1))
			enc := append([]byte{0}, binary.AppendUvarint(nil, uint64(len(forged)))...)
			tamper(t, path, func(tx *bolt.Tx) error {
				return tx.Bucket([]byte("blobs")).Bucket(key).Put([]byte{0}, append(enc, forged...))
			})
		}, "alpha", "text of version 2 of \"alpha\""},
		{"edit a header", func(t *testing.T, path string) {
			editJSON(t, path, []string{"versions", "alpha"}, id(2), func(m map[string]any) {
				m["header"].(map[string]any)["Content-Type"] = []any{"text/plain"}
			})
		}, "alpha", "version 2: header Content-Type"},
		{"edit a timestamp", func(t *testing.T, path string) {
			editJSON(t, path, []string{"versions", "alpha"}, id(2), func(m map[string]any) {
				m["first_seen"] = t0.Add(-48 * time.Hour).Format(time.RFC3339Nano)
			})
		}, "alpha", "version 2: first_seen"},
		{"move a record's timestamp back", func(t *testing.T, path string) {
			editJSON(t, path, []string{"chain", "alpha"}, id(3), func(m map[string]any) {
				m["at"] = t0.Add(-48 * time.Hour).Format(time.RFC3339Nano)
			})
		}, "alpha", "record 3 was observed at 2026-11-20T00:00:00Z, before record 2"},
		{"move a record's timestamp forward", func(t *testing.T, path string) {
			editJSON(t, path, []string{"chain", "alpha"}, id(3), func(m map[string]any) {
				m["at"] = t0.Add(26*time.Hour + time.Minute).Format(time.RFC3339Nano)
			})
		}, "alpha", "record 3 does not hash to what record 4 links to"},
		{"edit the last record", func(t *testing.T, path string) {
			editJSON(t, path, []string{"chain", "beta"}, id(1), func(m map[string]any) { m["status"] = 404 })
		}, "beta", "the last record 1 hashes to"},
		{"delete a record", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error { return tx.Bucket([]byte("chain")).Bucket([]byte("alpha")).Delete(id(2)) })
		}, "alpha", "record 2 is missing"},
		{"delete the last record", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error { return tx.Bucket([]byte("chain")).Bucket([]byte("beta")).Delete(id(1)) })
		}, "beta", "the chain holds 0 records but the target's head says 1"},
		{"reorder two records", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("chain")).Bucket([]byte("alpha"))
				two, three := append([]byte(nil), b.Get(id(2))...), append([]byte(nil), b.Get(id(3))...)
				if err := b.Put(id(2), three); err != nil {
					return err
				}
				return b.Put(id(3), two)
			})
		}, "alpha", "record 2 says it is record 3"},
		{"delete a version", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error { return tx.Bucket([]byte("versions")).Bucket([]byte("alpha")).Delete(id(2)) })
		}, "alpha", "version 2, created by record 3, is missing"},
	}
}

// Tampering: each edit is named by verify.
func TestVerifyNamesTampering(t *testing.T) {
	for _, tt := range tamperCases() {
		t.Run(tt.name, func(t *testing.T) {
			path := chainedStore(t)
			tt.edit(t, path)
			rep := verifyFile(t, path)
			if rep.OK() {
				t.Fatal("verify found nothing")
			}
			var first *snapshot.Problem
			for i := range rep.Problems {
				if rep.Problems[i].Target == tt.target {
					first = &rep.Problems[i]
					break
				}
			}
			if first == nil || !strings.Contains(first.What, tt.want) {
				t.Fatalf("problems = %+v\nwant the first for %s to say %q", rep.Problems, tt.target, tt.want)
			}
			for _, p := range rep.Problems {
				if p.Target != tt.target {
					t.Fatalf("a problem named the untouched target: %+v", p)
				}
			}
		})
	}
}

// TestMigrationV3ChainsExistingStore: a v2 store (no chain) is chained on
// open; the migrated records say the chain is trustworthy only from the
// next record, and the store verifies.
func TestMigrationV3ChainsExistingStore(t *testing.T) {
	path := chainedStore(t)
	// Make it a v2 file: no chain, versions and targets without chain fields.
	tamper(t, path, func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("chain")); err != nil {
			return err
		}
		strip := func(b *bolt.Bucket, fields ...string) error {
			return b.ForEach(func(k, v []byte) error {
				var m map[string]any
				if err := json.Unmarshal(v, &m); err != nil {
					return err
				}
				for _, f := range fields {
					delete(m, f)
				}
				data, _ := json.Marshal(m)
				return b.Put(k, data)
			})
		}
		if err := strip(tx.Bucket([]byte("targets")), "chain"); err != nil {
			return err
		}
		for _, name := range []string{"alpha", "beta"} {
			if err := strip(tx.Bucket([]byte("versions")).Bucket([]byte(name)), "chain", "header"); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), id(2))
	})
	s := snapshottest.OpenPath(t, path, snapshot.Options{NoSync: true})
	st, err := s.Target("alpha")
	if err != nil {
		t.Fatal(err)
	}
	if st.Chain.Records != 3 || st.Chain.TrustedFrom != 4 {
		t.Fatalf("alpha's chain after migration = %+v, want its 3 versions chained and trust from record 4", st.Chain)
	}
	recs, _, _ := s.Chain("alpha")
	for _, r := range recs {
		if !r.Migrated || r.Kind != snapshot.ChainVersion {
			t.Fatalf("migrated record = %+v", r)
		}
	}
	if recs[2].Change != "returned" || recs[2].ReturnOf != 1 {
		t.Fatalf("the return was migrated as %+v", recs[2])
	}
	record(t, s, observation("alpha", policyText("11", 3000), t0.Add(30*time.Hour)))
	recs, _, _ = s.Chain("alpha")
	if len(recs) != 4 || recs[3].Migrated || recs[3].Seq != 4 {
		t.Fatalf("first record after migration = %+v", recs[len(recs)-1])
	}
	rep, err := s.Verify(context.Background(), nil)
	if err != nil || !rep.OK() {
		t.Fatalf("migrated store: %v %+v", err, rep.Problems)
	}
}
