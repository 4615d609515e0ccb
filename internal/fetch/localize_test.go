package fetch

import (
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/i18n/i18ntest"
)

// failCase is one way a fetch fails against a real loopback server (or a
// name that does not resolve), with what the error must say.
type failCase struct {
	name string
	url  func(t *testing.T) string
	opts Options
	code string
	// en is a phrase the English text must hold; is checks the chain.
	en string
	is func(error) bool
}

func failCases(t *testing.T) []failCase {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/404":
			http.NotFound(w, r)
		case "/403":
			http.Error(w, "forbidden", http.StatusForbidden)
		case "/500":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/503":
			w.Header().Set("Retry-After", "120")
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
		case "/429":
			w.Header().Set("Retry-After", "2")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-release:
			}
		case "/big":
			w.Write([]byte(strings.Repeat("가", 2000)))
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		}
	})
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<p>ok</p>"))
	}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	path := func(p string) func(*testing.T) string { return func(*testing.T) string { return srv.URL + p } }
	var se *StatusError
	isStatus := func(code int) func(error) bool {
		return func(err error) bool { return errors.As(err, &se) && se.Code == code }
	}
	return []failCase{
		{name: "refused", url: func(t *testing.T) string {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			return "http://" + addr + "/privacy"
		}, code: CodeRefused, en: "refused the connection"},
		{name: "404", url: path("/404"), code: CodeStatus, en: "the page is not there", is: isStatus(404)},
		{name: "403", url: path("/403"), code: CodeStatus, en: "access denied", is: isStatus(403)},
		{name: "500", url: path("/500"), code: CodeStatus, en: "server error", is: isStatus(500)},
		{name: "503 Retry-After", url: path("/503"), code: CodeStatus, en: "come back in 2m ", is: isStatus(503)},
		{name: "429 Retry-After", url: path("/429"), code: CodeStatus, en: "come back in 2s", is: isStatus(429)},
		{name: "timeout", url: path("/slow"), opts: Options{Timeout: 50 * time.Millisecond}, code: CodeTimeout, en: "raise fetch.timeout",
			is: func(err error) bool { return errors.Is(err, ErrTimeout) }},
		{name: "too large", url: path("/big"), opts: Options{MaxBodyBytes: 1024}, code: CodeTooLarge, en: "raise fetch.max_body",
			is: func(err error) bool { return errors.Is(err, ErrTooLarge) }},
		{name: "redirect loop", url: path("/loop"), opts: Options{MaxRedirects: 3}, code: CodeRedirects, en: "more than 3 redirects",
			is: func(err error) bool { return errors.Is(err, ErrTooManyRedirects) }},
		{name: "untrusted TLS", url: func(*testing.T) string { return tlsSrv.URL + "/privacy" }, code: CodeTLS, en: "not trusted",
			is: func(err error) bool {
				var ua x509.UnknownAuthorityError
				return errors.As(err, &ua)
			}},
		{name: "unresolvable host", url: func(*testing.T) string { return "http://nonexistent.invalid/privacy" },
			opts: Options{ConnectTimeout: time.Second}, code: CodeDNS, en: "nonexistent.invalid",
			is: func(err error) bool {
				var de *net.DNSError
				return errors.As(err, &de)
			}},
		{name: "invalid URL", url: func(*testing.T) string { return "ftp://example.kr/privacy" }, code: CodeInvalidURL, en: "absolute http or https URL"},
	}
}

// TestFetchErrorsInKorean fails fetches in every way a site can and checks
// that each error has its code, keeps its chain (errors.Is/As), keeps its
// English text for logs, and renders in Korean with no English words (only
// codes, URLs, host names and acronyms) and in English with its hint.
func TestFetchErrorsInKorean(t *testing.T) {
	for _, tc := range failCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			o.Retries = 1
			c := newTestClient(t, o)
			recordSleeps(c)
			_, err := c.Fetch(t.Context(), Request{URL: tc.url(t)})
			if err == nil {
				t.Fatal("Fetch succeeded, want a failure")
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("err %T %v is not a *fetch.Error", err, err)
			}
			if got := i18n.Code(err); got != tc.code {
				t.Errorf("code = %q, want %q (%v)", got, tc.code, err)
			}
			if tc.is != nil && !tc.is(err) {
				t.Errorf("the chain lost its cause: %v", err)
			}
			if !strings.HasPrefix(err.Error(), "fetch: ") {
				t.Errorf("English text %q lost its prefix", err)
			}
			ko := i18n.Korean.Err(err)
			if runs := i18ntest.EnglishRuns(ko); len(runs) > 0 {
				t.Errorf("Korean text holds English %q:\n%s", runs, ko)
			}
			if !strings.ContainsFunc(ko, func(r rune) bool { return r >= '가' && r <= '힣' }) {
				t.Errorf("Korean text has no Korean: %s", ko)
			}
			en := i18n.English.Err(err)
			if !strings.Contains(en, tc.en) {
				t.Errorf("English text %q lacks %q", en, tc.en)
			}
			t.Logf("ko: %s\nen: %s", ko, en)
		})
	}
}
