package monitor

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/snapshot"
)

// tokenPage is policyPage with what real sites add to every response: a
// CSRF token in a hidden input, a coupon code in a popup inside the policy
// element, a build stamp in an inline script.
func tokenPage(n int, policy string) string {
	extra := fmt.Sprintf(`<form action="/search"><input type="hidden" name="csrf" value="tok%08x"></form>
<script>var STAMP = %d;</script>`, n*7919, n)
	popup := fmt.Sprintf(`<div class="popup"><p>오늘의 쿠폰: <strong>C%05d</strong></p><a href="#">[닫기]</a></div>`, n)
	page := strings.Replace(policy, "<body>", "<body>"+extra, 1)
	return strings.Replace(page, `<main id="policy">`, `<main id="policy">`+popup, 1)
}

// TestPageKeyShortcut: a re-check of a page that differs only in what the
// rules' extraction never reads (tokens, an excluded popup) records the
// same as the full path — the version seen again, nothing else — without
// extracting; a change of the text, of the rules, or of the store's
// current version is never taken for it.
func TestPageKeyShortcut(t *testing.T) {
	s := newSite(t)
	base := policyPage("다온상사", "3년", "2026-10-01", "2026-10-08")
	rules := "selector = \"#policy\"\nexclude = [\".popup\"]\n"
	// The same text under rules with a pseudo-class: no masking, so the
	// full path every time.
	plain := "selector = \"#policy:not(.none)\"\nexclude = [\".popup\"]\n"
	mk := func(r string) (*snapshot.Store, func(int) Result) {
		cfg := testConfig(t, fmt.Sprintf("\n[[target]]\nname = \"daon\"\nurl = %q\n%s", s.url("/p"), r), nil)
		clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
		c, st := newChecker(t, cfg, clk.now)
		return st, func(n int) Result {
			clk.add(time.Hour)
			s.set("/p", page{body: tokenPage(n, base)})
			return mustCheck(t, c, cfg, "daon")
		}
	}
	keyed, checkKeyed := mk(rules)
	full, checkFull := mk(plain)
	for n := 1; n <= 3; n++ {
		a, b := checkKeyed(n), checkFull(n)
		if a.Err != nil || b.Err != nil {
			t.Fatalf("check %d: %v / %v", n, a.Err, b.Err)
		}
		if a.Status != b.Status || a.Version != b.Version || a.Events != b.Events {
			t.Fatalf("check %d: keyed %+v, full %+v", n, a, b)
		}
		if want := n > 1; a.keyed != want || b.keyed {
			t.Fatalf("check %d: keyed=%v (want %v), full keyed=%v", n, a.keyed, want, b.keyed)
		}
	}
	va, err := keyed.Current("daon")
	if err != nil {
		t.Fatal(err)
	}
	vb, err := full.Current("daon")
	if err != nil {
		t.Fatal(err)
	}
	// The rules differ by construction, the Date header by the clock.
	va.Rules, vb.Rules = "", ""
	va.Header["Date"], vb.Header["Date"] = nil, nil
	if fmt.Sprintf("%+v", *va) != fmt.Sprintf("%+v", *vb) {
		t.Fatalf("versions differ:\nkeyed %+v\nfull  %+v", *va, *vb)
	}
	if va.Seen != 3 || va.ID != 1 {
		t.Fatalf("current version %+v, want version 1 seen 3 times", *va)
	}
	pk, err := keyed.PageKey("daon")
	if err != nil || pk.Key == "" || pk.TextHash != va.TextHash || pk.Version != 1 {
		t.Fatalf("page key %+v, %v", pk, err)
	}
	na, _ := keyed.Events(snapshot.EventFilter{Target: "daon"})
	nb, _ := full.Events(snapshot.EventFilter{Target: "daon"})
	if len(na) != len(nb) {
		t.Fatalf("events: keyed %d, full %d", len(na), len(nb))
	}

}

// TestPageKeyChanges: what extraction reads, and the rules, decide.
func TestPageKeyChanges(t *testing.T) {
	s := newSite(t)
	base := policyPage("다온상사", "3년", "2026-10-01", "2026-10-08")
	target := func(r string) string {
		return fmt.Sprintf("\n[[target]]\nname = \"daon\"\nurl = %q\n%s", s.url("/p"), r)
	}
	cfg := testConfig(t, target("selector = \"#policy\"\nexclude = [\".popup\"]\n"), nil)
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	check := func(body string) Result {
		clk.add(time.Hour)
		s.set("/p", page{body: body})
		r := mustCheck(t, c, cfg, "daon")
		if r.Err != nil {
			t.Fatalf("check: %v", r.Err)
		}
		return r
	}
	check(tokenPage(1, base))
	if r := check(tokenPage(2, base)); !r.keyed || r.Status != StatusUnchanged {
		t.Fatalf("tokens only: %+v", r)
	}
	changed := strings.Replace(base, "3년", "5년", 1)
	if r := check(tokenPage(3, changed)); r.keyed || r.Status != StatusChanged || r.Version != 2 {
		t.Fatalf("text changed: %+v", r)
	}
	if r := check(tokenPage(4, changed)); !r.keyed || r.Version != 2 {
		t.Fatalf("tokens only after the change: %+v", r)
	}
	// The same page under other rules (the popup kept): not the key's text.
	cfg2 := testConfig(t, target("selector = \"#policy\"\n"), nil)
	cfg2.Storage = cfg.Storage
	c.SetConfig(cfg2)
	tg, _ := cfg2.Target("daon")
	clk.add(time.Hour)
	s.set("/p", page{body: tokenPage(5, changed)})
	r := c.Check(t.Context(), tg)
	if r.Err != nil || r.keyed || r.Status != StatusTechnical {
		t.Fatalf("rules changed: %+v", r)
	}
	text, err := st.Text(mustCurrent(t, st, "daon"))
	if err != nil || !strings.Contains(text, "C00005") {
		t.Fatalf("text under the new rules lacks the popup: %q, %v", text, err)
	}
	// Hidden by an attribute extraction reads: not the same text.
	c.SetConfig(cfg)
	check(tokenPage(6, changed))
	hidden := strings.Replace(changed, "<p>보유기간이", "<p hidden>보유기간이", 1)
	if r := check(tokenPage(7, hidden)); r.keyed || r.Status != StatusChanged {
		t.Fatalf("paragraph hidden: %+v", r)
	}
}

func mustCurrent(t *testing.T, st *snapshot.Store, name string) snapshot.Version {
	t.Helper()
	v, err := st.Current(name)
	if err != nil || v == nil {
		t.Fatalf("current version of %s: %v, %v", name, v, err)
	}
	return *v
}

// On PostgreSQL too a page that differs only in what extraction does not
// read is recorded without extracting it, as the same version.
func TestPageKeyShortcutPostgres(t *testing.T) {
	st, _ := sharedSchedule(t)
	s := newSite(t)
	base := policyPage("다온상사", "3년", "2026-10-01", "2026-10-08")
	cfg := testConfig(t, fmt.Sprintf("\n[[target]]\nname = \"daon\"\nurl = %q\nselector = \"#policy\"\nexclude = [\".popup\"]\n", s.url("/p")), nil)
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c := NewChecker(cfg, st, fetch.New(FetchOptions(cfg, nil, nil)), nil, clk.now)
	for n := 1; n <= 3; n++ {
		clk.add(time.Hour)
		s.set("/p", page{body: tokenPage(n, base)})
		r := mustCheck(t, c, cfg, "daon")
		if want := n > 1; r.Err != nil || r.keyed != want || r.Version != 1 {
			t.Fatalf("check %d: %+v, keyed %v (want %v)", n, r, r.keyed, want)
		}
	}
	cur, err := st.Current("daon")
	if err != nil || cur == nil || cur.Seen != 3 {
		t.Fatalf("current %+v, %v: want version 1 seen 3 times", cur, err)
	}
}
