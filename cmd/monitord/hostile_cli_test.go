package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// rawSite serves /privacy as set: whole, or cut after a number of bytes and
// sent as HTTP/1.0 without Content-Length, the connection then closed (a
// server dying half-way through the page).
type rawSite struct {
	mu   sync.Mutex
	body []byte
	cut  int // > 0: send only this many bytes
	srv  *httptest.Server
}

func newRawSite(t *testing.T) *rawSite {
	s := &rawSite{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body, cut := s.body, s.cut
		s.mu.Unlock()
		if r.URL.Path != "/privacy" {
			http.NotFound(w, r)
			return
		}
		if cut > 0 {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			defer conn.Close()
			fmt.Fprint(buf, "HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n")
			buf.Write(body[:cut])
			buf.Flush()
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *rawSite) set(body string, cut float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.cut = []byte(body), int(float64(len(body))*cut)
}

// hostileConfig is a config for one target on site with a JSON webhook.
func hostileConfig(t *testing.T, site *rawSite, h *hooks) string {
	return writeConfig(t, baseConfig(site.srv.URL+"/privacy")+fmt.Sprintf(`notice_url = ""
[[webhook]]
url = %q
`, h.srv.URL+"/all"))
}

// TestHostilePagesThroughCLI runs issue 9's cases 1–3 through the real
// `check`: after a good baseline, a page cut at 50 % and 80 % of its bytes,
// a login wall served on three checks in a row, and the page with invalid
// UTF-8 after every paragraph are never versions; the good page then reads
// as unchanged, and the only event delivered is the baseline.
func TestHostilePagesThroughCLI(t *testing.T) {
	site, h := newRawSite(t), newHooks(t)
	good := page("3년", "2024-03-01", "2024-03-08")
	site.set(good, 0)
	cfg := hostileConfig(t, site, h)
	mustCLI(t, "check", "-config", cfg)

	login := `<html><body><nav>홈 | 공지사항</nav><form action="/login"><h2>로그인이 필요합니다</h2>
<p>회원 아이디와 비밀번호를 입력하세요.</p><input name="id"><input name="pw" type="password"></form>
<footer><a href="/privacy">개인정보처리방침</a> | <a href="/email">이메일무단수집거부</a> | 개인정보보호책임자: 김초록</footer></body></html>`
	broken := strings.ReplaceAll(good, "</p>", "</p>\xff\xfe\xc0\x80")
	steps := []struct {
		name string
		body string
		cut  float64
	}{
		{"cut at 50%", good, 0.5},
		{"cut at 80%", good, 0.8},
		{"login wall 1", login, 0},
		{"login wall 2", login, 0},
		{"login wall 3", login, 0},
		{"invalid UTF-8 between paragraphs", broken, 0},
		{"the good page again", good, 0},
	}
	for _, st := range steps {
		site.set(st.body, st.cut)
		if code, out, errs := cli(t, nil, "check", "-config", cfg); code == exitUsage {
			t.Fatalf("%s: exit %d\n%s\n%s", st.name, code, out, errs)
		}
		out := mustCLI(t, "history", "chorok", "-config", cfg, "-format", "json")
		if n := strings.Count(out, `"first_seen"`); n != 1 {
			t.Fatalf("%s: %d versions stored, want only the baseline:\n%s", st.name, n, out)
		}
	}
	// Failed checks may report target.failing / target.recovered; what must
	// never be delivered is a change.
	baselines := 0
	for _, typ := range h.types("/all") {
		switch typ {
		case "policy.baseline":
			baselines++
		case "policy.changed":
			t.Errorf("a hostile page raised policy.changed: %v", h.types("/all"))
		}
	}
	if baselines != 1 {
		t.Errorf("events delivered = %v, want one baseline", h.types("/all"))
	}
}

// TestDatesThroughCLI runs issue 9's cases 4–6 through the real `check`:
// a date-only edit written with a short year raises no violation and no
// changed section; dates only in a 개정 이력 table with the labels in its
// header row are read; a change whose dates sit in the last section reports
// only the section whose text changed.
func TestDatesThroughCLI(t *testing.T) {
	t.Run("short year date-only edit", func(t *testing.T) {
		site, h := newRawSite(t), newHooks(t)
		short := func(d string) string {
			return strings.Replace(page("3년", "x", "x"), "<p>공고일자: x</p><p>시행일자: x</p>", "<p>최종 수정일: "+d+"</p>", 1)
		}
		site.set(short("'24.03.01"), 0)
		cfg := hostileConfig(t, site, h)
		mustCLI(t, "check", "-config", cfg)
		site.set(short("'24.04.01"), 0)
		mustCLI(t, "check", "-config", cfg)
		for _, e := range h.got["/all"] {
			if v, _ := e["violations"].([]any); len(v) > 0 {
				t.Errorf("%v raised violations %v for a date-only edit", e["type"], v)
			}
			if s, _ := e["sections"].([]any); len(s) > 0 {
				t.Errorf("%v lists changed sections %v for a date-only edit", e["type"], s)
			}
		}
	})

	t.Run("dates in a history table", func(t *testing.T) {
		site, h := newRawSite(t), newHooks(t)
		table := `<h3>5. 개정 이력</h3><table><tr><th>차수</th><th>공고일자</th><th>시행일자</th><th>비고</th></tr>
<tr><td>2</td><td>2023-05-02</td><td>2023-05-09</td><td></td></tr>
<tr><td>3</td><td>2024-02-01</td><td>2024-02-15</td><td>현행</td></tr>
<tr><td>1</td><td>2021-01-04</td><td>2021-01-11</td><td></td></tr></table>`
		site.set(strings.Replace(page("3년", "x", "x"), "<p>공고일자: x</p><p>시행일자: x</p>", table, 1), 0)
		cfg := hostileConfig(t, site, h)
		mustCLI(t, "check", "-config", cfg)
		out := mustCLI(t, "history", "chorok", "-config", cfg, "-format", "json")
		if !strings.Contains(out, `"announced": "2024-02-01"`) || !strings.Contains(out, `"effective": "2024-02-15"`) {
			t.Errorf("the 현행 row's dates were not read:\n%s", out)
		}
	})

	t.Run("date lines in the changed section's neighbour", func(t *testing.T) {
		site, h := newRawSite(t), newHooks(t)
		site.set(page("3년", "2024-03-01", "2024-03-08"), 0)
		cfg := hostileConfig(t, site, h)
		mustCLI(t, "check", "-config", cfg)
		site.set(page("5년", "2024-06-01", "2024-06-08"), 0)
		mustCLI(t, "check", "-config", cfg)
		e := h.last("/all", "policy.changed")
		if e == nil {
			t.Fatalf("no policy.changed: %v", h.types("/all"))
		}
		secs, _ := e["sections"].([]any)
		if len(secs) != 1 || !strings.Contains(fmt.Sprint(secs[0]), "보유 및 이용 기간") {
			t.Errorf("changed sections = %v, want only the retention section (the dates are date_changes)", secs)
		}
		if dc, _ := e["date_changes"].([]any); len(dc) != 2 {
			t.Errorf("date_changes = %v, want announced and effective", dc)
		}
	})
}
