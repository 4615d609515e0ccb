package storagetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

var versionTests = []test{
	{"versions/unchanged moves LastSeen only", testUnchanged},
	{"versions/kinds", testKinds},
	{"versions/return window", testReturnWindow},
	{"versions/identical pages stored once", testStoredOnce},
	{"versions/not modified", testNotModified},
	{"versions/meta and cosmetic marks", testMeta},
	{"versions/header kept without cookies", testHeader},
	{"versions/original page", testOriginal},
	{"versions/odd blobs round-trip", testOddBlobs},
	{"versions/invalid observations store nothing", testValidation},
	{"versions/hashes given by the caller", testGivenHashes},
	{"versions/page keys", testPageKeys},
	{"versions/reads of unknown things", testUnknown},
	{"versions/many targets at once", testConcurrent},
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func testUnchanged(t *testing.T, s storage.Store) {
	text := PolicyText("08", 60<<10)
	first := Record(t, s, Observation("shop", text, T0))
	if first.Kind != snapshot.New || !first.Baseline() || first.Version.ID != 1 || first.Previous != nil {
		t.Fatalf("first record: kind %v baseline %v id %d, want new baseline 1", first.Kind, first.Baseline(), first.Version.ID)
	}
	if first.Version.TextHash != hashOf(text) || first.Version.TextSize != len(text) || first.Version.RawSize != len(Observation("shop", text, T0).Raw) {
		t.Errorf("first version %+v: want the text's sha256 and sizes", first.Version)
	}
	before := Stats(t, s)

	o := Observation("shop", text, at(6*time.Hour))
	o.Raw = PageOf(text, "홈 | 이벤트 | 고객센터") // same text in different chrome
	second := Record(t, s, o)
	after := Stats(t, s)
	if second.Kind != snapshot.Unchanged || second.Kind.Stored() {
		t.Errorf("kind = %v, want unchanged", second.Kind)
	}
	if second.Previous == nil || second.Previous.ID != 1 || !second.Previous.LastSeen.Equal(T0) {
		t.Errorf("previous = %+v, want version 1 last seen at %s", second.Previous, T0)
	}
	vs := Versions(t, s, "shop")
	if len(vs) != 1 {
		t.Fatalf("%d versions, want 1", len(vs))
	}
	v := vs[0]
	if !v.FirstSeen.Equal(T0) || !v.LastSeen.Equal(at(6*time.Hour)) || v.Seen != 2 {
		t.Errorf("version 1 first %s last %s seen %d; want first %s last %s seen 2", v.FirstSeen, v.LastSeen, v.Seen, T0, at(6*time.Hour))
	}
	if v.RawHash != first.Version.RawHash || v.ETag != o.ETag {
		t.Errorf("raw hash %s -> %s, etag %q: want the raw hash kept and the new ETag", first.Version.RawHash, v.RawHash, v.ETag)
	}
	if after.Blobs != before.Blobs || after.BlobBytes != before.BlobBytes || after.Versions != 1 {
		t.Errorf("blobs %d (%d B) -> %d (%d B), versions %d: an unchanged text must store nothing new",
			before.Blobs, before.BlobBytes, after.Blobs, after.BlobBytes, after.Versions)
	}
	if before.BlobBytes >= before.BlobContentBytes {
		t.Errorf("blobs take %d bytes for %d bytes of content: not compressed", before.BlobBytes, before.BlobContentBytes)
	}
	if got, err := s.Text(v); err != nil || got != text {
		t.Errorf("Text round trip: err %v, equal %v", err, got == text)
	}
	if raw, err := s.Raw(v); err != nil || !bytes.Equal(raw, Observation("shop", text, T0).Raw) {
		t.Errorf("Raw round trip: err %v (want the first page kept)", err)
	}
	st, err := s.Target("shop")
	if err != nil || st.Current != 1 || st.Versions != 1 || !st.LastCheck.Equal(at(6*time.Hour)) || !st.LastSuccess.Equal(at(6*time.Hour)) ||
		st.URL != o.URL || st.ETag != o.ETag {
		t.Errorf("Target = %+v, %v", st, err)
	}
	if cur, err := s.Current("shop"); err != nil || cur == nil || cur.ID != 1 || cur.Seen != 2 {
		t.Errorf("Current = %+v, %v", cur, err)
	}
}

// kindStep is one observation of testKinds and what it must do.
type kindStep struct {
	text     string
	rules    string
	kind     snapshot.Kind
	id       uint64 // current version id after the step
	returnOf uint64
}

var (
	textA, textB, textC = PolicyText("08", 4000), PolicyText("15", 4000), PolicyText("22", 4000)
	kindCases           = []struct {
		name  string
		steps []kindStep
	}{
		{"changed", []kindStep{
			{textA, RulesV1, snapshot.New, 1, 0},
			{textB, RulesV1, snapshot.New, 2, 0},
		}},
		{"return A B A B A", []kindStep{
			{textA, RulesV1, snapshot.New, 1, 0},
			{textB, RulesV1, snapshot.New, 2, 0},
			{textA, RulesV1, snapshot.Returned, 3, 1},
			{textB, RulesV1, snapshot.Returned, 4, 2},
			{textA, RulesV1, snapshot.Returned, 5, 1}, // points at the first version with the text
		}},
		{"rules change", []kindStep{
			{textA, RulesV1, snapshot.New, 1, 0},
			{textB, "selector=main", snapshot.Technical, 2, 0},
			{textB, "selector=main", snapshot.Unchanged, 2, 0},
			{textC, "selector=main", snapshot.New, 3, 0},
		}},
		{"rules change with the same text is unchanged", []kindStep{
			{textA, RulesV1, snapshot.New, 1, 0},
			{textA, "selector=main", snapshot.Unchanged, 1, 0},
			{textB, "selector=main", snapshot.New, 2, 0}, // the new rules were adopted by the unchanged check
		}},
		{"rules revert to an earlier text", []kindStep{
			{textA, RulesV1, snapshot.New, 1, 0},
			{textB, "selector=main", snapshot.Technical, 2, 0},
			{textA, RulesV1, snapshot.Technical, 3, 1},
		}},
	}
)

// testKinds runs every case on its own target of one store.
func testKinds(t *testing.T, s storage.Store) {
	for ci, tc := range kindCases {
		target := fmt.Sprint("kinds-", ci)
		var blobs int
		for i, st := range tc.steps {
			o := Observation(target, st.text, at(time.Duration(i)*time.Hour))
			o.Rules = st.rules
			if want := st.returnOf; st.kind.Stored() {
				if got, err := s.ReturnOf(target, hashOf(st.text)); err != nil || got != want {
					t.Errorf("%s step %d: ReturnOf before the record = %d, %v; want %d", tc.name, i, got, err, want)
				}
			}
			out := Record(t, s, o)
			if out.Kind != st.kind || out.Version.ID != st.id || out.Version.ReturnOf != st.returnOf {
				t.Fatalf("%s step %d: kind %v id %d return_of %d; want %v %d %d", tc.name, i, out.Kind, out.Version.ID, out.Version.ReturnOf, st.kind, st.id, st.returnOf)
			}
			if out.Kind.Stored() && out.Version.Technical != (st.kind == snapshot.Technical) {
				t.Errorf("%s step %d: technical = %v", tc.name, i, out.Version.Technical)
			}
			if out.Version.Rules != st.rules {
				t.Errorf("%s step %d: rules %q, want %q", tc.name, i, out.Version.Rules, st.rules)
			}
			n := Stats(t, s).Blobs
			if st.returnOf != 0 && n != blobs {
				t.Errorf("%s step %d: a return stored new blobs (%d -> %d)", tc.name, i, blobs, n)
			}
			blobs = n
			if got, err := s.Text(out.Version); err != nil || got != st.text {
				t.Errorf("%s step %d: text of version %d does not round-trip (err %v)", tc.name, i, out.Version.ID, err)
			}
		}
		vs := Versions(t, s, target)
		if last := tc.steps[len(tc.steps)-1].id; uint64(len(vs)) != last {
			t.Errorf("%s: %d versions stored, want %d", tc.name, len(vs), last)
		}
		for i, v := range vs {
			if v.ID != uint64(i+1) || v.Target != target {
				t.Errorf("%s: version %d is %s/%d, want ids 1, 2, 3, ... oldest first", tc.name, i, v.Target, v.ID)
			}
		}
	}
	if id, err := s.ReturnOf("nobody", hashOf(textA)); id != 0 || err != nil {
		t.Errorf("ReturnOf of an unknown target = %d, %v; want 0, nil", id, err)
	}
}

// A return beyond the default window of 10 versions is a new version.
func testReturnWindow(t *testing.T, s storage.Store) {
	for i := range 12 {
		Record(t, s, Observation("w", PolicyText(fmt.Sprintf("%02d", i+1), 500), at(time.Duration(i)*time.Hour)))
	}
	if out := Record(t, s, Observation("w", PolicyText("01", 500), at(13*time.Hour))); out.Kind != snapshot.New || out.Version.ReturnOf != 0 {
		t.Errorf("the text of version 1 after 12 others: kind %v return_of %d, want new", out.Kind, out.Version.ReturnOf)
	}
	if out := Record(t, s, Observation("w", PolicyText("05", 500), at(14*time.Hour))); out.Kind != snapshot.Returned || out.Version.ReturnOf != 5 {
		t.Errorf("the text of version 5 within the window: kind %v return_of %d, want returned to 5", out.Kind, out.Version.ReturnOf)
	}
}

func testStoredOnce(t *testing.T, s storage.Store) {
	text := PolicyText("08", 8000)
	Record(t, s, Observation("mirror-a", text, T0))
	one := Stats(t, s)
	b := Observation("mirror-b", text, T0)
	b.Raw = Observation("mirror-a", text, T0).Raw
	out := Record(t, s, b)
	two := Stats(t, s)
	if out.Kind != snapshot.New || !out.Baseline() {
		t.Errorf("second target: kind %v baseline %v, want its own new baseline", out.Kind, out.Baseline())
	}
	if one.Blobs != 2 || two.Blobs != 2 || two.BlobBytes != one.BlobBytes {
		t.Errorf("blobs %d (%d B) then %d (%d B): identical raw and text must be stored once", one.Blobs, one.BlobBytes, two.Blobs, two.BlobBytes)
	}
	if two.Targets != 2 || two.Versions != 2 {
		t.Errorf("targets %d versions %d, want 2 and 2", two.Targets, two.Versions)
	}
	if raw, err := s.Blob(out.Version.RawHash); err != nil || !bytes.Equal(raw, b.Raw) {
		t.Errorf("Blob(raw hash): %v", err)
	}
}

func testNotModified(t *testing.T, s storage.Store) {
	text := PolicyText("08", 2000)
	Record(t, s, Observation("t", text, T0))
	nm := snapshot.Observation{Target: "t", At: at(time.Hour), Status: 304, NotModified: true, Rules: "selector=other"}
	out := Record(t, s, nm)
	if out.Kind != snapshot.NotModified || out.Version.ID != 1 {
		t.Fatalf("kind %v id %d, want not_modified on version 1", out.Kind, out.Version.ID)
	}
	v := out.Version
	if !v.LastSeen.Equal(at(time.Hour)) || v.Seen != 2 {
		t.Errorf("last seen %s seen %d", v.LastSeen, v.Seen)
	}
	if v.ETag == "" || v.Rules != RulesV1 || v.Status != 200 {
		t.Errorf("a 304 without validators changed the version: etag %q rules %q status %d", v.ETag, v.Rules, v.Status)
	}
	if got, _ := s.Text(v); got != text {
		t.Error("text changed on a 304")
	}
	_, err := s.Record(bg, snapshot.Observation{Target: "new", At: T0, NotModified: true}, nil)
	if !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("304 for a target without versions: err %v, want ErrNotFound", err)
	}
}

// The monitor marks a cosmetic change in the version's Meta; the store
// keeps it with the version, replaced by a later Meta, kept by a nil one.
func testMeta(t *testing.T, s storage.Store) {
	text := PolicyText("08", 1000)
	o := Observation("t", text, T0)
	o.Meta = map[string]string{"announced": "2026-11-01", "effective": "2026-11-08"}
	Record(t, s, o)
	o.At, o.Meta = at(time.Hour), nil
	if out := Record(t, s, o); !maps.Equal(out.Version.Meta, map[string]string{"announced": "2026-11-01", "effective": "2026-11-08"}) {
		t.Errorf("nil meta on an unchanged check: meta %v, want it kept", out.Version.Meta)
	}
	o.At, o.Meta = at(2*time.Hour), map[string]string{"effective": "2026-11-09"}
	Record(t, s, o)
	cur, err := s.Current("t")
	if err != nil || cur == nil || !maps.Equal(cur.Meta, map[string]string{"effective": "2026-11-09"}) {
		t.Errorf("Current: %+v, %v; want meta replaced", cur, err)
	}

	// A cosmetic change is a new version carrying its mark.
	c := Observation("t", text+" ", at(3*time.Hour))
	c.Meta = map[string]string{"kind": "cosmetic", "effective": "2026-11-09"}
	out := Record(t, s, c)
	if out.Kind != snapshot.New || out.Version.ID != 2 || out.Version.Meta["kind"] != "cosmetic" || out.Version.Technical {
		t.Errorf("cosmetic change: kind %v id %d meta %v technical %v", out.Kind, out.Version.ID, out.Version.Meta, out.Version.Technical)
	}
	if v, err := s.Version("t", 2); err != nil || v.Meta["kind"] != "cosmetic" {
		t.Errorf("Version(2) = %+v, %v; want the cosmetic mark stored", v.Meta, err)
	}
	if v, _ := s.Version("t", 1); v.Meta["kind"] != "" {
		t.Errorf("version 1 took the mark of version 2: %v", v.Meta)
	}
}

func testHeader(t *testing.T, s storage.Store) {
	o := Observation("t", PolicyText("08", 1000), T0)
	o.Header = http.Header{"content-type": {"text/html; charset=utf-8"}, "Set-Cookie": {"sid=secret"}, "X-Served-By": {"a", "b"}}
	out := Record(t, s, o)
	want := map[string][]string{"Content-Type": {"text/html; charset=utf-8"}, "X-Served-By": {"a", "b"}}
	v, err := s.Version("t", out.Version.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(v.Header) != fmt.Sprint(want) {
		t.Errorf("stored header %v, want %v (canonical keys, no cookies)", v.Header, want)
	}
	if v.MediaType != "text/html" || v.Charset != "utf-8" || v.URL != o.URL || v.Status != 200 {
		t.Errorf("version %+v lost what the response said", v)
	}
}

func testOriginal(t *testing.T, s storage.Store) {
	text := PolicyText("08", 3000)
	o := Observation("t", text, T0)
	o.Original = []byte("<html><body><iframe src=\"/policy/frame\"></iframe></body></html>")
	out := Record(t, s, o)
	v := out.Version
	if v.OriginalHash == "" || v.OriginalHash == v.RawHash || v.OriginalSize != len(o.Original) {
		t.Fatalf("original hash %q size %d (raw %q)", v.OriginalHash, v.OriginalSize, v.RawHash)
	}
	if got, err := s.Original(v); err != nil || !bytes.Equal(got, o.Original) {
		t.Errorf("Original round trip: %v", err)
	}
	if got, err := s.Raw(v); err != nil || !bytes.Equal(got, o.Raw) {
		t.Errorf("Raw beside Original: %v", err)
	}
	plain := Record(t, s, Observation("u", text, T0)).Version
	if got, err := s.Original(plain); got != nil || err != nil {
		t.Errorf("Original of a version without one = %d bytes, %v; want nil, nil", len(got), err)
	}
}

func testOddBlobs(t *testing.T, s storage.Store) {
	noise := make([]byte, 32<<10)
	rand.Read(noise)
	for i, o := range []snapshot.Observation{
		{Target: "noise", At: T0, Status: 200, Raw: noise, Text: string(noise[:1000])},
		{Target: "tiny", At: T0, Status: 200, Raw: []byte("<p>짧음</p>"), Text: "짧음"},
		{Target: "empty", At: T0, Status: 200, Raw: nil, Text: ""},
	} {
		out := Record(t, s, o)
		raw, err := s.Raw(out.Version)
		if err != nil || !bytes.Equal(raw, o.Raw) {
			t.Errorf("%d: raw does not round-trip (err %v)", i, err)
		}
		text, err := s.Text(out.Version)
		if err != nil || text != o.Text {
			t.Errorf("%d: text does not round-trip (err %v)", i, err)
		}
	}
	if v := Versions(t, s, "empty"); len(v) != 1 || v[0].RawHash != "" || v[0].RawSize != 0 {
		t.Errorf("a version without a raw page: %+v", v)
	}
	if st := Stats(t, s); st.BlobBytes > st.BlobContentBytes+64*int64(st.Blobs) {
		t.Errorf("incompressible blobs grew: %d bytes for %d", st.BlobBytes, st.BlobContentBytes)
	}
}

func testValidation(t *testing.T, s storage.Store) {
	if _, err := s.Record(bg, snapshot.Observation{At: T0, Text: "x"}, nil); err == nil {
		t.Error("observation without a target: no error")
	}
	if _, err := s.Record(bg, snapshot.Observation{Target: "t", Text: "x"}, nil); err == nil {
		t.Error("observation without a time: no error")
	}
	cancelled, cancel := context.WithCancel(bg)
	cancel()
	if _, err := s.Record(cancelled, Observation("t", "x", T0), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err %v", err)
	}
	if _, err := s.RecordFailure(cancelled, "t", snapshot.Failure{At: T0, Error: "x"}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("RecordFailure with a cancelled context: err %v", err)
	}
	if _, err := s.RecordFailure(bg, "", snapshot.Failure{At: T0, Error: "x"}, nil); err == nil {
		t.Error("RecordFailure without a target: no error")
	}
	if err := s.RecordBoard(cancelled, "t", snapshot.BoardState{}, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("RecordBoard with a cancelled context: err %v", err)
	}
	if st := Stats(t, s); st.Targets != 0 || st.Versions != 0 || st.Failures != 0 {
		t.Errorf("rejected observations were stored: %+v", st)
	}
}

// A caller that hashed the text and the page already passes the hashes
// along (TextHash, RawHash): the versions and blobs are those of a Record
// that hashes them itself, and a malformed hash is refused.
func testGivenHashes(t *testing.T, s storage.Store) {
	text := PolicyText("15", 20<<10)
	o := Observation("given", text, T0)
	for _, bad := range []snapshot.Observation{
		{TextHash: "xyz"},
		{TextHash: hashOf(text)[:62]},
		{RawHash: "zz" + hashOf(text)[2:]},
	} {
		b := o
		b.TextHash, b.RawHash = bad.TextHash, bad.RawHash
		if _, err := s.Record(bg, b, nil); err == nil {
			t.Errorf("TextHash %q RawHash %q: no error", b.TextHash, b.RawHash)
		}
	}
	noRaw := o
	noRaw.Raw, noRaw.RawHash = nil, hashOf(text)
	if _, err := s.Record(bg, noRaw, nil); err == nil {
		t.Error("RawHash without Raw: no error")
	}
	if st := Stats(t, s); st.Versions != 0 || st.Blobs != 0 {
		t.Fatalf("refused observations were stored: %+v", st)
	}

	given := o
	given.TextHash, given.RawHash = hashOf(text), hashOf(string(o.Raw))
	first := Record(t, s, given)
	if first.Kind != snapshot.New || first.Version.TextHash != hashOf(text) || first.Version.RawHash != hashOf(string(o.Raw)) {
		t.Fatalf("first record with given hashes: %+v", first)
	}
	again := Observation("given", text, at(time.Hour))
	again.TextHash = hashOf(text)
	if out := Record(t, s, again); out.Kind != snapshot.Unchanged {
		t.Errorf("same text, hash given: kind %v, want unchanged", out.Kind)
	}
	// A target recorded without given hashes stores the same blobs: none
	// new.
	before := Stats(t, s)
	if out := Record(t, s, Observation("computed", text, at(2*time.Hour))); out.Version.TextHash != first.Version.TextHash || out.Version.RawHash != first.Version.RawHash {
		t.Errorf("computed hashes %s/%s, given %s/%s", out.Version.TextHash, out.Version.RawHash, first.Version.TextHash, first.Version.RawHash)
	}
	if after := Stats(t, s); after.Blobs != before.Blobs {
		t.Errorf("blobs %d -> %d: the same content was stored under another hash", before.Blobs, after.Blobs)
	}
	r, err := s.Raw(first.Version)
	if err != nil || !bytes.Equal(r, o.Raw) {
		t.Errorf("raw page of the version recorded with given hashes: %d bytes, %v", len(r), err)
	}
	if got, err := s.Text(first.Version); err != nil || got != text {
		t.Errorf("text of the version recorded with given hashes: %d bytes, %v", len(got), err)
	}
}

func testUnknown(t *testing.T, s storage.Store) {
	Record(t, s, Observation("t", "본문", T0))
	if _, err := s.Target("nope"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Target: %v", err)
	}
	if _, err := s.Versions("nope"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Versions: %v", err)
	}
	if _, err := s.Version("t", 9); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Version: %v", err)
	}
	if _, err := s.Version("nope", 1); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Version of an unknown target: %v", err)
	}
	if cur, err := s.Current("nope"); cur != nil || err != nil {
		t.Errorf("Current of an unknown target: %v, %v; want nil, nil", cur, err)
	}
	if fs, err := s.Failures("nope"); len(fs) != 0 || err != nil {
		t.Errorf("Failures of an unknown target: %v, %v", fs, err)
	}
	if recs, hashes, err := s.Chain("nope"); len(recs) != 0 || len(hashes) != 0 || err != nil {
		t.Errorf("Chain of an unknown target: %d records, %v", len(recs), err)
	}
	v := snapshot.Version{Target: "t", ID: 9, TextHash: fmt.Sprintf("%064x", 1)}
	if _, err := s.Text(v); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Text of a missing blob: %v", err)
	}
	if _, err := s.Blob(fmt.Sprintf("%064x", 2)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Blob of a missing hash: %v", err)
	}
	if _, err := s.Blob("00"); err == nil {
		t.Error("Blob of a malformed hash: no error")
	}
	if _, err := s.Event("evt_nope"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Event: %v", err)
	}
}

// Twenty targets recorded at once, one of them with an events function
// that fails: that one stores nothing, the others all commit.
func testConcurrent(t *testing.T, s storage.Store) {
	errs := make(chan error, 20)
	for i := range 20 {
		go func() {
			events := ChangeEvents("ops")
			if i == 7 {
				events = func(snapshot.Outcome) ([]snapshot.Event, error) { return nil, errors.New("bad") }
			}
			_, err := s.Record(bg, Observation(fmt.Sprint("t", i), PolicyText(fmt.Sprint(i), 1000), T0), events)
			errs <- err
		}()
	}
	failed := 0
	for range 20 {
		if err := <-errs; err != nil {
			failed++
		}
	}
	st := Stats(t, s)
	if failed != 1 || st.Targets != 19 || st.Events != 19 || st.Versions != 19 {
		t.Errorf("failed %d, targets %d, events %d, versions %d; want 1, 19, 19, 19", failed, st.Targets, st.Events, st.Versions)
	}
	if _, err := s.Target("t7"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("the failed call's target: %v, want ErrNotFound", err)
	}
}
