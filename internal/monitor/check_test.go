package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

// site is a test web server whose pages can be changed between checks.
type site struct {
	t     *testing.T
	srv   *httptest.Server
	mu    sync.Mutex
	pages map[string]page
	hits  map[string]int
}

type page struct {
	body        string // UTF-8 source
	eucKR       bool   // serve encoded as EUC-KR
	status      int
	delay       time.Duration
	contentType string
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{t: t, pages: map[string]page{}, hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) set(path string, p page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = p
}

func (s *site) url(path string) string { return s.srv.URL + path }

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.pages[r.URL.RequestURI()] // a page set for one query (a board's post)
	if !ok {
		p, ok = s.pages[r.URL.Path]
	}
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if p.delay > 0 {
		select {
		case <-time.After(p.delay):
		case <-r.Context().Done():
			return
		}
	}
	body := []byte(p.body)
	ct := p.contentType
	if ct == "" {
		ct = "text/html; charset=utf-8"
	}
	if p.eucKR {
		enc, err := korean.EUCKR.NewEncoder().Bytes(body)
		if err != nil {
			s.t.Errorf("encode page as EUC-KR: %v", err)
		}
		body = enc
		ct = "text/html; charset=euc-kr"
	}
	w.Header().Set("Content-Type", ct)
	if p.status != 0 {
		w.WriteHeader(p.status)
	}
	w.Write(body)
}

// testConfig parses a config with the given targets (name → URL) and extra
// TOML, with fast fetch settings and the store in a temp dir.
func testConfig(t *testing.T, extra string, targets map[string]string) *config.Config {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "[storage]\npath = %q\n", filepath.Join(t.TempDir(), "m.db"))
	b.WriteString("[fetch]\ntimeout = \"2s\"\nconnect_timeout = \"1s\"\nretries = 0\nhost_interval = \"0s\"\nmax_body = \"256KiB\"\n")
	b.WriteString("[server]\nlisten = \"\"\n")
	b.WriteString(extra)
	for name, u := range targets {
		fmt.Fprintf(&b, "\n[[target]]\nname = %q\nurl = %q\n", name, u)
	}
	cfg, err := config.Parse([]byte(b.String()), "test.toml", func(string) string { return "" })
	if err != nil {
		t.Fatalf("config: %v\n%s", err, b.String())
	}
	return cfg
}

// policyPage writes a policy page in the style of Korean corporate sites.
func policyPage(company, retention, announced, effective string) string {
	return fmt.Sprintf(`<!doctype html><html><head><title>%[1]s 개인정보처리방침</title>
<script>var tracker = "개인정보 아님";</script><style>.x{}</style></head>
<body><header><nav><a href="/">홈</a> <a href="/privacy">개인정보처리방침</a></nav></header>
<main id="policy">
<h2>%[1]s 개인정보처리방침</h2>
<p>%[1]s(이하 "회사")는 이용자의 개인정보를 소중히 다루며 「개인정보 보호법」을 준수합니다.</p>
<h3>1. 개인정보의 처리 목적</h3>
<p>회사는 회원 관리, 서비스 제공, 고객 상담을 위하여 개인정보를 처리합니다.</p>
<h3>2. 처리하는 개인정보의 항목</h3>
<ul><li>필수항목: 이름, 휴대전화번호, 이메일</li><li>선택항목: 생년월일</li></ul>
<h3>3. 개인정보의 처리 및 보유 기간</h3>
<p>회원 탈퇴 시까지 보유하며, 관계 법령에 따라 %[2]s간 보관합니다.</p>
<h3>4. 개인정보의 파기</h3>
<p>보유기간이 지난 개인정보는 지체 없이 파기합니다. 전자적 파일은 복구할 수 없는 방법으로 삭제합니다.</p>
<h3>5. 개인정보 보호책임자</h3>
<p>개인정보 보호책임자: 김민준 (privacy@example.kr, 02-000-0000)</p>
<h3>6. 개인정보 처리방침의 변경</h3>
<p>이 개인정보처리방침을 변경하는 경우 시행 7일 전부터 공지사항을 통하여 고지합니다.</p>
<p>공고일자: %[3]s</p>
<p>시행일자: %[4]s</p>
</main>
<footer>Copyright %[1]s. 개인정보처리방침 | 이용약관</footer></body></html>`, company, retention, announced, effective)
}

func newChecker(t *testing.T, cfg *config.Config, now func() time.Time) (*Checker, *snapshot.Store) {
	t.Helper()
	st := snapshottest.Open(t)
	return NewChecker(cfg, st, fetch.New(FetchOptions(cfg, nil, nil)), nil, now), st
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func events(t *testing.T, st *snapshot.Store, target string) []message.Event {
	t.Helper()
	evs, err := st.Events(snapshot.EventFilter{Target: target})
	if err != nil {
		t.Fatal(err)
	}
	var out []message.Event
	for i := len(evs) - 1; i >= 0; i-- { // oldest first
		var e message.Event
		if err := json.Unmarshal(evs[i].Payload, &e); err != nil {
			t.Fatalf("event %s payload: %v", evs[i].ID, err)
		}
		out = append(out, e)
	}
	return out
}

func mustCheck(t *testing.T, c *Checker, cfg *config.Config, name string) Result {
	t.Helper()
	tg, ok := cfg.Target(name)
	if !ok {
		t.Fatalf("no target %q", name)
	}
	return c.Check(context.Background(), tg)
}

func TestCheckUnchangedThenChanged(t *testing.T) {
	s := newSite(t)
	s.set("/p", page{body: policyPage("다온상사", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, "", map[string]string{"daon": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)

	r := mustCheck(t, c, cfg, "daon")
	if r.Err != nil || r.Status != StatusBaseline || r.Version != 1 || r.Events != 1 {
		t.Fatalf("first check = %+v, want baseline v1 with its event", r)
	}
	if len(r.Violations) != 0 {
		t.Fatalf("7 days of notice is compliant, got %+v", r.Violations)
	}
	before, err := st.Stats()
	if err != nil {
		t.Fatal(err)
	}

	clk.add(6 * time.Hour)
	r = mustCheck(t, c, cfg, "daon")
	if r.Err != nil || r.Status != StatusUnchanged || r.Version != 1 {
		t.Fatalf("second check = %+v, want unchanged v1", r)
	}
	after, err := st.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if after.Blobs != before.Blobs || after.BlobBytes != before.BlobBytes || after.Versions != 1 {
		t.Fatalf("unchanged page stored content: before %+v after %+v", before, after)
	}
	v, err := st.Version("daon", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !v.LastSeen.Equal(clk.now()) || v.FirstSeen.Equal(v.LastSeen) {
		t.Fatalf("last_seen did not move: first %v last %v now %v", v.FirstSeen, v.LastSeen, clk.now())
	}

	// A real change with 30 days of notice: one compliant policy.changed.
	clk.add(24 * time.Hour)
	s.set("/p", page{body: policyPage("다온상사", "5년", "2026-11-02", "2026-12-02")})
	r = mustCheck(t, c, cfg, "daon")
	if r.Err != nil || r.Status != StatusChanged || r.Version != 2 {
		t.Fatalf("third check = %+v, want changed v2", r)
	}
	if len(r.Violations) != 0 {
		t.Fatalf("compliant change flagged: %+v", r.Violations)
	}
	evs := events(t, st, "daon")
	if len(evs) != 2 || evs[0].Type != message.TypeBaseline || evs[1].Type != message.TypeChanged {
		t.Fatalf("events = %+v, want baseline then changed", evs)
	}
	ch := evs[1]
	if ch.Previous == nil || ch.Previous.ID != "1" || ch.Version.ID != "2" {
		t.Fatalf("changed event versions = %+v / %+v", ch.Version, ch.Previous)
	}
	if ch.Version.Effective == nil || *ch.Version.Effective != "2026-12-02" {
		t.Fatalf("effective = %v, want 2026-12-02", ch.Version.Effective)
	}
	found := false
	for _, sec := range ch.Sections {
		if strings.Contains(sec.Diff, "5년") && strings.Contains(sec.Diff, "3년") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no section diff shows 3년 → 5년: %+v", ch.Sections)
	}
}

func TestCheckEUCKRSameAsUTF8(t *testing.T) {
	s := newSite(t)
	body := policyPage("똠방각하 상회", "3년", "2026-10-01", "2026-10-08")
	s.set("/utf8", page{body: body})
	s.set("/euckr", page{body: body, eucKR: true})
	cfg := testConfig(t, "", map[string]string{"u": s.url("/utf8"), "e": s.url("/euckr")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	for _, n := range []string{"u", "e"} {
		if r := mustCheck(t, c, cfg, n); r.Err != nil {
			t.Fatalf("check %s: %v", n, r.Err)
		}
	}
	vu, _ := st.Current("u")
	ve, _ := st.Current("e")
	if vu.TextHash != ve.TextHash {
		tu, _ := st.Text(*vu)
		te, _ := st.Text(*ve)
		t.Fatalf("EUC-KR page extracted differently:\n%s\n---\n%s", tu, te)
	}
	te, _ := st.Text(*ve)
	if !strings.Contains(te, "똠방각하") {
		t.Fatalf("CP949 syllable lost: %q", te[:80])
	}
	// The raw page is kept as the bytes served, in their own charset.
	raw, err := st.Raw(*ve)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := korean.EUCKR.NewEncoder().Bytes([]byte(body))
	if string(raw) != string(want) {
		t.Fatalf("stored raw page is not the EUC-KR bytes served (%d vs %d bytes)", len(raw), len(want))
	}
}

func TestCheckFailuresAreNotVersions(t *testing.T) {
	s := newSite(t)
	maintenance := `<html><body><main><h1>서비스 점검 안내</h1><p>보다 나은 서비스를 위해 시스템 점검을 진행하고 있습니다.</p>
<p>점검 시간: 02:00 ~ 06:00. 이용에 불편을 드려 죄송합니다.</p><p>문의: 고객센터 1588-0000</p>
<p>점검이 끝나면 자동으로 연결됩니다. 잠시 후 다시 시도해 주세요. 감사합니다.</p>
<p>점검 중에는 로그인, 결제, 회원가입 등 모든 서비스를 이용하실 수 없습니다. 양해 부탁드립니다.</p></main></body></html>`
	s.set("/500", page{body: "oops", status: 500})
	s.set("/slow", page{body: policyPage("느림", "3년", "2026-10-01", "2026-10-08"), delay: 5 * time.Second})
	s.set("/big", page{body: policyPage("큼", strings.Repeat("가", 200_000), "2026-10-01", "2026-10-08")})
	s.set("/maint", page{body: maintenance})
	loop := http.NewServeMux()
	loop.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	loop.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) })
	loopSrv := httptest.NewServer(loop)
	t.Cleanup(loopSrv.Close)

	targets := map[string]string{
		"e500": s.url("/500"), "slow": s.url("/slow"), "big": s.url("/big"),
		"maint": s.url("/maint"), "loop": loopSrv.URL + "/a", "gone": s.url("/missing"),
	}
	cfg := testConfig(t, "", targets)
	cfg.Fetch.Timeout = 300 * time.Millisecond
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	for name := range targets {
		t.Run(name, func(t *testing.T) {
			r := mustCheck(t, c, cfg, name)
			if r.Status != StatusFailed || r.Err == nil {
				t.Fatalf("check = %+v, want failed", r)
			}
			vs, err := st.Versions(name)
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != 0 {
				t.Fatalf("failed check stored %d versions", len(vs))
			}
			fs, err := st.Failures(name)
			if err != nil || len(fs) != 1 {
				t.Fatalf("failures = %v, %v; want one", fs, err)
			}
		})
	}
}

func TestFailingAndRecovered(t *testing.T) {
	s := newSite(t)
	s.set("/p", page{body: policyPage("가온", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, "[notice]\nfailing_after = 3\n", map[string]string{"gaon": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	mustCheck(t, c, cfg, "gaon")
	s.set("/p", page{body: "down", status: 503})
	for range 5 {
		clk.add(time.Hour)
		mustCheck(t, c, cfg, "gaon")
	}
	s.set("/p", page{body: policyPage("가온", "3년", "2026-10-01", "2026-10-08")})
	clk.add(time.Hour)
	if r := mustCheck(t, c, cfg, "gaon"); r.Status != StatusUnchanged {
		t.Fatalf("recovery check = %+v, want unchanged", r)
	}
	var types []string
	for _, e := range events(t, st, "gaon") {
		types = append(types, e.Type)
	}
	want := []string{message.TypeBaseline, message.TypeFailing, message.TypeRecovered}
	if strings.Join(types, ",") != strings.Join(want, ",") {
		t.Fatalf("events = %v, want %v (failing once after 3 failures, recovered once)", types, want)
	}
}

func TestRulesChangeIsTechnical(t *testing.T) {
	s := newSite(t)
	s.set("/p", page{body: policyPage("나래", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, "", map[string]string{"narae": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	mustCheck(t, c, cfg, "narae")
	tg, _ := cfg.Target("narae")
	tg.Exclude = []string{"h2"} // the operator drops the page title
	clk.add(time.Hour)
	r := c.Check(context.Background(), tg)
	if r.Status != StatusTechnical || r.Version != 2 {
		t.Fatalf("check after rules change = %+v, want technical v2", r)
	}
	if n := len(events(t, st, "narae")); n != 1 {
		t.Fatalf("%d events, want only the baseline", n)
	}
}

func TestBaselineShortNoticeSeed003(t *testing.T) {
	seed := filepath.Join("..", "..", "..", "shared", "seeds")
	matches, _ := filepath.Glob(filepath.Join(seed, "003_*.txt"))
	if len(matches) == 0 {
		t.Skipf("seed 003 not found under %s: ../shared is absent", seed)
	}
	raw, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("<html><body><nav>메뉴</nav><div id=\"content\">")
	for _, line := range strings.Split(string(raw), "\n") {
		fmt.Fprintf(&b, "<p>%s</p>\n", htmlEscape(line))
	}
	b.WriteString("</div><footer>회사 정보</footer></body></html>")
	s := newSite(t)
	s.set("/p", page{body: b.String()})
	cfg := testConfig(t, "", map[string]string{"rarelee": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}
	c, _ := newChecker(t, cfg, clk.now)
	r := mustCheck(t, c, cfg, "rarelee")
	if r.Err != nil || r.Status != StatusBaseline {
		t.Fatalf("check = %+v", r)
	}
	if len(r.Violations) != 1 || r.Violations[0].Rule != "short_notice" {
		t.Fatalf("violations = %+v, want one short_notice", r.Violations)
	}
	if a := r.Violations[0].ActualDays; a == nil || *a != 0 {
		t.Fatalf("actual_days = %v, want 0 (announced the day it took effect)", a)
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// TestFlappingPage: A→B→A→B→A raises the baseline, one alert for the first
// change, one note for the first return, and nothing for later flips; all
// five observations are kept as versions.
func TestFlappingPage(t *testing.T) {
	s := newSite(t)
	a := policyPage("파도", "3년", "2026-10-01", "2026-10-08")
	b := policyPage("파도", "5년", "2026-11-01", "2026-11-30")
	cfg := testConfig(t, "", map[string]string{"pado": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	for _, body := range []string{a, b, a, b, a} {
		s.set("/p", page{body: body})
		if r := mustCheck(t, c, cfg, "pado"); r.Err != nil {
			t.Fatal(r.Err)
		}
		clk.add(time.Hour)
	}
	vs, err := st.Versions("pado")
	if err != nil || len(vs) != 5 {
		t.Fatalf("versions = %d, %v; want 5", len(vs), err)
	}
	evs := events(t, st, "pado")
	if len(evs) != 3 {
		t.Fatalf("%d events, want baseline, change, one return note: %+v", len(evs), evs)
	}
	note := evs[2]
	if note.Type != message.TypeChanged || note.ReturnOf != "1" || len(note.Violations) != 0 {
		t.Fatalf("return note = %+v", note)
	}
	if !strings.Contains(note.Summary, "되돌아갔습니다") {
		t.Fatalf("return note summary = %q", note.Summary)
	}
}

// TestBackdatedChangeIsLateNotice: the page claims 15 days of notice, but
// the old text was still served 3 days before the new effective date.
func TestBackdatedChangeIsLateNotice(t *testing.T) {
	s := newSite(t)
	s.set("/p", page{body: policyPage("소급상사", "3년", "2026-10-01", "2026-10-08")})
	cfg := testConfig(t, "", map[string]string{"sogeup": s.url("/p")})
	// 2026-11-19 23:30 KST is still 2026-11-19 14:30 UTC: the KST date counts.
	clk := &clock{t: time.Date(2026, 11, 19, 14, 30, 0, 0, time.UTC)}
	c, _ := newChecker(t, cfg, clk.now)
	mustCheck(t, c, cfg, "sogeup")
	clk.add(12 * time.Hour) // 2026-11-20 11:30 KST
	s.set("/p", page{body: policyPage("소급상사", "5년", "2026-11-07", "2026-11-22")})
	r := mustCheck(t, c, cfg, "sogeup")
	var late *int
	for _, v := range r.Violations {
		if v.Rule == "short_notice" {
			t.Fatalf("15 days on paper is not short: %+v", v)
		}
		if v.Rule == "late_notice" {
			late = v.ActualDays
		}
	}
	// Old text last seen 2026-11-19 (KST) → effective 2026-11-22: 3 days.
	if late == nil || *late != 3 {
		t.Fatalf("violations = %+v, want late_notice with actual_days 3", r.Violations)
	}
}

// TestCosmeticChangeRaisesNothing: spacing, NBSP and full-width digits
// change the text but not the policy: a version is stored, no alert.
func TestCosmeticChangeRaisesNothing(t *testing.T) {
	s := newSite(t)
	orig := policyPage("단정", "3년", "2026-10-01", "2026-10-08")
	s.set("/p", page{body: orig})
	cfg := testConfig(t, "", map[string]string{"danjeong": s.url("/p")})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	c, st := newChecker(t, cfg, clk.now)
	mustCheck(t, c, cfg, "danjeong")
	cosmetic := strings.NewReplacer("3년간", "３년간", "개인정보를 처리합니다", "개인정보를&nbsp; 처리합니다", "보유하며,", "보유하며 ,").Replace(orig)
	if cosmetic == orig {
		t.Fatal("the cosmetic edit did not apply")
	}
	s.set("/p", page{body: cosmetic})
	clk.add(time.Hour)
	r := mustCheck(t, c, cfg, "danjeong")
	if r.Status != StatusCosmetic || len(r.Violations) != 0 {
		t.Fatalf("cosmetic change = %+v, want status cosmetic, no violations", r)
	}
	if n := len(events(t, st, "danjeong")); n != 1 {
		t.Fatalf("%d events, want only the baseline", n)
	}
}
