package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/monitord/monitord/internal/chromium/chromiumtest"
)

// appSite serves the pages of the rendering tests; each path's body can be
// swapped between checks.
type appSite struct {
	mu    sync.Mutex
	pages map[string]string
	hits  map[string]int
	srv   *httptest.Server
}

func newAppSite(t *testing.T) *appSite {
	s := &appSite{pages: map[string]string{}, hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body, ok := s.pages[r.URL.Path]
		if q := r.URL.RawQuery; q != "" {
			if b, found := s.pages[r.URL.Path+"?"+q]; found {
				body, ok = b, true
			}
		}
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		ct := "text/html; charset=utf-8"
		if strings.HasPrefix(r.URL.Path, "/api/") {
			ct = "application/json"
		}
		if strings.HasSuffix(r.URL.Path, ".js") {
			ct = "text/javascript"
		}
		w.Header().Set("Content-Type", ct)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *appSite) set(path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = body
}

func (s *appSite) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// policySections are the sections of the test policy of 하늘마켓, as the
// JSON of a script app would carry them.
func policySections(retention string) []map[string]string {
	return []map[string]string{
		{"title": "제1조 (개인정보의 처리 목적)", "body": "하늘마켓은 회원 가입, 주문과 배송, 고객 상담을 위하여 개인정보를 처리하며 목적이 바뀌면 별도의 동의를 받습니다."},
		{"title": "제2조 (처리하는 개인정보 항목)", "body": "필수항목으로 이름, 휴대전화번호, 배송지 주소를 수집하고 선택항목으로 생년월일을 수집합니다."},
		{"title": "제3조 (개인정보의 보유 및 이용 기간)", "body": "회원 탈퇴 시까지 보유하며 전자상거래 기록은 관계 법령에 따라 " + retention + "간 보관한 뒤 파기합니다."},
		{"title": "제4조 (개인정보의 제3자 제공)", "body": "하늘마켓은 이용자의 동의 없이 개인정보를 제3자에게 제공하지 않습니다. 배송은 택배사에 위탁합니다."},
		{"title": "제5조 (개인정보 처리방침의 변경)", "body": "이 방침을 바꾸는 경우 시행 7일 전부터 공지사항으로 알립니다. 공고일자: 2026-09-01 시행일자: 2026-09-08"},
	}
}

// nextPage is a Next.js-style page: an empty #__next and the policy only
// in __NEXT_DATA__, next to the app's other data. build stands for the
// shell: it changes with every deployment, the policy does not.
func nextPage(t *testing.T, retention, build string) string {
	data := map[string]any{
		"props": map[string]any{
			"pageProps": map[string]any{
				"menu":   []string{"홈", "쇼핑", "고객센터"},
				"policy": map[string]any{"heading": "하늘마켓 개인정보처리방침", "sections": policySections(retention)},
			},
		},
		"page": "/privacy", "buildId": build, "isFallback": false,
	}
	b, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>하늘마켓</title>
<script src="/_next/static/chunks/main-` + build + `.js" defer></script></head>
<body><div id="__next"></div>
<script id="__NEXT_DATA__" type="application/json">` + string(b) + `</script></body></html>`
}

// framedPolicy is a standalone policy document, as a policy host serves it.
func framedPolicy(retention string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>개인정보처리방침</title></head><body><div class="terms">`)
	b.WriteString("<h2>하늘마켓 개인정보처리방침</h2>")
	for _, s := range policySections(retention) {
		fmt.Fprintf(&b, "<h3>%s</h3><p>%s</p>", s["title"], s["body"])
	}
	b.WriteString(`</div></body></html>`)
	return b.String()
}

func framePage(src string) string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>하늘마켓 - 개인정보처리방침</title></head>
<body><header><a href="/">하늘마켓</a></header><h1>개인정보처리방침</h1>
<iframe src="` + src + `" title="개인정보처리방침" width="100%" height="800"></iframe>
<footer>(주)하늘마켓 | 사업자등록번호 000-00-00000</footer></body></html>`
}

func renderConfig(targets ...[2]string) string {
	var b strings.Builder
	b.WriteString("[storage]\npath = \"m.db\"\n[server]\nlisten = \"\"\n[fetch]\nretries = 0\ntimeout = \"20s\"\nconnect_timeout = \"2s\"\nhost_interval = \"0s\"\n")
	for _, t := range targets {
		fmt.Fprintf(&b, "[[target]]\nname = %q\nurl = %q\n", t[0], t[1])
	}
	return b.String()
}

type historyJSON struct {
	ID        any    `json:"id"`
	Announced string `json:"announced"`
	Effective string `json:"effective"`
	Imported  bool   `json:"imported"`
}

func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := cli(t, nil, args...)
	if code != exitOK {
		t.Fatalf("monitord %s: exit %d\nout: %s\nerr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// TestNextDataPolicy: a Next.js-style page whose policy is only in
// __NEXT_DATA__ is read from that data (no browser), with its sections and
// dates; a new build of the shell changes nothing; a change in the data's
// text is a change.
func TestNextDataPolicy(t *testing.T) {
	site := newAppSite(t)
	site.set("/privacy", nextPage(t, "5년", "b1"))
	cfg := writeConfig(t, renderConfig([2]string{"haneul", site.srv.URL + "/privacy"}))

	out := mustCLI(t, "check", "-config", cfg)
	if !strings.Contains(out, "첫 수집 1") {
		t.Fatalf("first check:\n%s", out)
	}
	show := mustCLI(t, "show", "-config", cfg, "haneul")
	for _, want := range []string{"제3조 (개인정보의 보유 및 이용 기간)", "5년간 보관", "제5조 (개인정보 처리방침의 변경)"} {
		if !strings.Contains(show, want) {
			t.Fatalf("show lacks %q:\n%s", want, show)
		}
	}
	_, text, _ := strings.Cut(show, "\n\n") // after the header with the dates
	for i := 1; i <= 5; i++ {               // each section's title leads its own text
		title := strings.Index(text, fmt.Sprintf("# 제%d조", i))
		body := strings.Index(text, policySections("5년")[i-1]["body"])
		if title < 0 || body < title || (i < 5 && body > strings.Index(text, fmt.Sprintf("# 제%d조", i+1))) {
			t.Fatalf("section %d is not read in order:\n%s", i, show)
		}
	}
	for _, noise := range []string{"고객센터", "b1", "/privacy"} {
		if strings.Contains(show, noise) {
			t.Fatalf("show holds the app's other data %q:\n%s", noise, show)
		}
	}
	hist := mustCLI(t, "history", "-config", cfg, "-format", "json", "haneul")
	if !strings.Contains(hist, "2026-09-01") || !strings.Contains(hist, "2026-09-08") {
		t.Fatalf("history lacks the policy's dates:\n%s", hist)
	}

	site.set("/privacy", nextPage(t, "5년", "b2")) // a new deployment of the shell
	mustCLI(t, "check", "-config", cfg)
	if n := versions(t, cfg, "haneul"); n != 1 {
		t.Fatalf("a change in the app shell made %d versions, want 1", n)
	}
	site.set("/privacy", nextPage(t, "10년", "b2"))
	out = mustCLI(t, "check", "-config", cfg)
	if n := versions(t, cfg, "haneul"); n != 2 || !strings.Contains(out, "변경 1") {
		t.Fatalf("a change in the data's text: %d versions\n%s", n, out)
	}
	diff := mustCLI(t, "diff", "-config", cfg, "haneul")
	if !strings.Contains(diff, "10년") {
		t.Fatalf("diff does not show the change:\n%s", diff)
	}
}

func versions(t *testing.T, cfg, name string) int {
	t.Helper()
	var hs []historyJSON
	if err := json.Unmarshal([]byte(mustCLI(t, "history", "-config", cfg, "-format", "json", name)), &hs); err != nil {
		var wrapped struct {
			Versions []historyJSON `json:"versions"`
		}
		if err2 := json.Unmarshal([]byte(mustCLI(t, "history", "-config", cfg, "-format", "json", name)), &wrapped); err2 != nil {
			t.Fatalf("history json: %v / %v", err, err2)
		}
		hs = wrapped.Versions
	}
	return len(hs)
}

// TestIframePolicy: a page whose policy is in an <iframe>, on the same site
// and on another, is followed statically and monitored; a change in the
// framed document is detected, one in the outer page only is not.
func TestIframePolicy(t *testing.T) {
	site := newAppSite(t)
	other := newAppSite(t) // another site (another port of loopback, addressed as localhost)
	otherURL := strings.Replace(other.srv.URL, "127.0.0.1", "localhost", 1)
	site.set("/privacy", framePage("/terms/privacy.html"))
	site.set("/terms/privacy.html", framedPolicy("3년"))
	site.set("/cross", framePage(otherURL+"/policy/haneul"))
	other.set("/policy/haneul", framedPolicy("5년"))
	cfg := writeConfig(t, renderConfig(
		[2]string{"same", site.srv.URL + "/privacy"},
		[2]string{"cross", site.srv.URL + "/cross"},
	))

	out := mustCLI(t, "check", "-config", cfg)
	if !strings.Contains(out, "첫 수집 2") || !strings.Contains(out, "실패 0") {
		t.Fatalf("first check:\n%s", out)
	}
	for name, want := range map[string]string{"same": "3년간 보관", "cross": "5년간 보관"} {
		show := mustCLI(t, "show", "-config", cfg, name)
		if !strings.Contains(show, want) || !strings.Contains(show, "제4조 (개인정보의 제3자 제공)") || strings.Contains(show, "사업자등록번호") {
			t.Fatalf("show %s:\n%s", name, show)
		}
	}
	if other.hitsOf("/policy/haneul") != 1 {
		t.Fatalf("the cross-site frame was fetched %d times, want 1", other.hitsOf("/policy/haneul"))
	}

	// The outer page changes around the frame: nothing to report.
	site.set("/privacy", strings.Replace(framePage("/terms/privacy.html"), "000-00-00000", "111-11-11111", 1))
	mustCLI(t, "check", "-config", cfg)
	if n := versions(t, cfg, "same"); n != 1 {
		t.Fatalf("outer page change made %d versions, want 1", n)
	}
	other.set("/policy/haneul", framedPolicy("7년"))
	out = mustCLI(t, "check", "-config", cfg)
	if n := versions(t, cfg, "cross"); n != 2 || !strings.Contains(out, "변경 1") {
		t.Fatalf("framed change: %d versions\n%s", n, out)
	}
	// The framed document and the page around it are both kept and chained.
	mustCLI(t, "verify", "-config", cfg)
}

// reactShell is a React-style page: an empty #root, a bundle that fetches
// the policy from /api/policy and writes it into the page.
const reactShell = `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>하늘마켓</title></head>
<body><noscript>이 사이트를 이용하려면 자바스크립트를 켜 주세요. You need to enable JavaScript to run this app.</noscript>
<div id="root"></div><script src="/static/js/main.js"></script></body></html>`

const reactBundle = `fetch("/api/policy").then(r => r.json()).then(p => {
  const root = document.getElementById("root");
  const h = document.createElement("h2"); h.textContent = p.heading; root.appendChild(h);
  for (const s of p.sections) {
    const t = document.createElement("h3"); t.textContent = s.title; root.appendChild(t);
    const b = document.createElement("p"); b.textContent = s.body; root.appendChild(b);
  }
});`

func policyAPI(t *testing.T, retention string) string {
	b, err := json.Marshal(map[string]any{"heading": "하늘마켓 개인정보처리방침", "sections": policySections(retention)})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNoBrowserInstalled: a script app that needs a browser, with no
// browser to start, fails with the catalogue's message while the other
// targets are checked as usual.
func TestNoBrowserInstalled(t *testing.T) {
	site := newAppSite(t)
	site.set("/", reactShell)
	site.set("/static/js/main.js", reactBundle)
	site.set("/api/policy", policyAPI(t, "5년"))
	site.set("/static", framedPolicy("3년"))
	body := renderConfig([2]string{"react", site.srv.URL + "/"}, [2]string{"plain", site.srv.URL + "/static"})
	body = strings.Replace(body, "[fetch]\n", "[fetch]\nbrowser = \"/nonexistent/chromium\"\n", 1)
	cfg := writeConfig(t, body)
	code, out, errs := cli(t, nil, "check", "-config", cfg)
	if code != exitFailure {
		t.Fatalf("check: exit %d, want %d\n%s\n%s", code, exitFailure, out, errs)
	}
	const msg = "이 페이지는 브라우저 렌더링이 필요합니다: apt-get install chromium"
	if !strings.Contains(out+errs, msg) || !strings.Contains(out, "첫 수집 1") {
		t.Fatalf("check output lacks the message or the other target:\nout: %s\nerr: %s", out, errs)
	}
	if site.hitsOf("/api/policy") != 0 {
		t.Fatal("the API was fetched without a browser")
	}
}

// TestReactPolicyInBrowser: a React-style page whose script fetches the
// policy from /api/policy is rendered in Chromium through `check`, with its
// sections and dates; a new bundle name in the shell changes nothing; a
// change in the text the script writes is a change.
func TestReactPolicyInBrowser(t *testing.T) {
	chromiumtest.Require(t)
	site := newAppSite(t)
	site.set("/", reactShell)
	site.set("/static/js/main.js", reactBundle)
	site.set("/api/policy", policyAPI(t, "5년"))
	cfg := writeConfig(t, renderConfig([2]string{"react", site.srv.URL + "/"}))

	out := mustCLI(t, "check", "-config", cfg)
	if !strings.Contains(out, "첫 수집 1") {
		t.Fatalf("first check:\n%s", out)
	}
	show := mustCLI(t, "show", "-config", cfg, "react")
	for _, want := range []string{"공고일자 2026-09-01", "시행일자 2026-09-08", "# 제3조 (개인정보의 보유 및 이용 기간)", "5년간 보관", "# 제5조"} {
		if !strings.Contains(show, want) {
			t.Fatalf("show lacks %q:\n%s", want, show)
		}
	}
	if strings.Contains(show, "자바스크립트") {
		t.Fatalf("the <noscript> text is in the policy:\n%s", show)
	}

	// A new deployment: the bundle has another name, the policy is the same.
	site.set("/", strings.Replace(reactShell, "/static/js/main.js", "/static/js/main.4f2a.js", 1))
	site.set("/static/js/main.4f2a.js", reactBundle)
	mustCLI(t, "check", "-config", cfg)
	if n := versions(t, cfg, "react"); n != 1 {
		t.Fatalf("a change in the app shell made %d versions, want 1", n)
	}
	site.set("/api/policy", policyAPI(t, "10년"))
	out = mustCLI(t, "check", "-config", cfg)
	if n := versions(t, cfg, "react"); n != 2 || !strings.Contains(out, "변경 1") {
		t.Fatalf("a change in the rendered text: %d versions\n%s", n, out)
	}
	if diff := mustCLI(t, "diff", "-config", cfg, "react"); !strings.Contains(diff, "10년") {
		t.Fatalf("diff:\n%s", diff)
	}
	mustCLI(t, "verify", "-config", cfg) // rendered DOM and original page, both chained
}

// mallPolicy is a mall platform's policy page, version n of four: each
// version has its own retention and dates; the current one (4) offers the
// three before it in a <select>, as mall platforms do.
func mallPolicy(n int, selectHTML string) string {
	dates := [][2]string{{"2021-03-02", "2021-03-09"}, {"2022-06-01", "2022-06-03"}, {"2023-09-01", "2023-09-08"}, {"2024-05-01", "2024-05-08"}}
	d := dates[n-1]
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>달빛몰</title></head><body>
<div id="header"><a href="/">달빛몰</a> <a href="/board/notice">공지사항</a></div>
<div class="xans-element- xans-myshop">%s</div>
<div id="policy"><h2>달빛몰 개인정보처리방침</h2>
<p>달빛몰(이하 "몰")은 이용자의 개인정보를 소중히 다루며 관련 법령을 지킵니다.</p>
<h3>1. 수집하는 개인정보 항목</h3><p>이름, 아이디, 비밀번호, 휴대전화번호, 배송지 주소를 수집합니다.</p>
<h3>2. 개인정보의 보유 및 이용 기간</h3><p>주문 기록은 %d년간 보유한 뒤 파기합니다.</p>
<h3>3. 개인정보의 제3자 제공</h3><p>몰은 배송을 위하여 택배사에 이름과 주소를 제공합니다.</p>
<h3>4. 처리방침의 변경</h3><p>변경 시 시행 7일 전부터 공지사항으로 알립니다.</p>
<p>공고일자: %s</p><p>시행일자: %s</p></div>
<div id="footer">달빛몰 | 통신판매업 신고 제2020-서울-0000호</div></body></html>`, selectHTML, n+1, d[0], d[1])
}

// TestMallPastVersions: a mall page with a <select> of its three past
// versions — options carrying addresses on one target, values of a query
// parameter on another — imports them on the first check, with their own
// dates, oldest first and before the baseline, marked imported and alerted
// never; history lists the short notice of 2022 as a historical finding.
func TestMallPastVersions(t *testing.T) {
	site := newAppSite(t)
	byURL := `<select onchange="location.href=this.value"><option value="">이전 개인정보처리방침 보기</option>
<option value="/privacy/2023.html">2023. 09. 08 시행</option><option value="/privacy/2022.html">2022. 06. 03 시행</option>
<option value="/privacy/2021.html">2021. 03. 09 시행</option></select>`
	byParam := `<form action="/policy" method="get"><select name="ver" onchange="this.form.submit()">
<option value="">이전 방침 보기</option><option value="3">2023-09-08 시행</option><option value="2">2022-06-03 시행</option>
<option value="1">2021-03-09 시행</option></select></form>`
	site.set("/privacy", mallPolicy(4, byURL))
	site.set("/policy", mallPolicy(4, byParam))
	for n, path := range map[int]string{1: "2021", 2: "2022", 3: "2023"} {
		site.set("/privacy/"+path+".html", mallPolicy(n, ""))
		site.set(fmt.Sprintf("/policy?ver=%d", n), mallPolicy(n, ""))
	}
	hooks := &counter{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hooks.add(r); w.WriteHeader(204) }))
	defer hook.Close()
	body := renderConfig([2]string{"moon", site.srv.URL + "/privacy"}, [2]string{"moonq", site.srv.URL + "/policy"})
	body += fmt.Sprintf("[[webhook]]\nurl = %q\nformat = \"json\"\nsecret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\n", hook.URL)
	cfg := writeConfig(t, body)

	out := mustCLI(t, "check", "-config", cfg)
	if !strings.Contains(out, "첫 수집 2") {
		t.Fatalf("first check:\n%s", out)
	}
	for _, name := range []string{"moon", "moonq"} {
		var hs []historyJSON
		if err := json.Unmarshal([]byte(mustCLI(t, "history", "-config", cfg, "-format", "json", name)), &hs); err != nil {
			t.Fatal(err)
		}
		want := []historyJSON{
			{Announced: "2021-03-02", Effective: "2021-03-09", Imported: true},
			{Announced: "2022-06-01", Effective: "2022-06-03", Imported: true},
			{Announced: "2023-09-01", Effective: "2023-09-08", Imported: true},
			{Announced: "2024-05-01", Effective: "2024-05-08"},
		}
		if len(hs) != len(want) {
			t.Fatalf("%s: %d versions, want %d: %+v", name, len(hs), len(want), hs)
		}
		for i := range want {
			if hs[i].Announced != want[i].Announced || hs[i].Effective != want[i].Effective || hs[i].Imported != want[i].Imported {
				t.Fatalf("%s version %d = %+v, want %+v", name, i+1, hs[i], want[i])
			}
		}
		text := mustCLI(t, "history", "-config", cfg, name)
		if !strings.Contains(text, "가져온 과거 버전") || !strings.Contains(text, "과거 기록: 공고 기간 부족") {
			t.Fatalf("%s history:\n%s", name, text)
		}
		if show := mustCLI(t, "show", "-config", cfg, name, "2"); !strings.Contains(show, "3년간 보유") || !strings.Contains(show, "# 2. 개인정보의 보유 및 이용 기간") {
			t.Fatalf("%s v2:\n%s", name, show)
		}
		if d := mustCLI(t, "diff", "-config", cfg, name, "1", "2"); !strings.Contains(d, "3년") {
			t.Fatalf("%s diff 1 2:\n%s", name, d)
		}
	}
	// Only the two baselines were sent: imported versions raise nothing.
	if got := hooks.types(); strings.Join(got, ",") != "policy.baseline,policy.baseline" {
		t.Fatalf("webhook got %v", got)
	}
	// A second check changes nothing and imports nothing again.
	mustCLI(t, "check", "-config", cfg)
	if n := versions(t, cfg, "moon"); n != 4 {
		t.Fatalf("after a second check: %d versions", n)
	}
	mustCLI(t, "verify", "-config", cfg)
}

// counter records the event types a webhook receiver got.
type counter struct {
	mu  sync.Mutex
	got []string
}

func (c *counter) add(r *http.Request) {
	var e struct {
		Type string `json:"type"`
	}
	_ = json.NewDecoder(r.Body).Decode(&e)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, e.Type)
}

func (c *counter) types() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.got...)
}
