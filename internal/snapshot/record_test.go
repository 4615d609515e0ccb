package snapshot_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

func TestRecordUnchangedMovesLastSeenOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "monitord.db")
	s := snapshottest.OpenPath(t, path, snapshot.Options{NoSync: true})
	text := policyText("08", 60<<10)
	first := record(t, s, observation("shop", text, t0))
	if first.Kind != snapshot.New || !first.Baseline() || first.Version.ID != 1 {
		t.Fatalf("first record: kind %v baseline %v id %d, want new baseline 1", first.Kind, first.Baseline(), first.Version.ID)
	}
	before, sizeBefore := stats(t, s), fileSize(t, path)

	o := observation("shop", text, t0.Add(6*time.Hour))
	o.Raw = pageOf(text, "홈 | 이벤트 | 고객센터") // same text in different chrome
	second := record(t, s, o)
	after, sizeAfter := stats(t, s), fileSize(t, path)

	if second.Kind != snapshot.Unchanged {
		t.Errorf("kind = %v, want unchanged", second.Kind)
	}
	if second.Previous == nil || second.Previous.ID != 1 || !second.Previous.LastSeen.Equal(t0) {
		t.Errorf("previous = %+v, want version 1 last seen at %s", second.Previous, t0)
	}
	vs := versions(t, s, "shop")
	if len(vs) != 1 {
		t.Fatalf("%d versions, want 1", len(vs))
	}
	v := vs[0]
	if !v.FirstSeen.Equal(t0) || !v.LastSeen.Equal(t0.Add(6*time.Hour)) || v.Seen != 2 {
		t.Errorf("version 1 first %s last %s seen %d; want first %s last %s seen 2", v.FirstSeen, v.LastSeen, v.Seen, t0, t0.Add(6*time.Hour))
	}
	if v.RawHash != first.Version.RawHash {
		t.Errorf("raw hash moved on an unchanged text: %s -> %s", first.Version.RawHash, v.RawHash)
	}
	if after.Blobs != before.Blobs || after.BlobBytes != before.BlobBytes {
		t.Errorf("blobs %d (%d B) -> %d (%d B): an unchanged text must store no blob", before.Blobs, before.BlobBytes, after.Blobs, after.BlobBytes)
	}
	if grew := sizeAfter - sizeBefore; grew >= int64(len(o.Raw)) {
		t.Errorf("file grew by %d bytes on an unchanged check of a %d-byte page", grew, len(o.Raw))
	}
	if before.BlobBytes >= before.BlobContentBytes {
		t.Errorf("blobs take %d bytes for %d bytes of content: not compressed", before.BlobBytes, before.BlobContentBytes)
	}
	got, err := s.Text(v)
	if err != nil || got != text {
		t.Errorf("Text round trip: err %v, equal %v", err, got == text)
	}
	raw, err := s.Raw(v)
	if err != nil || !bytes.Equal(raw, observation("shop", text, t0).Raw) {
		t.Errorf("Raw round trip: err %v, equal %v (want the first page kept)", err, bytes.Equal(raw, observation("shop", text, t0).Raw))
	}
}

func TestRecordKinds(t *testing.T) {
	a, b, c := policyText("08", 4000), policyText("15", 4000), policyText("22", 4000)
	type step struct {
		text     string
		rules    string
		kind     snapshot.Kind
		id       uint64 // current version id after the step
		returnOf uint64
	}
	tests := []struct {
		name   string
		window int
		steps  []step
	}{
		{"changed", 0, []step{
			{a, rulesV1, snapshot.New, 1, 0},
			{b, rulesV1, snapshot.New, 2, 0},
		}},
		{"return A B A B A", 0, []step{
			{a, rulesV1, snapshot.New, 1, 0},
			{b, rulesV1, snapshot.New, 2, 0},
			{a, rulesV1, snapshot.Returned, 3, 1},
			{b, rulesV1, snapshot.Returned, 4, 2},
			{a, rulesV1, snapshot.Returned, 5, 1}, // points at the first version with the text
		}},
		{"return beyond window is new", 2, []step{
			{a, rulesV1, snapshot.New, 1, 0},
			{b, rulesV1, snapshot.New, 2, 0},
			{c, rulesV1, snapshot.New, 3, 0},
			{a, rulesV1, snapshot.New, 4, 0},
		}},
		{"rules change", 0, []step{
			{a, rulesV1, snapshot.New, 1, 0},
			{b, "selector=main", snapshot.Technical, 2, 0},
			{b, "selector=main", snapshot.Unchanged, 2, 0},
			{c, "selector=main", snapshot.New, 3, 0},
		}},
		{"rules change with the same text is unchanged", 0, []step{
			{a, rulesV1, snapshot.New, 1, 0},
			{a, "selector=main", snapshot.Unchanged, 1, 0},
			{b, "selector=main", snapshot.New, 2, 0}, // the new rules were adopted by the unchanged check
		}},
		{"rules revert to an earlier text", 0, []step{
			{a, rulesV1, snapshot.New, 1, 0},
			{b, "selector=main", snapshot.Technical, 2, 0},
			{a, rulesV1, snapshot.Technical, 3, 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := snapshottest.OpenPath(t, filepath.Join(t.TempDir(), "db"), snapshot.Options{NoSync: true, ReturnWindow: tt.window})
			var blobs int
			for i, st := range tt.steps {
				o := observation("t", st.text, t0.Add(time.Duration(i)*time.Hour))
				o.Rules = st.rules
				out := record(t, s, o)
				if out.Kind != st.kind || out.Version.ID != st.id || out.Version.ReturnOf != st.returnOf {
					t.Fatalf("step %d: kind %v id %d return_of %d; want %v %d %d", i, out.Kind, out.Version.ID, out.Version.ReturnOf, st.kind, st.id, st.returnOf)
				}
				if out.Kind.Stored() && out.Version.Technical != (st.kind == snapshot.Technical) {
					t.Errorf("step %d: technical = %v", i, out.Version.Technical)
				}
				n := stats(t, s).Blobs
				if st.returnOf != 0 && n != blobs {
					t.Errorf("step %d: a return stored new blobs (%d -> %d)", i, blobs, n)
				}
				blobs = n
				if got, err := s.Text(out.Version); err != nil || got != st.text {
					t.Errorf("step %d: text of version %d does not round-trip (err %v)", i, out.Version.ID, err)
				}
			}
			if got := len(versions(t, s, "t")); uint64(got) != tt.steps[len(tt.steps)-1].id {
				t.Errorf("%d versions stored", got)
			}
		})
	}
}

func TestRecordSeedsRoundTrip(t *testing.T) {
	texts := seeds(t)
	s := snapshottest.Open(t)
	var contentBytes int
	for i, text := range append(texts, texts[0]) {
		out := record(t, s, observation("seed", text, t0.Add(time.Duration(i)*24*time.Hour)))
		want := snapshot.New
		if i == len(texts) {
			want = snapshot.Returned
		} else {
			contentBytes += len(text)
		}
		if out.Kind != want {
			t.Errorf("seed %d: kind %v, want %v", i, out.Kind, want)
		}
		got, err := s.Text(out.Version)
		if err != nil || got != text {
			t.Errorf("seed %d: text does not round-trip (err %v)", i, err)
		}
	}
	st := stats(t, s)
	if st.Versions != len(texts)+1 || st.Blobs != 2*len(texts) {
		t.Errorf("versions %d blobs %d; want %d and %d", st.Versions, st.Blobs, len(texts)+1, 2*len(texts))
	}
	if st.BlobBytes*2 > st.BlobContentBytes {
		t.Errorf("blobs take %d of %d bytes: Korean policies should compress at least 2:1", st.BlobBytes, st.BlobContentBytes)
	}
}

func TestIdenticalContentAcrossTargetsStoredOnce(t *testing.T) {
	s := snapshottest.Open(t)
	text := policyText("08", 8000)
	record(t, s, observation("mirror-a", text, t0))
	one := stats(t, s)
	b := observation("mirror-b", text, t0)
	b.Raw = observation("mirror-a", text, t0).Raw
	out := record(t, s, b)
	two := stats(t, s)
	if out.Kind != snapshot.New || !out.Baseline() {
		t.Errorf("second target: kind %v baseline %v, want its own new baseline", out.Kind, out.Baseline())
	}
	if one.Blobs != 2 || two.Blobs != 2 || two.BlobBytes != one.BlobBytes {
		t.Errorf("blobs %d (%d B) then %d (%d B): identical raw and text must be stored once", one.Blobs, one.BlobBytes, two.Blobs, two.BlobBytes)
	}
	if two.Targets != 2 || two.Versions != 2 {
		t.Errorf("targets %d versions %d, want 2 and 2", two.Targets, two.Versions)
	}
}

func TestRecordNotModified(t *testing.T) {
	s := snapshottest.Open(t)
	text := policyText("08", 2000)
	record(t, s, observation("t", text, t0))

	nm := snapshot.Observation{Target: "t", At: t0.Add(time.Hour), Status: 304, NotModified: true, Rules: "selector=other"}
	out := record(t, s, nm)
	if out.Kind != snapshot.NotModified || out.Version.ID != 1 {
		t.Fatalf("kind %v id %d, want not_modified on version 1", out.Kind, out.Version.ID)
	}
	v := out.Version
	if !v.LastSeen.Equal(t0.Add(time.Hour)) || v.Seen != 2 {
		t.Errorf("last seen %s seen %d", v.LastSeen, v.Seen)
	}
	if v.ETag == "" || v.Rules != rulesV1 || v.Status != 200 {
		t.Errorf("a 304 without validators changed the version: etag %q rules %q status %d", v.ETag, v.Rules, v.Status)
	}
	if got, _ := s.Text(v); got != text {
		t.Error("text changed on a 304")
	}

	_, err := s.Record(context.Background(), snapshot.Observation{Target: "new", At: t0, NotModified: true}, nil)
	if !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("304 for a target without versions: err %v, want ErrNotFound", err)
	}
}

func TestRecordMeta(t *testing.T) {
	s := snapshottest.Open(t)
	text := policyText("08", 1000)
	o := observation("t", text, t0)
	o.Meta = map[string]string{"announced": "2026-11-01", "effective": "2026-11-08"}
	record(t, s, o)
	o.At, o.Meta = t0.Add(time.Hour), nil
	if out := record(t, s, o); !maps.Equal(out.Version.Meta, map[string]string{"announced": "2026-11-01", "effective": "2026-11-08"}) {
		t.Errorf("nil meta on an unchanged check: meta %v, want it kept", out.Version.Meta)
	}
	o.At, o.Meta = t0.Add(2*time.Hour), map[string]string{"effective": "2026-11-09"}
	record(t, s, o)
	cur, err := s.Current("t")
	if err != nil || cur == nil || !maps.Equal(cur.Meta, map[string]string{"effective": "2026-11-09"}) {
		t.Errorf("Current: %+v, %v; want meta replaced", cur, err)
	}
}

func TestRecordValidation(t *testing.T) {
	s := snapshottest.Open(t)
	ctx := context.Background()
	if _, err := s.Record(ctx, snapshot.Observation{At: t0, Text: "x"}, nil); err == nil {
		t.Error("observation without a target: no error")
	}
	if _, err := s.Record(ctx, snapshot.Observation{Target: "t", Text: "x"}, nil); err == nil {
		t.Error("observation without a time: no error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Record(cancelled, observation("t", "x", t0), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err %v", err)
	}
	if st := stats(t, s); st.Targets != 0 || st.Versions != 0 {
		t.Errorf("rejected observations were stored: %+v", st)
	}
}

func TestBlobsIncompressibleAndSmall(t *testing.T) {
	s := snapshottest.Open(t)
	noise := make([]byte, 32<<10)
	rand.Read(noise)
	for i, o := range []snapshot.Observation{
		{Target: "noise", At: t0, Status: 200, Raw: noise, Text: string(noise[:1000])},
		{Target: "tiny", At: t0, Status: 200, Raw: []byte("<p>짧음</p>"), Text: "짧음"},
		{Target: "empty", At: t0, Status: 200, Raw: nil, Text: ""},
	} {
		out := record(t, s, o)
		raw, err := s.Raw(out.Version)
		if err != nil || !bytes.Equal(raw, o.Raw) {
			t.Errorf("%d: raw does not round-trip (err %v)", i, err)
		}
		text, err := s.Text(out.Version)
		if err != nil || text != o.Text {
			t.Errorf("%d: text does not round-trip (err %v)", i, err)
		}
	}
	if st := stats(t, s); st.BlobBytes > st.BlobContentBytes+64 {
		t.Errorf("incompressible blobs grew: %d bytes for %d", st.BlobBytes, st.BlobContentBytes)
	}
}

func TestReadsOfUnknownThings(t *testing.T) {
	s := snapshottest.Open(t)
	record(t, s, observation("t", "본문", t0))
	if _, err := s.Target("nope"); !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("Target: %v", err)
	}
	if _, err := s.Versions("nope"); !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("Versions: %v", err)
	}
	if _, err := s.Version("t", 9); !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("Version: %v", err)
	}
	if cur, err := s.Current("nope"); cur != nil || err != nil {
		t.Errorf("Current of an unknown target: %v, %v; want nil, nil", cur, err)
	}
	if fs, err := s.Failures("nope"); len(fs) != 0 || err != nil {
		t.Errorf("Failures of an unknown target: %v, %v", fs, err)
	}
	v := snapshot.Version{Target: "t", ID: 9, TextHash: fmt.Sprintf("%064x", 1)}
	if _, err := s.Text(v); !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("Text of a missing blob: %v", err)
	}
}

func FuzzRecordRoundTrip(f *testing.F) {
	f.Add("개인정보 처리방침\n시행일자: 2026-11-08", []byte("<p>개인정보</p>"))
	f.Add("", []byte{})
	f.Add(policyText("08", 3000), pageOf(policyText("08", 3000), "nav"))
	s := snapshottest.Open(f)
	n := 0
	f.Fuzz(func(t *testing.T, text string, raw []byte) {
		n++
		o := snapshot.Observation{Target: fmt.Sprint("f", n), At: t0, Status: 200, Raw: raw, Text: text}
		out, err := s.Record(context.Background(), o, nil)
		if err != nil {
			t.Fatal(err)
		}
		if out.Kind != snapshot.New || out.Version.TextSize != len(text) {
			t.Fatalf("kind %v text size %d", out.Kind, out.Version.TextSize)
		}
		got, err := s.Text(out.Version)
		if err != nil || got != text {
			t.Fatalf("text does not round-trip: %v", err)
		}
		gotRaw, err := s.Raw(out.Version)
		if err != nil || !bytes.Equal(gotRaw, raw) {
			t.Fatalf("raw does not round-trip: %v", err)
		}
		again := record(t, s, snapshot.Observation{Target: o.Target, At: t0.Add(time.Second), Status: 200, Raw: raw, Text: text})
		if again.Kind != snapshot.Unchanged {
			t.Fatalf("same text again: kind %v", again.Kind)
		}
	})
}
