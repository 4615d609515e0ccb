package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/i18n/i18ntest"
)

// failingSites serves the ways a policy page fails on loopback and returns
// a configuration's [[target]] tables for them, with a replacer that turns
// the random ports back into fixed names for goldens.
func failingSites(t *testing.T) (targets string, fix *strings.Replacer) {
	t.Helper()
	release := make(chan struct{})
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.NotFound(w, r)
		case "/error":
			http.Error(w, "internal error", http.StatusInternalServerError)
		case "/maintenance":
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "점검 중", http.StatusServiceUnavailable)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}
	}))
	t.Cleanup(site.Close)
	t.Cleanup(func() { close(release) }) // runs first: the slow handler returns
	tlsSite := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSite.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSite.StartTLS()
	t.Cleanup(tlsSite.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()

	var b strings.Builder
	for _, tg := range [][2]string{
		{"moved", site.URL + "/moved"},
		{"broken", site.URL + "/error"},
		{"maintenance", site.URL + "/maintenance"},
		{"slow", site.URL + "/slow"},
		{"closed", "http://" + refused + "/privacy"},
		{"badcert", tlsSite.URL + "/privacy"},
		{"typo", "http://nonexistent.invalid/privacy"},
	} {
		fmt.Fprintf(&b, "\n[[target]]\nname = %q\nurl = %q\n", tg[0], tg[1])
	}
	return b.String(), strings.NewReplacer(site.URL, "http://SITE", tlsSite.URL, "https://TLS-SITE",
		refused, "127.0.0.1:CLOSED", strings.TrimPrefix(tlsSite.URL, "https://"), "TLS-SITE")
}

// TestCheckFailuresGolden runs `monitord check` against sites that fail in
// each common way, in Korean and in English: every failure line is in the
// configuration's language (a Korean line holds no English words beyond
// codes, URLs and host names), and the output is golden
// (testdata/cli/check/LANG/failures.txt).
func TestCheckFailuresGolden(t *testing.T) {
	for _, lang := range []string{"ko", "en"} {
		t.Run(lang, func(t *testing.T) {
			targets, fix := failingSites(t)
			cfg := writeConfig(t, fmt.Sprintf("language = %q\n[storage]\npath = \"m.db\"\n[server]\nlisten = \"\"\n"+
				"[fetch]\nretries = 0\ntimeout = \"3s\"\nconnect_timeout = \"3s\"\nper_host = 8\nconcurrency = 8\n%s", lang, targets))
			code, out, errs := cli(t, nil, "check", "-config", cfg)
			if code != exitFailure {
				t.Fatalf("exit %d, want %d\nout: %s\nerr: %s", code, exitFailure, out, errs)
			}
			out, errs = fix.Replace(out), fix.Replace(errs)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 8 {
				t.Fatalf("want 7 failure lines and the summary:\n%s", out)
			}
			for _, line := range lines {
				if lang == "ko" {
					if runs := i18ntest.EnglishRuns(line, "SITE", "CLOSED"); len(runs) > 0 {
						t.Errorf("English in a Korean line %q: %s", runs, line)
					}
				} else if strings.ContainsFunc(line, func(r rune) bool { return r >= '가' && r <= '힣' }) {
					t.Errorf("Korean in an English line: %s", line)
				}
			}
			golden(t, "check/"+lang+"/failures.txt", out+"--- stderr\n"+errs)
		})
	}
}
