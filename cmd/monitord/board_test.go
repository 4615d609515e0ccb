package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// boardSite serves a policy page whose footer links the 공지사항 board, the
// board (a plain list of links with dates) and one post.
type boardSite struct {
	mu     sync.Mutex
	policy string
	posts  []string // <li> rows of the board
	srv    *httptest.Server
}

func newBoardSite(t *testing.T) *boardSite {
	s := &boardSite{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/privacy":
			fmt.Fprint(w, strings.Replace(s.policy, "<footer>초록상점", `<footer><a href="/news">공지사항</a> 초록상점`, 1))
		case "/news":
			fmt.Fprintf(w, `<html><body><h1>공지사항</h1><ul class="board">%s</ul><footer>초록상점</footer></body></html>`, strings.Join(s.posts, "\n"))
		case "/news/9":
			fmt.Fprint(w, `<html><body><article><h1>개인정보 처리방침 개정 안내</h1><p>개정된 개인정보 처리방침은 2099년 1월 1일부터 시행됩니다.</p></article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *boardSite) set(policy string, posts ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.policy, s.posts = policy, posts
}

// hooks records the JSON events each webhook receives, by path.
type hooks struct {
	mu  sync.Mutex
	got map[string][]map[string]any
	srv *httptest.Server
}

func newHooks(t *testing.T) *hooks {
	h := &hooks{got: map[string][]map[string]any{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var e map[string]any
		if err := json.Unmarshal(b, &e); err != nil {
			t.Errorf("webhook body is not JSON: %v", err)
		}
		h.mu.Lock()
		h.got[r.URL.Path] = append(h.got[r.URL.Path], e)
		h.mu.Unlock()
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hooks) types(path string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, e := range h.got[path] {
		out = append(out, fmt.Sprint(e["type"]))
	}
	return out
}

func (h *hooks) last(path, typ string) map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := len(h.got[path]) - 1; i >= 0; i-- {
		if h.got[path][i]["type"] == typ {
			return h.got[path][i]
		}
	}
	return nil
}

// TestCLIBoardVerdicts runs the real `check` against a site with a notice
// board: the board is found from the policy page's footer and shown by
// `targets`; a policy post naming a 시행일 still ahead is delivered as
// policy.announced; a change taking effect tomorrow while the board holds
// no announcement for it is a late_notice with basis "observed", which a
// webhook with min_basis = "observed" receives and one with min_basis =
// "page" does not.
func TestCLIBoardVerdicts(t *testing.T) {
	site := newBoardSite(t)
	h := newHooks(t)
	site.set(page("3년", "2020-01-01", "2020-01-08"), `<li><a href="/news/1">배송 안내</a> <span>2026.01.02</span></li>`)
	cfg := writeConfig(t, baseConfig(site.srv.URL+"/privacy")+fmt.Sprintf(`
[[webhook]]
name = "all"
url = %q
[[webhook]]
name = "observed"
url = %q
only_violations = true
min_basis = "observed"
[[webhook]]
name = "page"
url = %q
only_violations = true
min_basis = "page"
`, h.srv.URL+"/all", h.srv.URL+"/observed", h.srv.URL+"/page"))

	if code, out, errs := cli(t, nil, "check", "-config", cfg); code != 0 {
		t.Fatalf("first check: %d\n%s\n%s", code, out, errs)
	}
	if code, out, _ := cli(t, nil, "targets", "-config", cfg); code != 0 || !strings.Contains(out, "공지사항: 확인함") || !strings.Contains(out, "게시물 1건") {
		t.Fatalf("targets does not show the board:\n%s", out)
	}

	// A policy post for a change far ahead: announced once.
	site.set(page("3년", "2020-01-01", "2020-01-08"),
		`<li><a href="/news/9">개인정보 처리방침 개정 안내</a> <span>2026.01.03</span></li>`,
		`<li><a href="/news/1">배송 안내</a> <span>2026.01.02</span></li>`)
	if code, out, errs := cli(t, nil, "check", "-config", cfg); code != 0 {
		t.Fatalf("second check: %d\n%s\n%s", code, out, errs)
	}
	a := h.last("/all", "policy.announced")
	if a == nil {
		t.Fatalf("no policy.announced delivered: %v", h.types("/all"))
	}
	if ann, _ := a["announcement"].(map[string]any); ann == nil || ann["effective"] != "2099-01-01" || ann["posted"] != "2026-01-03" {
		t.Errorf("announcement = %v", a["announcement"])
	}

	// The page changes, effective tomorrow: the board has no post for it.
	now := time.Now().In(time.FixedZone("KST", 9*3600))
	tomorrow, tenAgo := now.AddDate(0, 0, 1).Format("2006-01-02"), now.AddDate(0, 0, -10).Format("2006-01-02")
	site.set(page("5년", tenAgo, tomorrow),
		`<li><a href="/news/1">배송 안내</a> <span>2026.01.02</span></li>`)
	if code, out, errs := cli(t, nil, "check", "-config", cfg); code != 0 {
		t.Fatalf("third check: %d\n%s\n%s", code, out, errs)
	}
	e := h.last("/observed", "policy.changed")
	if e == nil {
		t.Fatalf("the min_basis = observed webhook got no change: %v", h.types("/observed"))
	}
	var late map[string]any
	for _, v := range e["violations"].([]any) {
		if m := v.(map[string]any); m["rule"] == "late_notice" {
			late = m
		}
	}
	if late == nil || late["basis"] != "observed" || !strings.Contains(fmt.Sprint(late["detail"]), "공지사항 게시판 확인: 사전 공지 없음") {
		t.Fatalf("late_notice = %v (violations %v)", late, e["violations"])
	}
	kinds := []string{}
	for _, ev := range late["evidence"].([]any) {
		kinds = append(kinds, fmt.Sprint(ev.(map[string]any)["kind"]))
	}
	if got := strings.Join(kinds, ","); !strings.Contains(got, "old_last_seen,new_first_seen,board_checked") {
		t.Errorf("evidence kinds = %s", got)
	}
	// The page's own dates claim 11 days (no short_notice): the only
	// verdict is observed, below min_basis = "page"; nor do only_violations
	// webhooks get announcements.
	if got := h.types("/page"); len(got) != 0 {
		t.Errorf("the min_basis = page webhook got %v, want nothing", got)
	}
	if got := strings.Join(h.types("/observed"), ","); got != "policy.changed" {
		t.Errorf("the min_basis = observed webhook got %s, want the one change", got)
	}
}
