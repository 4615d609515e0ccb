package monitor

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/i18n/i18ntest"
	"github.com/monitord/monitord/internal/notify/message"
)

// TestFailuresInTheConfiguredLanguage fails checks in the ways a site does
// and reads what people see of them: the stored failure's and state's
// message rendered in Korean holds no English words, the English one is
// whole, the code is stable, and the target.failing event's error (chat,
// e-mail) is in the configuration's language.
func TestFailuresInTheConfiguredLanguage(t *testing.T) {
	s := newSite(t)
	s.set("/500", page{body: "oops", status: 500})
	s.set("/slow", page{body: policyPage("느림", "3년", "2026-10-01", "2026-10-08"), delay: 5 * time.Second})
	s.set("/big", page{body: policyPage("큼", strings.Repeat("가", 200_000), "2026-10-01", "2026-10-08")})
	s.set("/maint", page{body: `<html><body><main><h1>서비스 점검 안내</h1><p>잠시 후 다시 이용해 주세요.</p></main></body></html>`})
	s.set("/cut", page{body: "<html><body><main><h1>개인정보 처리방침</h1><p>제1조 수집하는 개인정보"})
	loop := http.NewServeMux()
	loop.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) })
	loopSrv := httptest.NewServer(loop)
	t.Cleanup(loopSrv.Close)
	targets := map[string]string{
		"e500": s.url("/500"), "slow": s.url("/slow"), "big": s.url("/big"), "maint": s.url("/maint"),
		"cut": s.url("/cut"), "loop": loopSrv.URL + "/a", "gone": s.url("/missing"),
	}
	codes := map[string]string{"e500": "http_status", "slow": "timeout", "big": "too_large", "maint": "too_short",
		"cut": "truncated_html", "loop": "too_many_redirects", "gone": "http_status"}
	for _, lang := range []string{"ko", "en"} {
		t.Run(lang, func(t *testing.T) {
			cfg := testConfig(t, "[notice]\nfailing_after = 1\n", targets)
			cfg.Language = lang
			// Long enough to read the 600 KB page on a loaded machine, far
			// shorter than the slow page's delay.
			cfg.Fetch.Timeout = time.Second
			clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
			c, st := newChecker(t, cfg, clk.now)
			l := i18n.Parse(lang)
			for name := range targets {
				r := mustCheck(t, c, cfg, name)
				if r.Status != StatusFailed {
					t.Fatalf("%s: check = %+v, want failed", name, r)
				}
				fs, err := st.Failures(name)
				if err != nil || len(fs) != 1 {
					t.Fatalf("%s: failures = %v, %v", name, fs, err)
				}
				f := fs[0]
				if f.Code != codes[name] || len(f.Message) == 0 {
					t.Errorf("%s: stored code %q message %v, want code %q", name, f.Code, f.Message, codes[name])
				}
				if !strings.HasPrefix(f.Error, "fetch: ") && !strings.HasPrefix(f.Error, "monitor: ") {
					t.Errorf("%s: stored English error %q changed its form", name, f.Error)
				}
				ts, err := st.Target(name)
				if err != nil || ts.LastCode != f.Code || l.Render(ts.LastMessage) != l.Render(f.Message) {
					t.Errorf("%s: state %q %v does not carry the failure", name, ts.LastCode, ts.LastMessage)
				}
				text := l.Render(f.Message)
				evs := events(t, st, name)
				if len(evs) != 1 || evs[0].Type != message.TypeFailing {
					t.Fatalf("%s: events %+v, want one target.failing", name, evs)
				}
				if evs[0].Error != text || evs[0].ErrorCode != f.Code {
					t.Errorf("%s: event error %q (%s), want %q (%s)", name, evs[0].Error, evs[0].ErrorCode, text, f.Code)
				}
				if lang == "ko" {
					if runs := i18ntest.EnglishRuns(text, "selector"); len(runs) > 0 {
						t.Errorf("%s: Korean failure holds English %q: %s", name, runs, text)
					}
				} else if strings.ContainsFunc(text, func(r rune) bool { return r >= '가' && r <= '힣' }) {
					t.Errorf("%s: English failure holds Korean: %s", name, text)
				}
				t.Logf("%s %s: %s", lang, name, text)
			}
		})
	}
}
