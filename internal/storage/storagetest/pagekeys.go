package storagetest

import (
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

// A driver that keeps page keys (storage.PageKeys) stores the key of the
// page each target's current text came from, with that version: a new text
// brings its own key, a check proven to have the current text (TextSHA256)
// or a 304 leaves it, and a TextSHA256 that is not the current text is
// refused without changing anything.
func testPageKeys(t *testing.T, s storage.Store) {
	ks, ok := s.(storage.PageKeys)
	if !ok {
		t.Skip("the driver keeps no page keys (storage.PageKeys): the checker always extracts")
	}
	key := func(target string) snapshot.PageKey {
		t.Helper()
		pk, err := ks.PageKey(target)
		if err != nil {
			t.Fatalf("PageKey(%s): %v", target, err)
		}
		return pk
	}
	if pk := key("a"); pk != (snapshot.PageKey{}) {
		t.Fatalf("a target never checked has key %+v", pk)
	}
	text1, text2 := PolicyText("08", 3000), PolicyText("15", 3000)
	o := Observation("a", text1, T0)
	o.PageKey = "k1"
	v1 := Record(t, s, o).Version
	if pk, want := key("a"), (snapshot.PageKey{Version: v1.ID, TextHash: hashOf(text1), Key: "k1"}); pk != want {
		t.Fatalf("after the baseline: key %+v, want %+v", pk, want)
	}
	Record(t, s, Observation("b", text1, T0)) // without a key
	if pk := key("b"); pk != (snapshot.PageKey{}) {
		t.Errorf("an observation without a key stored %+v", pk)
	}

	keyed := snapshot.Observation{Target: "a", URL: o.URL, At: at(time.Hour), Status: 200, MediaType: "text/html",
		Charset: "utf-8", Rules: RulesV1, TextSHA256: hashOf(text1), PageKey: "k1"}
	if out := Record(t, s, keyed); out.Kind != snapshot.Unchanged || out.Version.ID != v1.ID || out.Version.Seen != 2 {
		t.Fatalf("a keyed check: kind %v version %d seen %d, want unchanged on version %d seen 2", out.Kind, out.Version.ID, out.Version.Seen, v1.ID)
	}
	wrong := keyed
	wrong.At, wrong.TextSHA256 = at(2*time.Hour), hashOf(text2)
	if _, err := s.Record(bg, wrong, nil); err == nil {
		t.Error("a keyed check claiming a text that is not the current one was recorded")
	}

	o2 := Observation("a", text2, at(3*time.Hour))
	o2.PageKey = "k2"
	v2 := Record(t, s, o2).Version
	if pk, want := key("a"), (snapshot.PageKey{Version: v2.ID, TextHash: hashOf(text2), Key: "k2"}); v2.ID == v1.ID || pk != want {
		t.Fatalf("after a change: version %d, key %+v, want %+v", v2.ID, pk, want)
	}
	nm := snapshot.Observation{Target: "a", At: at(4 * time.Hour), Status: 304, NotModified: true, Rules: RulesV1, PageKey: "k3"}
	Record(t, s, nm)
	if pk := key("a"); pk.Key != "k2" || pk.Version != v2.ID {
		t.Errorf("a 304 changed the key to %+v", pk)
	}
	if got := Stats(t, s).Versions; got != 3 {
		t.Errorf("%d versions stored, want 3 (a1, a2, b1)", got)
	}
}
