package snapshot_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

// The behaviour of Record is the conformance suite's
// (internal/storage/storagetest, run on bbolt by internal/storage); what
// follows is bbolt's own: the file, and the ReturnWindow option.

// An unchanged check stores no blob, so the file does not grow by the page.
func TestRecordUnchangedDoesNotGrowTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "monitord.db")
	s := snapshottest.OpenPath(t, path, snapshot.Options{NoSync: true})
	text := policyText("08", 60<<10)
	record(t, s, observation("shop", text, t0))
	sizeBefore := fileSize(t, path)
	o := observation("shop", text, t0.Add(6*time.Hour))
	o.Raw = pageOf(text, "홈 | 이벤트 | 고객센터") // same text in different chrome
	if out := record(t, s, o); out.Kind != snapshot.Unchanged {
		t.Fatalf("kind = %v, want unchanged", out.Kind)
	}
	if grew := fileSize(t, path) - sizeBefore; grew >= int64(len(o.Raw)) {
		t.Errorf("file grew by %d bytes on an unchanged check of a %d-byte page", grew, len(o.Raw))
	}
}

// Options.ReturnWindow bounds how far back a return is found.
func TestReturnWindowOption(t *testing.T) {
	s := snapshottest.OpenPath(t, filepath.Join(t.TempDir(), "db"), snapshot.Options{NoSync: true, ReturnWindow: 2})
	for i, v := range []string{"08", "15", "22"} {
		record(t, s, observation("t", policyText(v, 1000), t0.Add(time.Duration(i)*time.Hour)))
	}
	if out := record(t, s, observation("t", policyText("08", 1000), t0.Add(3*time.Hour))); out.Kind != snapshot.New || out.Version.ReturnOf != 0 {
		t.Errorf("a return beyond a window of 2: kind %v return_of %d, want new", out.Kind, out.Version.ReturnOf)
	}
	if out := record(t, s, observation("t", policyText("22", 1000), t0.Add(4*time.Hour))); out.Kind != snapshot.Returned || out.Version.ReturnOf != 3 {
		t.Errorf("a return within it: kind %v return_of %d, want returned to 3", out.Kind, out.Version.ReturnOf)
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
