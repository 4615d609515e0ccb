package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

func httptestClosedURL(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(http.NotFoundHandler())
	u := ts.URL
	ts.Close()
	return u
}

func TestNewRefuses(t *testing.T) {
	src := web.NewClient("http://127.0.0.1:1", "", nil)
	cases := []struct {
		name string
		o    web.Options
		want string
	}{
		{"no listen", web.Options{Source: src}, "no listen address"},
		{"bad listen", web.Options{Listen: "8080", Source: src}, "invalid listen address"},
		{"all interfaces without token", web.Options{Listen: ":8080", Source: src}, "without a token"},
		{"public ip without token", web.Options{Listen: "192.0.2.1:8080", Source: src}, "without a token"},
		{"unspecified without token", web.Options{Listen: "0.0.0.0:8080", Source: src}, "without a token"},
		{"no source", web.Options{Listen: "127.0.0.1:0"}, "no Source"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := web.New(c.o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("New = %v, want an error containing %q", err, c.want)
			}
		})
	}
	for _, ok := range []web.Options{
		{Listen: "127.0.0.1:0", Source: src},
		{Listen: "[::1]:8080", Source: src},
		{Listen: "localhost:8080", Source: src},
		{Listen: "0.0.0.0:8080", Token: testToken, Source: src},
	} {
		if _, err := web.New(ok); err != nil {
			t.Errorf("New(%s, token=%v) = %v, want ok", ok.Listen, ok.Token != "", err)
		}
	}
}

func TestEndpoints(t *testing.T) {
	f := newFixture(t)
	_, ts := f.server(t, web.Options{Token: testToken, Registry: prometheus.NewRegistry()})

	cases := []struct {
		path   string
		status int
		ctype  string
		check  func(t *testing.T, body []byte)
	}{
		{"/healthz", 200, "text/plain", func(t *testing.T, b []byte) {
			if string(b) != "ok\n" {
				t.Errorf("body %q", b)
			}
		}},
		{"/readyz", 200, "text/plain", nil},
		{"/metrics", 200, "text/plain", nil},
		{"/api/targets", 200, "application/json", func(t *testing.T, b []byte) {
			ts := decode[[]map[string]any](t, b)
			if len(ts) != 4 {
				t.Fatalf("%d targets", len(ts))
			}
			for _, k := range []string{"name", "url", "enabled", "configured", "state", "current", "status"} {
				if _, ok := ts[0][k]; !ok {
					t.Errorf("target JSON lacks %q: %s", k, b)
				}
			}
			if ts[1]["state"] != nil || ts[1]["status"] != "never_checked" {
				t.Errorf("beta = %v", ts[1])
			}
		}},
		{"/api/targets/alpha", 200, "application/json", func(t *testing.T, b []byte) {
			x := decode[map[string]any](t, b)
			if x["name"] != "alpha" || x["status"] != "ok" {
				t.Errorf("alpha = %v", x)
			}
		}},
		{"/api/targets/old", 200, "application/json", nil},
		{"/api/targets/nope", 404, "application/json", nil},
		{"/api/targets/alpha/versions", 200, "application/json", func(t *testing.T, b []byte) {
			vs := decode[[]snapshot.Version](t, b)
			if len(vs) != 3 || vs[0].ID != 1 {
				t.Errorf("versions = %+v", vs)
			}
		}},
		{"/api/targets/beta/versions", 200, "application/json", func(t *testing.T, b []byte) {
			if strings.TrimSpace(string(b)) != "[]" {
				t.Errorf("beta versions = %s, want []", b)
			}
		}},
		{"/api/targets/nope/versions", 404, "application/json", nil},
		{"/api/targets/alpha/versions/2", 200, "application/json", func(t *testing.T, b []byte) {
			d := decode[web.VersionDoc](t, b)
			if d.Version.ID != 2 || d.Text != f.texts[2] || d.Document == nil || len(d.Document.Sections) < 4 {
				t.Fatalf("version doc = %+v", d)
			}
			if d.Document.Effective == nil || d.Document.Effective.Date.String() != "2026-11-11" {
				t.Errorf("parsed effective date = %+v", d.Document.Effective)
			}
		}},
		{"/api/targets/alpha/versions/9", 404, "application/json", nil},
		{"/api/targets/alpha/versions/x", 400, "application/json", nil},
		{"/api/targets/alpha/versions/0", 400, "application/json", nil},
		{"/api/targets/alpha/versions/3/raw", 204, "", nil},
		{"/api/targets/alpha/versions/9/raw", 404, "application/json", nil},
		{"/api/targets/alpha/diff", 200, "application/json", func(t *testing.T, b []byte) {
			d := decode[web.DiffDoc](t, b)
			if d.Target != "alpha" || d.From != 2 || d.To != 3 || d.Change == nil || len(d.Change.Sections) == 0 || len(d.Change.Dates) == 0 {
				t.Fatalf("diff = %+v", d)
			}
		}},
		{"/api/targets/alpha/diff?from=1&to=3", 200, "application/json", func(t *testing.T, b []byte) {
			d := decode[web.DiffDoc](t, b)
			if d.From != 1 || d.To != 3 || d.Change.Counts.Modified == 0 {
				t.Errorf("diff 1→3 = %+v", d)
			}
		}},
		{"/api/targets/alpha/diff?to=2", 200, "application/json", func(t *testing.T, b []byte) {
			d := decode[web.DiffDoc](t, b)
			if d.From != 1 || d.To != 2 {
				t.Errorf("diff ?to=2 compares %d→%d, want 1→2", d.From, d.To)
			}
		}},
		{"/api/targets/alpha/diff?from=3&to=3", 200, "application/json", func(t *testing.T, b []byte) {
			if !strings.Contains(string(b), `"sections":[]`) || !strings.Contains(string(b), `"dates":[]`) {
				t.Errorf("same-version diff = %s, want empty lists", b)
			}
		}},
		{"/api/targets/alpha/diff?format=html", 200, "text/html", func(t *testing.T, b []byte) {
			if !bytes.HasPrefix(b, []byte(`<div class="monitord-diff"`)) || !bytes.Contains(b, []byte("<ins>")) {
				t.Errorf("html diff = %s", b)
			}
		}},
		{"/api/targets/alpha/diff?format=xml", 400, "application/json", nil},
		{"/api/targets/alpha/diff?from=7", 404, "application/json", nil},
		{"/api/targets/alpha/diff?from=a", 400, "application/json", nil},
		{"/api/targets/beta/diff", 404, "application/json", nil},
		{"/api/targets/nope/diff", 404, "application/json", nil},
		{"/api/events", 200, "application/json", func(t *testing.T, b []byte) {
			evs := decode[[]snapshot.EventWithDeliveries](t, b)
			if len(evs) != 4 || evs[0].ID != "evt_alpha_3" {
				t.Errorf("events = %+v", evs)
			}
		}},
		{"/api/events?target=alpha&type=policy.changed&state=failed&limit=5", 200, "application/json", func(t *testing.T, b []byte) {
			evs := decode[[]snapshot.EventWithDeliveries](t, b)
			if len(evs) != 1 || evs[0].ID != "evt_alpha_2" {
				t.Errorf("filtered events = %+v", evs)
			}
		}},
		{"/api/events?target=nope", 200, "application/json", func(t *testing.T, b []byte) {
			if strings.TrimSpace(string(b)) != "[]" {
				t.Errorf("no events = %s, want []", b)
			}
		}},
		{"/api/events?limit=-1", 400, "application/json", nil},
		{"/api/events?state=lost", 400, "application/json", nil},
		{"/api/events?type=policy.gone", 400, "application/json", nil},
		{"/api/nothing", 404, "application/json", nil},
	}
	for _, c := range cases {
		t.Run(strings.TrimPrefix(c.path, "/"), func(t *testing.T) {
			status, h, body := get(t, http.MethodGet, ts.URL+c.path, testToken)
			if status != c.status {
				t.Fatalf("status %d, want %d: %s", status, c.status, body)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), c.ctype) {
				t.Errorf("Content-Type %q, want %q", h.Get("Content-Type"), c.ctype)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("no nosniff header")
			}
			if c.status >= 400 {
				e := decode[map[string]string](t, body)
				if e["error"] == "" {
					t.Errorf("error body %s lacks a message", body)
				}
			}
			if c.check != nil {
				c.check(t, body)
			}
		})
	}
}

func TestRawHeaders(t *testing.T) {
	f := newFixture(t)
	_, ts := f.server(t, web.Options{})
	status, h, body := get(t, http.MethodGet, ts.URL+"/api/targets/alpha/versions/1/raw", "")
	if status != 200 || !bytes.Equal(body, page(f.texts[1])) {
		t.Fatalf("status %d, %d bytes", status, len(body))
	}
	for k, want := range map[string]string{
		"Content-Type":            "application/octet-stream",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "sandbox; default-src 'none'",
		"Content-Disposition":     `attachment; filename="alpha-v1.raw"`,
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if strings.Contains(h.Get("Content-Type"), "html") {
		t.Error("a stored page must never be served as HTML")
	}
}

func TestRetry(t *testing.T) {
	f := newFixture(t)
	var woke []string
	_, ts := f.server(t, web.Options{Token: testToken, OnRetry: func(id string) { woke = append(woke, id) }})
	url := ts.URL + "/api/events/evt_alpha_2/retry"

	cases := []struct {
		name, method, token string
		status              int
	}{
		{"no token", http.MethodPost, "", 401},
		{"wrong token", http.MethodPost, "x" + testToken[1:], 401},
		{"get is not allowed", http.MethodGet, testToken, 405},
		{"ok", http.MethodPost, testToken, 200},
		{"nothing left to requeue", http.MethodPost, testToken, 409},
	}
	for _, c := range cases {
		status, h, body := get(t, c.method, url, c.token)
		if status != c.status {
			t.Fatalf("%s: status %d, want %d: %s", c.name, status, c.status, body)
		}
		if status == 405 && h.Get("Allow") == "" {
			t.Errorf("405 without Allow")
		}
		if status == 200 {
			if d := decode[web.RetryDoc](t, body); d.ID != "evt_alpha_2" || !d.Requeued {
				t.Errorf("retry body = %+v", d)
			}
		}
	}
	if status, _, _ := get(t, http.MethodPost, ts.URL+"/api/events/evt_none/retry", testToken); status != 404 {
		t.Errorf("unknown event: status %d, want 404", status)
	}
	if len(woke) != 1 || woke[0] != "evt_alpha_2" {
		t.Errorf("OnRetry calls = %v, want [evt_alpha_2]", woke)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	f := newFixture(t)
	_, ts := f.server(t, web.Options{})
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/events/evt_alpha_2/retry", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: status %d, want 403", resp.StatusCode)
	}
	ev, _ := f.store.Event("evt_alpha_2")
	for _, d := range ev.Deliveries {
		if d.Webhook == "ops" && d.State != snapshot.StateFailed {
			t.Errorf("a refused request changed the store: %+v", d)
		}
	}
}

func TestAuth(t *testing.T) {
	f := newFixture(t)
	_, ts := f.server(t, web.Options{Token: testToken, Registry: prometheus.NewRegistry(), Ready: func() error { return nil }})
	cases := []struct {
		path, auth string
		status     int
	}{
		{"/healthz", "", 200},
		{"/readyz", "", 200},
		{"/metrics", "", 401},
		{"/api/targets", "", 401},
		{"/api/targets", "Bearer " + testToken, 200},
		{"/api/targets", "bearer " + testToken, 200},
		{"/api/targets", "Bearer " + testToken + "x", 401},
		{"/api/targets", "Bearer " + testToken[:len(testToken)-1], 401},
		{"/api/targets", "Basic " + testToken, 401},
		{"/api/targets", testToken, 401},
		{"/api/targets", "Bearer ", 401},
		{"/metrics", "Bearer " + testToken, 200},
		{"/api/nothing", "", 401}, // unknown paths reveal nothing without the token
	}
	for _, c := range cases {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+c.path, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("GET %s with %q: status %d, want %d", c.path, c.auth, resp.StatusCode, c.status)
		}
		if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("401 without WWW-Authenticate")
		}
	}
}

// TestLoopbackHost: without a token the API answers only requests that name
// a loopback host, which defeats DNS rebinding from a browser.
func TestLoopbackHost(t *testing.T) {
	f := newFixture(t)
	s, err := web.New(web.Options{Listen: "127.0.0.1:0", Source: f.source()})
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]int{
		"127.0.0.1:8080":   200,
		"localhost:8080":   200,
		"[::1]:8080":       200,
		"127.0.0.1":        200,
		"evil.example":     403,
		"evil.example:80":  403,
		"10.0.0.1:8080":    403,
		"localhost.evil:1": 403,
	} {
		req := httptest.NewRequest(http.MethodGet, "/api/targets", nil)
		req.Host = host
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, w.Code, want)
		}
	}
	// Probes answer whatever the host.
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Host = "evil.example"
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != 200 {
		t.Errorf("/healthz with a foreign host: %d", w.Code)
	}
}

func TestReadyz(t *testing.T) {
	f := newFixture(t)
	var reason error = errors.New("scheduler not running")
	_, ts := f.server(t, web.Options{Ready: func() error { return reason }})
	status, _, body := get(t, http.MethodGet, ts.URL+"/readyz", "")
	if status != 503 || !strings.Contains(string(body), "scheduler not running") {
		t.Errorf("not ready: %d %q, want 503 with the reason", status, body)
	}
	reason = nil
	if status, _, _ := get(t, http.MethodGet, ts.URL+"/readyz", ""); status != 200 {
		t.Errorf("ready: %d, want 200", status)
	}
}

// panicSource fails every call by panicking, as a bug in a Source would.
type panicSource struct{ web.Source }

func (panicSource) Targets(context.Context) ([]web.TargetInfo, error) { panic("boom") }

func TestPanicRecovered(t *testing.T) {
	var logs bytes.Buffer
	s, err := web.New(web.Options{Listen: "127.0.0.1:0", Source: panicSource{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/api/targets", nil)
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != 500 || !strings.Contains(w.Body.String(), `"error"`) {
		t.Errorf("panic: %d %s, want a JSON 500", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "panicked") {
		t.Errorf("panic not logged: %s", logs.String())
	}
}

// TestRun serves on a real port and stops when the context ends.
func TestRun(t *testing.T) {
	f := newFixture(t)
	s, err := web.New(web.Options{Listen: "127.0.0.1:0", Source: f.source()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-s.Listening()
	if s.Addr() == "" || strings.HasSuffix(s.Addr(), ":0") {
		t.Fatalf("Addr = %q after listening", s.Addr())
	}
	base, err := web.BaseURL(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	ts, err := web.NewClient(base, "", nil).Targets(ctx)
	if err != nil || len(ts) != 4 {
		t.Fatalf("Targets over the real server: %d, %v", len(ts), err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run after cancel = %v, want nil", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after Run returned")
	}
	if err := s.Run(context.Background()); err == nil {
		t.Error("second Run = nil, want an error")
	}
}

func TestRunListenError(t *testing.T) {
	f := newFixture(t)
	busy := httptest.NewServer(http.NotFoundHandler())
	defer busy.Close()
	s, err := web.New(web.Options{Listen: strings.TrimPrefix(busy.URL, "http://"), Source: f.source()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("Run on a busy port = %v, want a listen error", err)
	}
}

func TestBaseURL(t *testing.T) {
	for listen, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		"0.0.0.0:8080":   "http://127.0.0.1:8080",
		":8080":          "http://127.0.0.1:8080",
		"[::]:8080":      "http://[::1]:8080",
		"[::1]:9":        "http://[::1]:9",
		"10.1.2.3:80":    "http://10.1.2.3:80",
		"localhost:8080": "http://localhost:8080",
	} {
		got, err := web.BaseURL(listen)
		if err != nil || got != want {
			t.Errorf("BaseURL(%q) = %q, %v; want %q", listen, got, err, want)
		}
	}
	for _, bad := range []string{"8080", "127.0.0.1:0"} {
		if _, err := web.BaseURL(bad); err == nil {
			t.Errorf("BaseURL(%q) = nil error", bad)
		}
	}
}

// TestDiffMatchesCompare: the endpoint's change is diff.Compare of the two
// stored texts, as the CLI computes it.
func TestDiffMatchesCompare(t *testing.T) {
	f := newFixture(t)
	_, ts := f.server(t, web.Options{})
	_, _, body := get(t, http.MethodGet, ts.URL+"/api/targets/alpha/diff?from=1&to=2", "")
	got := decode[web.DiffDoc](t, body)
	var want bytes.Buffer
	if err := diff.RenderJSON(&want, diff.Compare(policy.Parse(f.texts[1]), policy.Parse(f.texts[2]), diff.Options{})); err != nil {
		t.Fatal(err)
	}
	var gotJSON bytes.Buffer
	if err := diff.RenderJSON(&gotJSON, got.Change); err != nil {
		t.Fatal(err)
	}
	if gotJSON.String() != want.String() {
		t.Errorf("API change differs from diff.Compare:\napi  %s\nwant %s", gotJSON.String(), want.String())
	}
}

func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t)
	_, ts := f.server(t, web.Options{})
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodPost, "/api/targets", "GET"},
		{http.MethodDelete, "/api/targets/alpha/versions/1", "GET"},
		{http.MethodGet, "/api/events/evt_alpha_1/retry", "POST"},
		{http.MethodPut, "/api/events/evt_alpha_1/retry", "POST"},
	} {
		status, h, body := get(t, c.method, ts.URL+c.path, "")
		if status != http.StatusMethodNotAllowed || h.Get("Allow") != c.allow || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s %s: %d Allow=%q %s; want 405 Allow=%s", c.method, c.path, status, h.Get("Allow"), body, c.allow)
		}
	}
}
