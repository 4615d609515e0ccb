package storagetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

var chainTests = []test{
	{"chain/records of versions, failures and checkpoints", testChain},
	{"chain/verify a whole store", testVerifyWhole},
}

var storeTests = []test{
	{"store/stats", testStats},
	{"store/backup", testBackup},
	{"store/calls after close fail cleanly", testClosed},
}

// history writes a small history of two targets: a baseline, an unchanged
// check, a change, a failure, a return and a checkpoint a day later.
func history(t *testing.T, s storage.Store) {
	t.Helper()
	a, b := PolicyText("08", 3000), PolicyText("15", 3000)
	RecordWith(t, s, Observation("shop", a, T0), ChangeEvents("ops"))
	RecordWith(t, s, Observation("shop", a, at(time.Hour)), ChangeEvents("ops"))
	RecordWith(t, s, Observation("shop", b, at(2*time.Hour)), ChangeEvents("ops"))
	if _, err := s.RecordFailure(bg, "shop", snapshot.Failure{At: at(3 * time.Hour), Status: 502, Error: "bad gateway", URL: "https://example.kr/shop/privacy"}, nil); err != nil {
		t.Fatal(err)
	}
	RecordWith(t, s, Observation("shop", a, at(4*time.Hour)), ChangeEvents("ops"))
	RecordWith(t, s, Observation("shop", a, at(4*time.Hour+snapshot.CheckpointInterval)), ChangeEvents("ops"))
	RecordWith(t, s, Observation("mall", b, T0), ChangeEvents())
}

func testChain(t *testing.T, s storage.Store) {
	history(t, s)
	recs, hashes, err := s.Chain("shop")
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		kind, change string
		version      uint64
		at           time.Time
	}
	wants := []want{
		{snapshot.ChainVersion, "new", 1, T0},
		{snapshot.ChainVersion, "new", 2, at(2 * time.Hour)},
		{snapshot.ChainFailure, "", 0, at(3 * time.Hour)},
		{snapshot.ChainVersion, "returned", 3, at(4 * time.Hour)},
		{snapshot.ChainCheckpoint, "", 3, at(4*time.Hour + snapshot.CheckpointInterval)},
	}
	if len(recs) != len(wants) || len(hashes) != len(recs) {
		t.Fatalf("%d records, %d hashes; want %d (an unchanged check within a day writes none)", len(recs), len(hashes), len(wants))
	}
	for i, w := range wants {
		r := recs[i]
		if r.Seq != uint64(i+1) || r.Kind != w.kind || r.Change != w.change || r.Version != w.version || !r.At.Equal(w.at) {
			t.Errorf("record %d: seq %d kind %s change %q version %d at %s; want %+v", i+1, r.Seq, r.Kind, r.Change, r.Version, r.At, w)
		}
		prev := ""
		if i > 0 {
			prev = hashes[i-1]
		}
		if r.Prev != prev {
			t.Errorf("record %d links to %q, want the hash of record %d %q", i+1, r.Prev, i, prev)
		}
		// The hash is the SHA-256 of the record's JSON encoding, the same
		// on every driver (migrate copies chains verbatim).
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != hashes[i] {
			t.Errorf("record %d: hash %s is not the SHA-256 of its JSON encoding", i+1, hashes[i])
		}
	}
	v1, v2, v3 := recs[0], recs[1], recs[3]
	if v1.TextSHA256 != hashOf(PolicyText("08", 3000)) || v1.RawSHA256 == "" || v1.Rules != RulesV1 || v1.URL == "" || v1.Status != 200 || v1.PrevVersion != 0 {
		t.Errorf("baseline record %+v", v1)
	}
	if v2.PrevVersion != 1 || !v2.PrevLastSeen.Equal(at(time.Hour)) {
		t.Errorf("change record closes version %d last seen %s; want 1 at %s", v2.PrevVersion, v2.PrevLastSeen, at(time.Hour))
	}
	if v3.ReturnOf != 1 || recs[2].Error != "bad gateway" || recs[2].Status != 502 {
		t.Errorf("return record %+v, failure record %+v", v3, recs[2])
	}
	if cp := recs[4]; !cp.LastSeen.Equal(at(4*time.Hour+snapshot.CheckpointInterval)) || cp.Seen != 2 || cp.TextSHA256 != v3.TextSHA256 {
		t.Errorf("checkpoint %+v: want version 3's LastSeen and Seen", cp)
	}
	vs := Versions(t, s, "shop")
	for i, seq := range []uint64{1, 2, 4} {
		if vs[i].Chain != seq {
			t.Errorf("version %d names chain record %d, want %d", vs[i].ID, vs[i].Chain, seq)
		}
	}

	heads, err := s.ChainHeads()
	if err != nil {
		t.Fatal(err)
	}
	h := heads["shop"]
	if len(heads) != 2 || h.Records != 5 || h.Head != hashes[4] || !h.At.Equal(recs[4].At) || h.TrustedFrom != 1 {
		t.Errorf("heads %+v; want shop at record 5 %s, trusted from 1", heads, hashes[4])
	}
	if st, _ := s.Target("shop"); st.Chain != h {
		t.Errorf("target's chain %+v, ChainHeads %+v", st.Chain, h)
	}
	if m := heads["mall"]; m.Records != 1 {
		t.Errorf("mall's head %+v", m)
	}
}

func testVerifyWhole(t *testing.T, s storage.Store) {
	history(t, s)
	stages := map[string]bool{}
	rep, err := s.Verify(bg, func(stage string, done, total int) {
		stages[stage] = true
		if done < 0 || done > total {
			t.Errorf("progress %s %d of %d", stage, done, total)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || len(rep.Problems) != 0 || len(rep.Consistency) != 0 {
		t.Fatalf("a whole store does not verify: %+v", rep)
	}
	if rep.Targets != 2 || rep.Records != 6 || rep.Versions != 4 || rep.Blobs != 4 || rep.Bytes <= 0 {
		t.Errorf("report counts targets %d records %d versions %d blobs %d bytes %d; want 2, 6, 4, 4, >0",
			rep.Targets, rep.Records, rep.Versions, rep.Blobs, rep.Bytes)
	}
	if len(rep.Chains) != 2 {
		t.Fatalf("%d chains, want 2", len(rep.Chains))
	}
	for _, c := range rep.Chains {
		if !c.OK || c.FirstBroken != 0 || c.TrustedFrom != 1 {
			t.Errorf("chain %+v", c)
		}
	}
	if !stages["chains"] {
		t.Errorf("progress stages %v lack chains", stages)
	}
	if _, err := s.Verify(bg, nil); err != nil {
		t.Errorf("Verify without progress: %v", err)
	}
}

func testStats(t *testing.T, s storage.Store) {
	if st := Stats(t, s); st.Targets != 0 || st.Versions != 0 || st.Blobs != 0 || st.Events != 0 || st.Failures != 0 || len(nonZero(st.Deliveries)) != 0 {
		t.Errorf("an empty store: %+v", st)
	}
	history(t, s)
	st := Stats(t, s)
	// Texts a and b, and one raw page for each (the same chrome).
	if st.Targets != 2 || st.Versions != 4 || st.Failures != 1 || st.Blobs != 4 || st.Events != 4 ||
		st.Deliveries[snapshot.StatePending] != 3 || st.BlobContentBytes <= 0 || st.BlobBytes <= 0 {
		t.Errorf("stats %+v; want 2 targets, 4 versions, 1 failure, 4 blobs, 4 events, 3 pending", st)
	}
	if n, _ := s.PendingCount(); n != 3 {
		t.Errorf("pending %d, want 3", n)
	}
	ts, gen, err := s.TargetsWithCurrent(-1)
	if err != nil || len(ts) != 2 || ts[0].State.Name != "mall" || ts[1].State.Name != "shop" || ts[1].Current == nil || ts[1].Current.ID != 3 {
		t.Fatalf("TargetsWithCurrent = %+v, %d, %v", ts, gen, err)
	}
	// Unchanged since gen: nil and the same gen (the caller keeps its
	// copy), or the whole list again from a driver that keeps no
	// generation.
	if again, gen2, err := s.TargetsWithCurrent(gen); err != nil || (again == nil) != (gen2 == gen && gen > 0) || (again != nil && len(again) != 2) {
		t.Errorf("TargetsWithCurrent(%d) with no write since = %d targets, gen %d, %v; want nil and the same gen, or the list", gen, len(again), gen2, err)
	}
	Record(t, s, Observation("new", "새 방침", at(time.Hour)))
	if ts, gen3, err := s.TargetsWithCurrent(gen); err != nil || len(ts) != 3 || (gen3 == gen && gen > 0) {
		t.Errorf("TargetsWithCurrent after a write = %d targets, gen %d (was %d), %v; want 3 and a new gen", len(ts), gen3, gen, err)
	}
}

func nonZero(m map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func testBackup(t *testing.T, s storage.Store) {
	history(t, s)
	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n <= 0 || n != int64(buf.Len()) {
		t.Errorf("Backup wrote %d bytes, says %d", buf.Len(), n)
	}
	if s.Path() == "" || strings.Contains(s.Path(), "password") {
		t.Errorf("Path() = %q: want a name for people, without a password", s.Path())
	}
}

// After Close, every call returns an error (no panic, no hang), and Close
// again is harmless.
func testClosed(t *testing.T, s storage.Store) {
	RecordWith(t, s, Observation("shop", PolicyText("08", 1000), T0), ChangeEvents("ops"))
	v := Versions(t, s, "shop")[0]
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	calls := map[string]func() error{
		"Target":   func() error { _, err := s.Target("shop"); return err },
		"Targets":  func() error { _, err := s.Targets(); return err },
		"Versions": func() error { _, err := s.Versions("shop"); return err },
		"Text":     func() error { _, err := s.Text(v); return err },
		"Events":   func() error { _, err := s.Events(snapshot.EventFilter{}); return err },
		"Due":      func() error { _, err := s.Due(T0, 0); return err },
		"Stats":    func() error { _, err := s.Stats(); return err },
		"Record": func() error {
			_, err := s.Record(bg, Observation("shop", PolicyText("09", 1000), at(time.Hour)), nil)
			return err
		},
		"RecordFailure": func() error {
			_, err := s.RecordFailure(bg, "shop", snapshot.Failure{At: at(time.Hour), Error: "x"}, nil)
			return err
		},
		"MarkDelivered": func() error { return s.MarkDelivered("evt_shop_1", "ops", T0, 200) },
	}
	for name, call := range calls {
		if err := call(); err == nil {
			t.Errorf("%s after Close: no error", name)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close again: %v", err)
	}
}
