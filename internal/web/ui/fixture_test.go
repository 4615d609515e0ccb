package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/web"
	"github.com/monitord/monitord/internal/web/ui"
)

// hostile is policy text that must render as text on every page.
const hostile = `<script>alert("x")</script> "><img src=x onerror=alert(1)> {{.Token}}`

// shopPolicy is a policy in the usual Korean shape. keep is how long
// records are kept; extra adds a third-party section; spaced re-spaces one
// sentence (a cosmetic edit).
func shopPolicy(announced, effective, keep string, extra, spaced bool) string {
	var b strings.Builder
	b.WriteString("<h2>테스트쇼핑 개인정보 처리방침</h2>\n")
	b.WriteString("<p>주식회사 테스트쇼핑은 「개인정보 보호법」 제30조에 따라 개인정보 처리방침을 수립·공개합니다.</p>\n")
	b.WriteString("<h3>제1조(개인정보의 처리 목적)</h3>\n")
	if spaced {
		b.WriteString("<p>회사는 회원 관리 와 상품 배송을 위하여 개인정보를 처리합니다.</p>\n")
	} else {
		b.WriteString("<p>회사는 회원 관리와 상품 배송을 위하여 개인정보를 처리합니다.</p>\n")
	}
	b.WriteString("<h3>제2조(처리하는 개인정보의 항목)</h3>\n<p>이름, 휴대전화번호, 배송지 주소를 수집합니다.</p>\n")
	fmt.Fprintf(&b, "<h3>제3조(개인정보의 보유 및 이용기간)</h3>\n<p>계약 및 결제 기록은 %s간 보관한 뒤 파기합니다.</p>\n", keep)
	n := 4
	if extra {
		fmt.Fprintf(&b, "<h3>제%d조(개인정보의 제3자 제공)</h3>\n<p>회사는 제휴 광고사에 아이디와 구매 이력을 제공합니다.</p>\n", n)
		n++
	}
	fmt.Fprintf(&b, "<h3>제%d조(개인정보 처리방침의 변경)</h3>\n<p>이 방침을 바꿀 때에는 시행 7일 전부터 홈페이지 공지사항을 통하여 알립니다. 다만 중요한 변경은 시행 30일 전부터 알립니다.</p>\n", n)
	fmt.Fprintf(&b, "<p>공고일자: %s</p>\n<p>시행일자: %s</p>\n", announced, effective)
	return b.String()
}

func html(body string) []byte {
	return []byte(`<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>개인정보처리방침</title><script>window.x=1</script></head><body><main id="policy">` + body + `</main></body></html>`)
}

// site serves mutable pages.
type site struct {
	mu    sync.Mutex
	pages map[string][]byte
	types map[string]string
}

func (s *site) set(path, contentType string, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path], s.types[path] = b, contentType
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/hook" {
		http.Error(w, "this hook was removed", http.StatusGone) // a webhook that refuses for good
		return
	}
	s.mu.Lock()
	b, ok := s.pages[r.URL.Path]
	ct := s.types[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.Error(w, "점검 중입니다", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Write(b)
}

// fixture is a store filled by real checks of loopback pages:
//   - shop: baseline, then a change with a new third-party section and a
//     backdated 공고일자 (late_notice), then a cosmetic re-spacing;
//   - clinic: one EUC-KR version, no violation;
//   - broken: never answers 200 (failing after three checks);
//   - hostile: a policy whose text holds markup and template syntax, changed once.
type fixture struct {
	cfg   *config.Config
	d     *monitor.Daemon
	now   time.Time
	token string
}

// day0 is the fixture's first check; later checks follow a day apart.
var day0 = time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)

func seoulDay(t time.Time, days int) string {
	return t.AddDate(0, 0, days).In(time.FixedZone("KST", 9*3600)).Format("2006-01-02")
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	s := &site{pages: map[string][]byte{}, types: map[string]string{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	const utf8 = "text/html; charset=utf-8"
	s.set("/shop", utf8, html(shopPolicy(seoulDay(day0, -40), seoulDay(day0, -33), "3년", false, false)))
	clinic, err := korean.EUCKR.NewEncoder().Bytes(html(strings.Replace(shopPolicy("2025-01-02", "2025-01-09", "5년", false, false), "테스트쇼핑", "테스트의원", -1)))
	if err != nil {
		t.Fatal(err)
	}
	s.set("/clinic", "text/html; charset=euc-kr", clinic)
	s.set("/hostile", utf8, html(strings.Replace(shopPolicy("2025-03-01", "2025-03-08", "1년", false, false), "이름, 휴대전화번호", template(hostile), 1)))

	cfgText := fmt.Sprintf(`
[storage]
path = %q
[server]
listen = "127.0.0.1:0"
base_url = "https://monitord.example.kr/"
[schedule]
jitter = "0s"
[fetch]
retries = 0
host_interval = "0s"
[[webhook]]
name = "gone"
url = "%s/hook"
format = "json"
[[target]]
name = "shop"
url = "%s/shop"
[[target]]
name = "clinic"
url = "%s/clinic"
[[target]]
name = "broken"
url = "%s/broken"
[[target]]
name = "hostile"
url = "%s/hostile"
`, t.TempDir()+"/ui.db", srv.URL, srv.URL, srv.URL, srv.URL, srv.URL)
	cfg, err := config.Parse([]byte(cfgText), "ui.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{cfg: cfg, now: day0}
	var clock sync.Mutex
	now := func() time.Time { clock.Lock(); defer clock.Unlock(); return f.now }
	d, err := monitor.New(monitor.Options{Config: cfg, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	f.d = d
	check := func() {
		t.Helper()
		monitor.CheckAll(context.Background(), d.Checker, cfg.EnabledTargets(), 2, nil)
		clock.Lock()
		f.now = f.now.AddDate(0, 0, 1)
		clock.Unlock()
	}
	check() // day 0: baselines; broken fails once
	// Day 1: the shop announces "12 days ago" a change effective in 3 days;
	// monitord saw the old text yesterday.
	s.set("/shop", utf8, html(shopPolicy(seoulDay(day0, -11), seoulDay(day0, 4), "5년", true, false)))
	s.set("/hostile", utf8, html(strings.Replace(shopPolicy("2025-03-01", "2025-03-08", "2년", false, false), "이름, 휴대전화번호", template(hostile), 1)))
	check()
	// Day 2: a cosmetic re-spacing.
	s.set("/shop", utf8, html(shopPolicy(seoulDay(day0, -11), seoulDay(day0, 4), "5년", true, true)))
	check()
	fctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := d.Deliverer.Flush(fctx); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	return f
}

// template escapes hostile text for the fixture's HTML source, as a site
// that shows it literally would: the extracted text then holds it verbatim.
func template(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// handler returns the web server's handler with the UI mounted, as
// `monitord run` builds it.
func (f *fixture) handler(t testing.TB, token string) http.Handler {
	t.Helper()
	src := web.NewStoreSource(f.d.Store, func() *config.Config { return f.cfg }, func() time.Time { return f.now })
	u, err := ui.New(ui.Options{Source: src, Config: func() *config.Config { return f.cfg }, Token: token, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	listen := "127.0.0.1:0"
	if token != "" {
		listen = "0.0.0.0:0"
	}
	s, err := web.New(web.Options{Listen: listen, Token: token, Source: src, UI: u.Handler()})
	if err != nil {
		t.Fatal(err)
	}
	return s.Handler()
}
