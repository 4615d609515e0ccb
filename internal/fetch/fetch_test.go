package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// newTestClient builds a Client with fast test defaults; o overrides them.
func newTestClient(t testing.TB, o Options) *Client {
	t.Helper()
	if o.RetryBase == 0 {
		o.RetryBase = time.Millisecond
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	c := New(o)
	t.Cleanup(func() {
		if tr, ok := c.hc.Transport.(*http.Transport); ok {
			tr.CloseIdleConnections()
		}
	})
	return c
}

// recordSleeps replaces c's sleep with one that records each wait and
// returns at once.
func recordSleeps(c *Client) func() []time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		if d > 0 {
			waits = append(waits, d)
		}
		return ctx.Err()
	}
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), waits...)
	}
}

func serve(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchCharsets(t *testing.T) {
	doc := page("", policyBody)
	tests := []struct {
		name, contentType, head string
		euc                     bool
		wantCharset             string
	}{
		{"utf-8 header", "text/html; charset=utf-8", "", false, "utf-8"},
		{"euc-kr header", "text/html; charset=euc-kr", "", true, "euc-kr"},
		{"euc-kr meta only", "text/html", `<meta charset="euc-kr">`, true, "euc-kr"},
		{"euc-kr http-equiv only", "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">`, true, "euc-kr"},
		{"euc-kr unlabelled", "text/html", "", true, "euc-kr"},
		{"euc-kr no content type", "", "", true, "euc-kr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := page(tt.head, policyBody)
			if tt.head == "" {
				want = doc
			}
			body := []byte(want)
			if tt.euc {
				body = toEUCKR(t, want)
			}
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType == "" {
					w.Header()["Content-Type"] = nil // no sniffing by net/http
				} else {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.Write(body)
			})
			resp, err := newTestClient(t, Options{}).Fetch(t.Context(), Request{URL: srv.URL + "/privacy"})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Charset != tt.wantCharset || resp.MediaType != "text/html" {
				t.Errorf("charset, media type = %q, %q; want %q, text/html", resp.Charset, resp.MediaType, tt.wantCharset)
			}
			if resp.Text != want {
				t.Errorf("text mismatch\n got: %.200q\nwant: %.200q", resp.Text, want)
			}
			if !bytes.Equal(resp.Raw, body) {
				t.Errorf("raw body differs from what was served")
			}
			if resp.Status != 200 || resp.Attempts != 1 || resp.URL != srv.URL+"/privacy" {
				t.Errorf("status %d, attempts %d, url %q", resp.Status, resp.Attempts, resp.URL)
			}
		})
	}
}

// TestFetchSeedsEUCKR serves each real seed policy as an EUC-KR page
// labelled only in <meta>; runes EUC-KR cannot encode are replaced first.
func TestFetchSeedsEUCKR(t *testing.T) {
	seeds := readSeeds(t)
	c := newTestClient(t, Options{})
	for name, text := range seeds {
		t.Run(name, func(t *testing.T) {
			src, _ := encodableEUCKR(text)
			html := page(`<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">`, "<div id=policy><pre>"+src+"</pre></div>")
			body := toEUCKR(t, html)
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Write(body)
			})
			resp, err := c.Fetch(t.Context(), Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Charset != "euc-kr" || resp.Text != html {
				t.Errorf("charset %q; text equal to the page: %v", resp.Charset, resp.Text == html)
			}
		})
	}
}

func TestFetchMarkdownByExtension(t *testing.T) {
	md := "# 개인정보 처리방침\n\n## 제1조(목적)\n\n- 이름\n- 연락처\n"
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(toEUCKR(t, md))
	})
	resp, err := newTestClient(t, Options{}).Fetch(t.Context(), Request{URL: srv.URL + "/docs/PRIVACY.md"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.MediaType != "text/markdown" || resp.Charset != "euc-kr" || resp.Text != md {
		t.Errorf("media type %q, charset %q, text %q", resp.MediaType, resp.Charset, resp.Text)
	}
}

func TestFetchRetries(t *testing.T) {
	tests := []struct {
		name      string
		retries   int
		statuses  []int // per hit; the last one repeats
		wantCode  int   // StatusError code, 0 for success
		wantHits  int
		wantWaits int
	}{
		{"500 then 200", 2, []int{500, 200}, 0, 2, 1},
		{"503 twice then 200", 3, []int{503, 503, 200}, 0, 3, 2},
		{"500 always", 2, []int{500}, 500, 3, 2},
		{"408 retried", 1, []int{408, 200}, 0, 2, 1},
		{"404 not retried", 3, []int{404}, 404, 1, 0},
		{"403 not retried", 3, []int{403}, 403, 1, 0},
		{"no retries configured", 0, []int{500}, 500, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				n := int(hits.Add(1))
				code := tt.statuses[min(n, len(tt.statuses))-1]
				w.WriteHeader(code)
				fmt.Fprintf(w, "<p>hit %d: status %d</p>", n, code)
			})
			c := newTestClient(t, Options{Retries: tt.retries})
			waits := recordSleeps(c)
			resp, err := c.Fetch(t.Context(), Request{URL: srv.URL})
			if got := int(hits.Load()); got != tt.wantHits {
				t.Errorf("server saw %d requests, want %d", got, tt.wantHits)
			}
			if got := len(waits()); got != tt.wantWaits {
				t.Errorf("%d backoff waits, want %d", got, tt.wantWaits)
			}
			if resp == nil {
				t.Fatalf("nil response, err %v", err)
			}
			if resp.Attempts != tt.wantHits {
				t.Errorf("Attempts = %d, want %d", resp.Attempts, tt.wantHits)
			}
			if tt.wantCode == 0 {
				if err != nil || resp.Status != 200 {
					t.Fatalf("status %d, err %v; want 200", resp.Status, err)
				}
				return
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tt.wantCode {
				t.Fatalf("err = %v, want StatusError %d", err, tt.wantCode)
			}
			if resp.Status != tt.wantCode || !strings.Contains(resp.Text, fmt.Sprintf("hit %d", tt.wantHits)) {
				t.Errorf("response status %d text %q: want the last error page", resp.Status, resp.Text)
			}
			if !strings.Contains(err.Error(), srv.URL) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
}

func TestFetchBackoffWaits(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter string
		maxWait    time.Duration
		check      func(i int, d time.Duration) bool
		want       string
	}{
		{"exponential with jitter", "", time.Minute, func(i int, d time.Duration) bool {
			full := time.Second << i
			return d >= full/2 && d <= full
		}, "between half and all of 1s, 2s, 4s"},
		{"capped by MaxRetryWait", "", 1500 * time.Millisecond, func(i int, d time.Duration) bool {
			return d <= 1500*time.Millisecond && d >= 500*time.Millisecond
		}, "at most 1.5s"},
		{"retry-after seconds", "2", time.Minute, func(i int, d time.Duration) bool { return d == 2*time.Second }, "2s"},
		{"retry-after http date", now.Add(3 * time.Second).Format(http.TimeFormat), time.Minute,
			func(i int, d time.Duration) bool { return d == 3*time.Second }, "3s"},
		{"retry-after in the past", now.Add(-time.Hour).Format(http.TimeFormat), time.Minute,
			func(i int, d time.Duration) bool { return d == 0 }, "0s"},
		{"retry-after capped", "120", 5 * time.Second, func(i int, d time.Duration) bool { return d == 5*time.Second }, "5s"},
		{"retry-after garbage ignored", "soon", time.Minute, func(i int, d time.Duration) bool {
			full := time.Second << i
			return d >= full/2 && d <= full
		}, "backoff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(http.StatusTooManyRequests)
			})
			c := newTestClient(t, Options{Retries: 3, RetryBase: time.Second, MaxRetryWait: tt.maxWait, Now: func() time.Time { return now }})
			var waits []time.Duration
			c.sleep = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				return nil
			}
			resp, err := c.Fetch(t.Context(), Request{URL: srv.URL})
			var se *StatusError
			if !errors.As(err, &se) || se.Code != 429 || resp.Attempts != 4 {
				t.Fatalf("err %v, attempts %v; want StatusError 429 after 4 attempts", err, resp)
			}
			if len(waits) != 3 {
				t.Fatalf("waits = %v, want 3", waits)
			}
			for i, d := range waits {
				if !tt.check(i, d) {
					t.Errorf("wait %d = %s, want %s", i, d, tt.want)
				}
			}
		})
	}
}

// TestFetchRetryAfterReal lets a real (one second) Retry-After elapse.
func TestFetchRetryAfterReal(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "<p>개인정보 처리방침</p>")
	})
	resp, err := newTestClient(t, Options{Retries: 1, RetryBase: time.Hour}).Fetch(t.Context(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 2 || resp.Text != "<p>개인정보 처리방침</p>" {
		t.Errorf("attempts %d, text %q", resp.Attempts, resp.Text)
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/slow-body" {
			w.Write([]byte("<p>start"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	for _, p := range []string{"/slow-headers", "/slow-body"} {
		t.Run(p, func(t *testing.T) {
			hits.Store(0)
			c := newTestClient(t, Options{Timeout: 100 * time.Millisecond, Retries: 1})
			resp, err := c.Fetch(t.Context(), Request{URL: srv.URL + p})
			if !errors.Is(err, ErrTimeout) {
				t.Fatalf("err = %v, want ErrTimeout", err)
			}
			if resp != nil {
				t.Errorf("response %+v on timeout, want nil", resp)
			}
			if got := hits.Load(); got != 2 {
				t.Errorf("server saw %d requests, want 2 (timeouts are retried)", got)
			}
		})
	}
}

func TestFetchConnectionRefusedIsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := newTestClient(t, Options{Retries: 2})
	waits := recordSleeps(c)
	_, err = c.Fetch(t.Context(), Request{URL: "http://user:hunter2@" + addr + "/p?access_token=s3cret&page=1"})
	if err == nil {
		t.Fatal("want an error from a closed port")
	}
	if n := len(waits()); n != 2 {
		t.Errorf("%d retries, want 2", n)
	}
	for _, secret := range []string{"hunter2", "s3cret"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error leaks %q: %v", secret, err)
		}
	}
	if !strings.Contains(err.Error(), "page=1") {
		t.Errorf("error %q should keep harmless query parameters", err)
	}
}

func TestFetchBodyLimit(t *testing.T) {
	const limit = 1000
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if r.URL.Query().Has("chunked") {
			w.Write(bytes.Repeat([]byte("a"), n/2))
			w.(http.Flusher).Flush()
			w.Write(bytes.Repeat([]byte("a"), n-n/2))
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.Write(bytes.Repeat([]byte("a"), n))
	})
	c := newTestClient(t, Options{MaxBodyBytes: limit, Retries: 2})
	for _, q := range []string{"", "&chunked=1"} {
		resp, err := c.Fetch(t.Context(), Request{URL: srv.URL + "/?n=" + strconv.Itoa(limit) + q})
		if err != nil || len(resp.Raw) != limit {
			t.Errorf("exactly the limit%s: err %v", q, err)
		}
		resp, err = c.Fetch(t.Context(), Request{URL: srv.URL + "/?n=" + strconv.Itoa(limit+1) + q})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("one byte over%s: err = %v, want ErrTooLarge", q, err)
		}
		if resp == nil || resp.Status != 200 || resp.Raw != nil || resp.Attempts != 1 {
			t.Errorf("one byte over%s: response %+v; want status kept, no body, no retry", q, resp)
		}
	}
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchGzip(t *testing.T) {
	html := page(`<meta charset="euc-kr">`, policyBody)
	small := gzipBytes(t, toEUCKR(t, html))
	bomb := gzipBytes(t, make([]byte, 8<<20)) // 8 MiB of zeros, ~8 KiB on the wire
	var sawGzip atomic.Bool
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		sawGzip.Store(strings.Contains(r.Header.Get("Accept-Encoding"), "gzip"))
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		if r.URL.Path == "/bomb" {
			w.Write(bomb)
			return
		}
		w.Write(small)
	})
	transports := map[string]http.RoundTripper{
		"default transport":      nil, // asks for gzip and decodes it
		"transport without gzip": &http.Transport{DisableCompression: true},
	}
	for name, tr := range transports {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, Options{MaxBodyBytes: 1 << 20, Transport: tr})
			resp, err := c.Fetch(t.Context(), Request{URL: srv.URL + "/page"})
			if err != nil {
				t.Fatal(err)
			}
			if tr == nil && !sawGzip.Load() {
				t.Errorf("request did not offer gzip")
			}
			if resp.Text != html || resp.Charset != "euc-kr" {
				t.Errorf("gzip page: charset %q, text equal %v", resp.Charset, resp.Text == html)
			}
			_, err = c.Fetch(t.Context(), Request{URL: srv.URL + "/bomb"})
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("gzip bomb: err = %v, want ErrTooLarge", err)
			}
		})
	}
}

func TestFetchRedirects(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/loop" {
			http.Redirect(w, r, "/loop", http.StatusFound)
			return
		}
		// /chain/N redirects to /chain/N-1; /chain/0 is the page.
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/chain/"))
		if n > 0 {
			http.Redirect(w, r, "/chain/"+strconv.Itoa(n-1), http.StatusMovedPermanently)
			return
		}
		io.WriteString(w, "<p>end</p>")
	})
	c := newTestClient(t, Options{Retries: 3})
	tests := []struct {
		path    string
		wantErr bool
	}{
		{"/chain/0", false},
		{"/chain/10", false},
		{"/chain/11", true},
		{"/loop", true},
	}
	for _, tt := range tests {
		hits.Store(0)
		resp, err := c.Fetch(t.Context(), Request{URL: srv.URL + tt.path})
		if !tt.wantErr {
			if err != nil || resp.URL != srv.URL+"/chain/0" || resp.Text != "<p>end</p>" {
				t.Errorf("%s: err %v, resp %+v", tt.path, err, resp)
			}
			continue
		}
		if !errors.Is(err, ErrTooManyRedirects) {
			t.Errorf("%s: err = %v, want ErrTooManyRedirects", tt.path, err)
		}
		if got := hits.Load(); got != 11 {
			t.Errorf("%s: %d requests, want 11 (one chain, not retried)", tt.path, got)
		}
	}
}

func TestFetchConditional(t *testing.T) {
	const etag = `"v1-abc"`
	const lastMod = "Sat, 01 Mar 2025 00:00:00 GMT"
	var got200, got304 atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if inm == etag || (inm == "" && ims == lastMod) {
			got304.Add(1)
			if r.URL.Path != "/bare" { // a bare 304 carries no validators
				w.Header().Set("ETag", etag)
			}
			w.WriteHeader(http.StatusNotModified)
			return
		}
		got200.Add(1)
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page("", policyBody))
	})
	c := newTestClient(t, Options{})
	first, err := c.Fetch(t.Context(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || first.ETag != etag || first.LastModified != lastMod {
		t.Fatalf("first fetch: %+v", first)
	}
	for _, req := range []Request{
		{URL: srv.URL, ETag: first.ETag, LastModified: first.LastModified},
		{URL: srv.URL + "/bare", LastModified: first.LastModified},
	} {
		resp, err := c.Fetch(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !resp.NotModified || resp.Status != 304 || resp.Raw != nil || resp.Text != "" {
			t.Errorf("conditional fetch %+v: want NotModified with no body", req)
		}
		if resp.LastModified != lastMod || resp.ETag != req.ETag && resp.ETag != etag {
			t.Errorf("validators not carried over: etag %q, last-modified %q", resp.ETag, resp.LastModified)
		}
	}
	if got200.Load() != 1 || got304.Load() != 2 {
		t.Errorf("server sent %d×200, %d×304; want 1, 2", got200.Load(), got304.Load())
	}
}

func TestFetchHeaders(t *testing.T) {
	var ua, accept atomic.Value
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.Header.Get("User-Agent"))
		accept.Store(r.Header.Get("Accept"))
	})
	for _, tt := range []struct{ set, want string }{
		{"", DefaultUserAgent},
		{"monitord-test/1.0 (+mailto:ops@example.kr)", "monitord-test/1.0 (+mailto:ops@example.kr)"},
	} {
		if _, err := newTestClient(t, Options{UserAgent: tt.set}).Fetch(t.Context(), Request{URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
		if got := ua.Load(); got != tt.want {
			t.Errorf("User-Agent = %q, want %q", got, tt.want)
		}
		if a := accept.Load().(string); !strings.HasPrefix(a, "text/html") {
			t.Errorf("Accept = %q, want text/html first", a)
		}
	}
	if !strings.Contains(DefaultUserAgent, "monitord") {
		t.Errorf("default User-Agent %q does not name monitord", DefaultUserAgent)
	}
}

// concurrencyProbe is a handler that holds every request until released and
// records the most requests it saw in flight, per host and in total.
type concurrencyProbe struct {
	mu       sync.Mutex
	inflight map[string]int
	maxHost  map[string]int
	total    int
	maxTotal int
	release  chan struct{}
}

func newProbe() *concurrencyProbe {
	return &concurrencyProbe{inflight: map[string]int{}, maxHost: map[string]int{}, release: make(chan struct{})}
}

func (p *concurrencyProbe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.Host)
	p.mu.Lock()
	p.inflight[host]++
	p.total++
	p.maxHost[host] = max(p.maxHost[host], p.inflight[host])
	p.maxTotal = max(p.maxTotal, p.total)
	p.mu.Unlock()
	select {
	case <-p.release:
	case <-r.Context().Done():
	}
	p.mu.Lock()
	p.inflight[host]--
	p.total--
	p.mu.Unlock()
	io.WriteString(w, "ok")
}

// waitTotal waits until n requests are in flight, then gives the client a
// moment to (wrongly) start more before the caller checks the maxima.
func (p *concurrencyProbe) waitTotal(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.mu.Lock()
		got := p.total
		p.mu.Unlock()
		if got >= n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d requests in flight, want %d: the limiter is stricter than configured", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}

func startOn(t *testing.T, addr string, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	return srv
}

func TestFetchPerHostLimit(t *testing.T) {
	p := newProbe()
	srv := startOn(t, "127.0.0.1:0", p)
	defer srv.Close()
	c := newTestClient(t, Options{PerHost: 2, Concurrency: 8})
	var urls []string
	for i := range 10 {
		urls = append(urls, fmt.Sprintf("%s/t%d", srv.URL, i))
	}
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			if _, err := c.Fetch(t.Context(), Request{URL: u}); err != nil {
				t.Errorf("fetch %s: %v", u, err)
			}
		})
	}
	p.waitTotal(t, 2)
	close(p.release)
	wg.Wait()
	if got := p.maxHost["127.0.0.1"]; got != 2 {
		t.Errorf("max in flight to one host = %d, want 2", got)
	}
}

func TestFetchGlobalLimit(t *testing.T) {
	p := newProbe()
	a := startOn(t, "127.0.0.1:0", p)
	defer a.Close()
	b := startOn(t, "127.0.0.2:0", p)
	defer b.Close()
	c := newTestClient(t, Options{PerHost: 2, Concurrency: 3})
	var wg sync.WaitGroup
	for i := range 12 {
		u := a.URL
		if i%2 == 1 {
			u = b.URL
		}
		wg.Go(func() {
			if _, err := c.Fetch(t.Context(), Request{URL: u}); err != nil {
				t.Errorf("fetch %s: %v", u, err)
			}
		})
	}
	p.waitTotal(t, 3)
	close(p.release)
	wg.Wait()
	if p.maxTotal != 3 {
		t.Errorf("max in flight overall = %d, want 3", p.maxTotal)
	}
	for h, n := range p.maxHost {
		if n > 2 {
			t.Errorf("max in flight to %s = %d, want ≤ 2", h, n)
		}
	}
	if len(p.maxHost) != 2 {
		t.Errorf("hosts seen: %v, want two", p.maxHost)
	}
}

func TestFetchHostInterval(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {})
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	c := newTestClient(t, Options{HostInterval: time.Second, Now: func() time.Time { return now }})
	waits := recordSleeps(c)
	for range 3 {
		if _, err := c.Fetch(t.Context(), Request{URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
	}
	got := waits()
	if len(got) != 2 || got[0] != time.Second || got[1] != 2*time.Second {
		t.Errorf("host interval waits = %v, want [1s 2s] with a frozen clock", got)
	}
}

func TestFetchCancelDuringBackoff(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	ctx, cancel := context.WithCancel(t.Context())
	c := newTestClient(t, Options{Retries: 5, RetryBase: time.Hour, MaxRetryWait: time.Hour})
	hit := make(chan struct{}, 10)
	c.sleep = func(ctx context.Context, d time.Duration) error {
		hit <- struct{}{} // the real wait starts now
		return sleepCtx(ctx, d)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.Fetch(ctx, Request{URL: srv.URL})
		done <- err
	}()
	<-hit
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		var se *StatusError
		if !errors.As(err, &se) || se.Code != 503 {
			t.Errorf("err = %v, want it to keep the last failure (503)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Fetch kept waiting after its context was canceled")
	}
}

func TestFetchDeadlineShorterThanBackoff(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	c := newTestClient(t, Options{Retries: 5, RetryBase: time.Hour, MaxRetryWait: time.Hour})
	waits := recordSleeps(c)
	resp, err := c.Fetch(ctx, Request{URL: srv.URL})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 502 || resp.Attempts != 1 || len(waits()) != 0 {
		t.Errorf("err %v, attempts %d, waits %v: want the 502 at once, no wait past the deadline", err, resp.Attempts, waits())
	}
}

func TestFetchInvalidURL(t *testing.T) {
	c := newTestClient(t, Options{})
	for _, u := range []string{"", "example.kr/privacy", "ftp://example.kr/", "http://", "://bad"} {
		if _, err := c.Fetch(t.Context(), Request{URL: u}); err == nil || !strings.HasPrefix(err.Error(), "fetch: ") {
			t.Errorf("Fetch(%q) err = %v, want a fetch: error", u, err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := map[string]string{
		"https://example.kr/privacy":                     "https://example.kr/privacy",
		"https://u:pw@example.kr/p":                      "https://u:xxxxx@example.kr/p",
		"https://example.kr/p?api_key=abc&lang=ko":       "https://example.kr/p?api_key=REDACTED&lang=ko",
		"https://example.kr/p?Signature=x&X-Amz-Token=y": "https://example.kr/p?Signature=REDACTED&X-Amz-Token=REDACTED",
	}
	for in, want := range tests {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
