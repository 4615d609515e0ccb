package storagetest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

var importTests = []test{
	{"imported/past versions before the baseline", testImported},
}

var failureTests = []test{
	{"failures/bounded, failing once, recovered once", testFailures},
	{"failures/a target that never succeeded", testNeverSucceeded},
}

var boardTests = []test{
	{"boards/state, pages and events", testBoard},
}

// testImported: past versions linked from the page are stored with a
// target's first version only, before it, marked Imported; a text that
// repeats the one before it or the baseline's is skipped, and an imported
// text never makes a later version a return.
func testImported(t *testing.T, s storage.Store) {
	past1, past2, base := PolicyText("01", 2000), PolicyText("02", 2000), PolicyText("08", 2000)
	o := Observation("shop", base, T0)
	o.Imported = []snapshot.Imported{
		{URL: "https://example.kr/shop/privacy/2025", Raw: PageOf(past1, "이전 방침"), Text: past1, MediaType: "text/html", Charset: "utf-8",
			Meta: map[string]string{"effective": "2025-01-01"}},
		{URL: "https://example.kr/shop/privacy/2025b", Text: past1}, // repeats the one before
		{URL: "https://example.kr/shop/privacy/2026", Text: past2, Meta: map[string]string{"effective": "2026-01-01"}},
		{URL: "https://example.kr/shop/privacy/now", Text: base}, // the baseline's own text
	}
	out := Record(t, s, o)
	if out.Kind != snapshot.New || !out.Baseline() || out.Version.ID != 3 || out.Version.Imported {
		t.Fatalf("baseline after imports: kind %v baseline %v id %d imported %v; want new baseline 3", out.Kind, out.Baseline(), out.Version.ID, out.Version.Imported)
	}
	if len(out.Imported) != 2 || out.Imported[0].ID != 1 || out.Imported[1].ID != 2 {
		t.Fatalf("Outcome.Imported = %+v, want versions 1 and 2", out.Imported)
	}
	vs := Versions(t, s, "shop")
	if len(vs) != 3 || !vs[0].Imported || !vs[1].Imported || vs[2].Imported {
		t.Fatalf("versions %+v, want two imported then the baseline", vs)
	}
	if vs[0].URL != o.Imported[0].URL || vs[0].Meta["effective"] != "2025-01-01" || vs[0].RawHash == "" || vs[1].RawHash != "" ||
		vs[0].Rules != RulesV1 || !vs[0].FirstSeen.Equal(T0) {
		t.Errorf("imported version 1 = %+v", vs[0])
	}
	for i, want := range []string{past1, past2, base} {
		if got, err := s.Text(vs[i]); err != nil || got != want {
			t.Errorf("text of version %d does not round-trip: %v", i+1, err)
		}
	}
	if st, err := s.Target("shop"); err != nil || st.Versions != 3 || st.Current != 3 {
		t.Errorf("target %+v, %v; want 3 versions, current 3", st, err)
	}
	// Imported past versions of a later observation are not stored.
	later := Observation("shop", PolicyText("15", 2000), at(time.Hour))
	later.Imported = []snapshot.Imported{{URL: "https://example.kr/shop/privacy/old", Text: PolicyText("03", 2000)}}
	if out := Record(t, s, later); out.Version.ID != 4 || len(out.Imported) != 0 {
		t.Errorf("second observation: id %d imported %d; want 4 and none", out.Version.ID, len(out.Imported))
	}
	// Back to an imported text: new, not a return.
	if out := Record(t, s, Observation("shop", past2, at(2*time.Hour))); out.Kind != snapshot.New || out.Version.ReturnOf != 0 {
		t.Errorf("the text of an imported version: kind %v return_of %d, want new", out.Kind, out.Version.ReturnOf)
	}
	recs, _, err := s.Chain("shop")
	if err != nil || len(recs) != 5 || recs[0].Change != "imported" || recs[1].Change != "imported" || recs[2].Change != "new" {
		t.Errorf("chain %+v, %v; want two imported records then the baseline's", recs, err)
	}
}

func testFailures(t *testing.T, s storage.Store) {
	Record(t, s, Observation("shop", PolicyText("08", 1000), T0))
	const threshold = 3
	failing := func(st snapshot.TargetState) ([]snapshot.Event, error) {
		if st.Failing || st.ConsecutiveFailures < threshold {
			return nil, nil
		}
		return []snapshot.Event{{ID: fmt.Sprint("evt_failing_", st.ConsecutiveFailures), Type: snapshot.TypeTargetFailing, Webhooks: []string{"ops"}}}, nil
	}
	for i := 1; i <= 60; i++ {
		st, err := s.RecordFailure(bg, "shop", snapshot.Failure{At: at(time.Duration(i) * time.Minute), Status: 503, Error: fmt.Sprint("attempt ", i)}, failing)
		if err != nil {
			t.Fatal(err)
		}
		if st.ConsecutiveFailures != i || st.Failing != (i >= threshold) || st.LastError != fmt.Sprint("attempt ", i) ||
			!st.LastCheck.Equal(at(time.Duration(i)*time.Minute)) || !st.LastSuccess.Equal(T0) {
			t.Fatalf("failure %d: state %+v", i, st)
		}
	}
	fs, err := s.Failures("shop")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != snapshot.MaxFailures || fs[0].Error != "attempt 11" || fs[len(fs)-1].Error != "attempt 60" || fs[0].Status != 503 {
		t.Errorf("%d failures kept, first %q last %q; want the last %d", len(fs), fs[0].Error, fs[len(fs)-1].Error, snapshot.MaxFailures)
	}
	if st := Stats(t, s); st.Failures != snapshot.MaxFailures {
		t.Errorf("Stats.Failures = %d, want %d", st.Failures, snapshot.MaxFailures)
	}
	if evs, _ := s.Events(snapshot.EventFilter{Type: snapshot.TypeTargetFailing}); len(evs) != 1 || evs[0].ID != "evt_failing_3" || !evs[0].CreatedAt.Equal(at(3*time.Minute)) {
		t.Errorf("target.failing events over 60 failures: %+v, want one, at the third", evs)
	}

	out := RecordWith(t, s, Observation("shop", PolicyText("08", 1000), at(2*time.Hour)), ChangeEvents("ops"))
	if !out.Recovered || out.FailuresBefore != 60 || out.Kind != snapshot.Unchanged {
		t.Errorf("outcome after failures: %+v", out)
	}
	st, err := s.Target("shop")
	if err != nil {
		t.Fatal(err)
	}
	if st.Failing || st.ConsecutiveFailures != 0 || st.LastError != "" || !st.LastSuccess.Equal(at(2*time.Hour)) {
		t.Errorf("state after recovery: %+v", st)
	}
	if evs, _ := s.Events(snapshot.EventFilter{Type: snapshot.TypeTargetRecovered}); len(evs) != 1 {
		t.Errorf("%d target.recovered events, want 1", len(evs))
	}
	if out := Record(t, s, Observation("shop", PolicyText("08", 1000), at(3*time.Hour))); out.Recovered {
		t.Error("recovered twice")
	}
	// The failures stay readable after the recovery.
	if fs, _ := s.Failures("shop"); len(fs) != snapshot.MaxFailures {
		t.Errorf("%d failures after the recovery, want %d kept", len(fs), snapshot.MaxFailures)
	}
}

func testNeverSucceeded(t *testing.T, s storage.Store) {
	f := snapshot.Failure{At: T0, Error: "dial tcp: connection refused", URL: "https://fresh.example/p", TextHash: hashOf("x")}
	if _, err := s.RecordFailure(bg, "fresh", f, nil); err != nil {
		t.Fatal(err)
	}
	st, err := s.Target("fresh")
	if err != nil || st.URL != "https://fresh.example/p" || st.Current != 0 || st.ConsecutiveFailures != 1 || !st.LastSuccess.IsZero() {
		t.Errorf("a target that never succeeded: %+v, %v", st, err)
	}
	if fs, err := s.Failures("fresh"); err != nil || len(fs) != 1 || !fs[0].At.Equal(f.At) || fs[0].Error != f.Error || fs[0].URL != f.URL || fs[0].TextHash != f.TextHash {
		t.Errorf("Failures = %+v, %v; want %+v", fs, err, f)
	}
	if vs, err := s.Versions("fresh"); err != nil || len(vs) != 0 {
		t.Errorf("Versions of a target with only failures = %v, %v; want none and no error", vs, err)
	}
	if cur, err := s.Current("fresh"); cur != nil || err != nil {
		t.Errorf("Current = %v, %v; want nil, nil", cur, err)
	}
	if err := s.SetFailing(bg, "fresh", true); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Target("fresh"); !st.Failing {
		t.Error("SetFailing(true) did not stick")
	}
	if err := s.SetFailing(bg, "fresh", false); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Target("fresh"); st.Failing {
		t.Error("SetFailing(false) did not stick")
	}
	if err := s.SetFailing(bg, "nope", true); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("SetFailing of an unknown target: %v", err)
	}
	Record(t, s, Observation("shop", PolicyText("08", 1000), T0))
	if ts, err := s.Targets(); err != nil || len(ts) != 2 || ts[0].Name != "fresh" || ts[1].Name != "shop" {
		t.Errorf("Targets: %+v, %v; want fresh and shop, by name", ts, err)
	}
}

func testBoard(t *testing.T, s storage.Store) {
	if _, ok, err := s.Board("shop"); err != nil || ok {
		t.Fatalf("Board before any read = %v, %v", ok, err)
	}
	page := []byte("<html><body><table><tr><td><a href=/1>개인정보처리방침 개정 안내</a></td><td>2026-11-13</td></tr></table></body></html>")
	sum := sha256.Sum256(page)
	st := snapshot.BoardState{
		URL: "https://shop.example/notice", Discovered: true, FirstRead: T0, LastRead: T0, LastAttempt: T0,
		SHA256: hex.EncodeToString(sum[:]), Listed: 1, Oldest: "2026-11-13",
		Posts: []snapshot.BoardPost{{URL: "https://shop.example/notice/1", Title: "개인정보처리방침 개정 안내", Posted: "2026-11-13", Effective: "2026-11-23",
			FirstSeen: T0, Event: "evt_announce", Changes: []snapshot.BoardChange{{Before: "1년", After: "3년"}}}},
	}
	ev := snapshot.Event{ID: "evt_announce", Type: "policy.announced", Target: "shop", CreatedAt: T0, Payload: []byte(`{"type":"policy.announced"}`), Webhooks: []string{"ops"}}
	if err := s.RecordBoard(bg, "shop", st, [][]byte{page, page}, []snapshot.Event{ev}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Board("shop")
	if err != nil || !ok || got.URL != st.URL || !got.Discovered || len(got.Posts) != 1 || got.Posts[0].Effective != "2026-11-23" ||
		!got.Posts[0].FirstSeen.Equal(T0) || len(got.Posts[0].Changes) != 1 || got.Posts[0].Changes[0].After != "3년" {
		t.Fatalf("Board = %+v, %v, %v", got, ok, err)
	}
	b, err := s.Blob(got.SHA256)
	if err != nil || string(b) != string(page) {
		t.Fatalf("board page blob = %q, %v", b, err)
	}
	if n := Stats(t, s).Blobs; n != 1 {
		t.Errorf("%d blobs for one page quoted twice, want 1", n)
	}
	if e, err := s.Event("evt_announce"); err != nil || len(e.Deliveries) != 1 || e.Deliveries[0].State != snapshot.StatePending {
		t.Fatalf("announced event in the outbox: %+v, %v", e, err)
	}
	// The same event id twice is refused and nothing of that call is stored.
	st.Listed = 99
	if err := s.RecordBoard(bg, "shop", st, nil, []snapshot.Event{ev}); err == nil {
		t.Fatal("a duplicate event id was accepted")
	}
	if got, _, _ := s.Board("shop"); got.Listed != 1 {
		t.Errorf("a failed RecordBoard changed the state: listed %d", got.Listed)
	}
	// Posts are bounded, the newest kept.
	for i := range snapshot.MaxBoardPosts + 5 {
		st.Posts = append(st.Posts, snapshot.BoardPost{URL: fmt.Sprint("https://shop.example/notice/x", i), FirstSeen: T0})
	}
	if err := s.RecordBoard(bg, "shop", st, nil, nil); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.Board("shop")
	if len(got.Posts) != snapshot.MaxBoardPosts || got.Posts[len(got.Posts)-1].URL != fmt.Sprint("https://shop.example/notice/x", snapshot.MaxBoardPosts+4) {
		t.Errorf("%d posts kept, want the newest %d", len(got.Posts), snapshot.MaxBoardPosts)
	}
	if _, ok, err := s.Board("other"); ok || err != nil {
		t.Errorf("Board of another target = %v, %v", ok, err)
	}
}
