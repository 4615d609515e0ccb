package ui_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/snapshot"
)

const testToken = "0123456789abcdef0123456789abcdef"

// fetch sends a request to h and returns the response and its body.
func fetch(t *testing.T, h http.Handler, method, target string, body io.Reader, mod func(*http.Request)) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1:8080"+target, body)
	if mod != nil {
		mod(req)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	resp := w.Result()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func mustGet(t *testing.T, h http.Handler, target string) string {
	t.Helper()
	resp, body := fetch(t, h, http.MethodGet, target, nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", target, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", target, ct)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("GET %s: CSP %q lacks %q", target, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(body, "<script>") || strings.Contains(body, " style=") {
		t.Errorf("GET %s: inline script or style on the page", target)
	}
	return body
}

func contains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// text is what a person reads: the page without its tags, entities decoded
// for the few the templates produce.
func text(body string) string {
	s := tagRE.ReplaceAllString(body, "")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&", "&#43;", "+").Replace(s)
}

func TestTargetsPage(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, "")
	body := mustGet(t, h, "/")
	contains(t, "/", body, `href="/t/shop"`, `href="/t/clinic"`, `href="/t/broken"`, "위반", "실패 3회", "사전 고지 지연", "대상 4곳")
	// Attention first: the violating shop, then the failing target, then the rest.
	shop, broken, clinic := strings.Index(body, `data-name="shop"`), strings.Index(body, `data-name="broken"`), strings.Index(body, `data-name="clinic"`)
	if !(shop < broken && broken < clinic) {
		t.Errorf("order: shop %d, broken %d, clinic %d; want violations, failures, then the rest", shop, broken, clinic)
	}
	// The shop's current dates, as the page states them.
	contains(t, "/", text(body), seoulDay(day0, -11)+" → "+seoulDay(day0, 4))

	for _, tc := range []struct {
		query string
		in    []string
		out   []string
	}{
		{"?status=violation", []string{"shop", "hostile"}, []string{"clinic", "broken"}},
		{"?status=failing", []string{"broken"}, []string{"shop", "clinic"}},
		{"?rule=late_notice", []string{"shop"}, []string{"clinic", "broken"}},
		{"?q=CLIN", []string{"clinic"}, []string{"shop", "broken"}},
		{"?q=" + url.QueryEscape("/broken"), []string{"broken"}, []string{"shop"}},
	} {
		b := mustGet(t, h, "/"+tc.query)
		for _, n := range tc.in {
			if !strings.Contains(b, `data-name="`+n+`"`) {
				t.Errorf("%s: %s missing", tc.query, n)
			}
		}
		for _, n := range tc.out {
			if strings.Contains(b, `data-name="`+n+`"`) {
				t.Errorf("%s: %s shown", tc.query, n)
			}
		}
	}
	if b := mustGet(t, h, "/?q=nothing-matches"); !strings.Contains(b, "조건에 맞는 대상이 없습니다") {
		t.Error("an empty result says nothing")
	}
}

func TestTimelinePage(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, "")
	body := mustGet(t, h, "/t/shop")
	read := text(body)
	contains(t, "/t/shop", read, "v1", "v2", "v3", "표기만 변경", "관찰", "사전 고지 지연", "정책 페이지만으로 판단(미확인)",
		"이 방침이 약속한 변경 고지 기간: 7일, 중요한 변경은 30일", seoulDay(day0, 4))
	contains(t, "/t/shop", body, `data-kind="cosmetic"`, `href="/t/shop/diff?from=1&amp;to=2"`, `href="/t/shop/v/2"`)
	// Newest first.
	if strings.Index(body, `data-version="3"`) > strings.Index(body, `data-version="1"`) {
		t.Error("the timeline is not newest first")
	}

	broken := text(mustGet(t, h, "/t/broken"))
	contains(t, "/t/broken", broken, "확인 실패 3회", "503", "아직 저장된 버전이 없습니다")

	resp, _ := fetch(t, h, http.MethodGet, "/t/nope", nil, nil)
	if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("unknown target: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestDiffPage(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, "")
	body := mustGet(t, h, "/t/shop/diff?from=1&to=2")
	read := text(body)
	contains(t, "diff", body, `<del>3년간</del>`, `<ins>5년간</ins>`, `data-kind="added"`, `class="dv-section dv-unchanged"`, `<del>`+seoulDay(day0, -40)+`</del>`, `<ins>`+seoulDay(day0, -11)+`</ins>`)
	contains(t, "diff", read, "판정 (v2)", "사전 고지 지연", "개인정보의 제3자 제공", "공고일자", "시행일자", "이전 (v1,", "이후 (v2,")
	// Old words on the left, new words on the right.
	i := strings.Index(body, `data-category="retention"`)
	if i < 0 {
		t.Fatal("no retention section")
	}
	sec := body[i:]
	sec = sec[:strings.Index(sec, "</section>")]
	if o, n := strings.Index(sec, `class="dv-old"`), strings.Index(sec, `class="dv-new"`); !(o < strings.Index(sec, "<del>3년간") && strings.Index(sec, "<del>3년간") < n && n < strings.Index(sec, "<ins>5년간")) {
		t.Errorf("retention section is not old | new:\n%s", sec)
	}

	// Default: the last two versions, a cosmetic change.
	def := text(mustGet(t, h, "/t/shop/diff"))
	contains(t, "default diff", def, "v2 → v3", "내용의 변경이 없습니다")
	// Any two versions.
	contains(t, "v1→v3", text(mustGet(t, h, "/t/shop/diff?from=1&to=3")), "v1 → v3", "5년")
	for _, q := range []string{"?from=9", "?to=x"} {
		if resp, _ := fetch(t, h, http.MethodGet, "/t/shop/diff"+q, nil, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("diff%s: %d", q, resp.StatusCode)
		}
	}
}

func TestVersionPage(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, "")
	body := mustGet(t, h, "/t/shop/v/2")
	contains(t, "version", body, `href="/api/targets/shop/versions/2/raw"`, `class="dateline"`, "SHA-256", "text/html")
	contains(t, "version", text(body), "개인정보의 제3자 제공", "제3자 제공", "보유·이용 기간", "사전 고지 지연")
	// The raw page downloads as an attachment, never rendered.
	resp, _ := fetch(t, h, http.MethodGet, "/api/targets/shop/versions/2/raw", nil, nil)
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("raw page headers: %v", resp.Header)
	}
	if resp, _ := fetch(t, h, http.MethodGet, "/t/shop/v/99", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown version: %d", resp.StatusCode)
	}
}

func TestEventsPage(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, "")
	body := mustGet(t, h, "/events")
	contains(t, "events", text(body), "개인정보 처리방침 변경", "개인정보 처리방침 최초 확인", "확인 실패", "gone", "전송 거부됨", "410")
	if strings.Contains(body, "/retry") {
		t.Error("a retry button without a token")
	}
	contains(t, "events?type", mustGet(t, h, "/events?type=target.failing"), `data-type="target.failing"`)
	if b := mustGet(t, h, "/events?type=target.failing"); strings.Contains(b, `data-type="policy.changed"`) {
		t.Error("the type filter let other events through")
	}
	// Without a token the retry route refuses.
	resp, _ := fetch(t, h, http.MethodPost, "/events/x/retry", nil, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("retry without a token: %d", resp.StatusCode)
	}
}

func TestLoginAndRetry(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, testToken)

	resp, _ := fetch(t, h, http.MethodGet, "/t/shop", nil, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Ft%2Fshop" {
		t.Fatalf("page without login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := fetch(t, h, http.MethodGet, "/api/targets", nil, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without a token: %d", resp.StatusCode)
	}
	login := mustGet(t, h, "/login?next=/t/shop")
	contains(t, "login", login, `name="token"`, `value="/t/shop"`)

	post := func(form url.Values, mod func(*http.Request)) (*http.Response, string) {
		return fetch(t, h, http.MethodPost, "/login", strings.NewReader(form.Encode()), func(r *http.Request) {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if mod != nil {
				mod(r)
			}
		})
	}
	if resp, body := post(url.Values{"token": {"wrong-token-wrong-token"}, "next": {"/t/shop"}}, nil); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "토큰이 맞지 않습니다") || len(resp.Cookies()) != 0 {
		t.Errorf("wrong token: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	if resp, _ := post(url.Values{"token": {testToken}}, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site login POST: %d", resp.StatusCode)
	}
	resp, _ = post(url.Values{"token": {testToken}, "next": {"//evil.example/x"}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("open redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode || cookies[0].Value == testToken || cookies[0].Path != "/" {
		t.Fatalf("session cookie: %+v", cookies)
	}
	session := func(r *http.Request) { r.AddCookie(cookies[0]) }

	resp, body := fetch(t, h, http.MethodGet, "/events", nil, session)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("events with the cookie: %d", resp.StatusCode)
	}
	m := regexp.MustCompile(`action="(/events/[^"]+/retry)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no retry button for the refused alerts:\n%s", body)
	}
	resp, _ = fetch(t, h, http.MethodPost, strings.ReplaceAll(m[1], "&#43;", "+"), nil, session)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("retry: %d", resp.StatusCode)
	}
	_, body = fetch(t, h, http.MethodGet, resp.Header.Get("Location"), nil, session)
	contains(t, "after retry", text(body), "다시 보내도록 했습니다", "대기 중")

	// The bearer header works for pages too; a forged cookie does not.
	if resp, _ := fetch(t, h, http.MethodGet, "/", nil, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testToken) }); resp.StatusCode != http.StatusOK {
		t.Errorf("bearer on a page: %d", resp.StatusCode)
	}
	if resp, _ := fetch(t, h, http.MethodGet, "/", nil, func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: cookies[0].Name, Value: testToken})
	}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the token itself as a cookie: %d", resp.StatusCode)
	}
	// Static files load before login.
	if resp, _ := fetch(t, h, http.MethodGet, "/static/ui.css", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("stylesheet: %d", resp.StatusCode)
	}
	resp, _ = fetch(t, h, http.MethodPost, "/logout", nil, session)
	if c := resp.Cookies(); resp.StatusCode != http.StatusSeeOther || len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("logout: %d %v", resp.StatusCode, c)
	}
}

// TestEscaping: policy text holding markup and template syntax renders as
// text on every page that shows it.
func TestEscaping(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, "")
	for _, p := range []string{"/", "/t/hostile", "/t/hostile/diff", "/t/hostile/diff?from=1&to=1", "/t/hostile/v/1", "/t/hostile/v/2", "/events"} {
		body := mustGet(t, h, p)
		for _, bad := range []string{"<script>alert", "<img src=x", "onerror=alert(1)>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s holds %q unescaped", p, bad)
			}
		}
		if strings.HasPrefix(p, "/t/hostile/") && !strings.Contains(text(body), hostile) {
			t.Errorf("%s does not show the hostile text as text", p)
		}
	}
}

// TestDiffURL: with [server] base_url, a policy.changed event links to the
// diff page of its change, and that page exists.
func TestDiffURL(t *testing.T) {
	f := newFixture(t)
	h := f.handler(t, "")
	evs, err := f.d.Store.Events(snapshot.EventFilter{Target: "shop", Type: message.TypeChanged})
	if err != nil || len(evs) == 0 {
		t.Fatalf("events: %v %d", err, len(evs))
	}
	var e message.Event
	if err := json.Unmarshal(evs[len(evs)-1].Payload, &e); err != nil {
		t.Fatal(err)
	}
	const want = "https://monitord.example.kr/t/shop/diff?from=1&to=2"
	if e.DiffURL != want {
		t.Fatalf("diff_url = %q, want %q", e.DiffURL, want)
	}
	contains(t, "linked page", text(mustGet(t, h, strings.TrimPrefix(e.DiffURL, "https://monitord.example.kr"))), "v1 → v2", "사전 고지 지연")
	base, err := f.d.Store.Events(snapshot.EventFilter{Target: "shop", Type: message.TypeBaseline})
	if err != nil || len(base) != 1 || strings.Contains(string(base[0].Payload), "diff_url") {
		t.Errorf("a baseline has nothing to compare, so no diff_url: %v %s", err, base[0].Payload)
	}
}
