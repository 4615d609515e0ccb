package post_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notify/notifytest"
	"github.com/monitord/monitord/internal/notify/post"
)

var now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

const secretPath = "/services/T0001/B0002/XXXXsecretXXXXtoken"

func endpoint(t *testing.T, raw string, timeout time.Duration) *post.Endpoint {
	t.Helper()
	ep, err := post.NewEndpoint("json", "ops", raw, timeout, nil, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

// refusedURL returns a URL on a port nothing listens on.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + secretPath + "?token=abc123"
}

func TestPostClassification(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		refused    bool
		retry      bool
		ok         bool
		retryAfter time.Duration // 0: no *RetryAfterError expected
	}{
		{name: "200", status: 200, ok: true},
		{name: "204", status: 204, ok: true},
		{name: "400", status: 400, body: "invalid_payload"},
		{name: "404", status: 404, body: "no_service"},
		{name: "410", status: 410},
		{name: "408", status: 408, retry: true},
		{name: "429 with Retry-After seconds", status: 429, header: map[string]string{"Retry-After": "120"}, retry: true, retryAfter: 2 * time.Minute},
		{name: "429 with fractional Retry-After", status: 429, header: map[string]string{"Retry-After": "1.5"}, retry: true, retryAfter: 1500 * time.Millisecond},
		{name: "429 without Retry-After", status: 429, retry: true},
		{name: "500", status: 500, retry: true},
		{name: "502", status: 502, retry: true},
		{name: "503 with Retry-After date", status: 503, header: map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, retry: true, retryAfter: 90 * time.Second},
		{name: "503 with malformed Retry-After", status: 503, header: map[string]string{"Retry-After": "soon"}, retry: true},
		{name: "connection refused", refused: true, retry: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := refusedURL(t)
			if !tt.refused {
				rcv := notifytest.NewReceiver(t, func(w http.ResponseWriter, r *http.Request) {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body + " " + r.URL.Path)) // a receiver echoing the path must not leak it
				})
				raw = rcv.URL + secretPath + "?token=abc123"
			}
			retry, err := endpoint(t, raw, 5*time.Second).Post(context.Background(), http.Header{"Content-Type": {"application/json"}}, []byte(`{}`))
			if retry != tt.retry {
				t.Errorf("retry = %v, want %v (err %v)", retry, tt.retry, err)
			}
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if err == nil {
				return
			}
			notifytest.AssertNoLeak(t, err, secretPath, "XXXXsecretXXXXtoken", "abc123", "T0001")
			var ra *post.RetryAfterError
			if got := errors.As(err, &ra); got != (tt.retryAfter > 0) {
				t.Fatalf("RetryAfterError present = %v, want %v (err %v)", got, tt.retryAfter > 0, err)
			}
			if ra != nil && ra.After != tt.retryAfter {
				t.Errorf("After = %s, want %s", ra.After, tt.retryAfter)
			}
			var se *post.StatusError
			if tt.refused {
				if errors.As(err, &se) {
					t.Errorf("network error reported as status %d", se.Code)
				}
				return
			}
			if !errors.As(err, &se) || se.Code != tt.status {
				t.Fatalf("StatusError = %+v, want code %d", se, tt.status)
			}
			if tt.body != "" && !strings.Contains(err.Error(), tt.body) {
				t.Errorf("error %q does not quote the receiver's answer %q", err, tt.body)
			}
			if !strings.Contains(err.Error(), "http://127.0.0.1") {
				t.Errorf("error %q does not name the host", err)
			}
		})
	}
}

func TestPostTimeout(t *testing.T) {
	release := make(chan struct{})
	rcv := notifytest.NewReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	retry, err := endpoint(t, rcv.URL+secretPath, 50*time.Millisecond).Post(context.Background(), nil, []byte(`{}`))
	if !retry || !errors.Is(err, post.ErrAttemptTimeout) {
		t.Fatalf("Post = %v, %v; want retry with ErrAttemptTimeout", retry, err)
	}
	notifytest.AssertNoLeak(t, err, secretPath)
}

func TestPostCanceled(t *testing.T) {
	rcv := notifytest.NewReceiver(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	retry, err := endpoint(t, rcv.URL+secretPath, time.Second).Post(ctx, nil, []byte(`{}`))
	if !retry || !errors.Is(err, context.Canceled) {
		t.Fatalf("Post = %v, %v; want retry with context.Canceled", retry, err)
	}
}

// TestPostDrainsBody checks that a long answer is drained so the connection is
// reused: two posts, one TCP connection.
func TestPostDrainsBody(t *testing.T) {
	var conns, requests atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		_, _ = w.Write([]byte(strings.Repeat("x", 32<<10)))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	ep, err := post.NewEndpoint("json", "ops", srv.URL, time.Second, &http.Client{Transport: tr}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := ep.Post(context.Background(), nil, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 2 posts, want 1 (body not drained?)", n)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("receiver got %d requests, want 2", n)
	}
}

func TestParseURL(t *testing.T) {
	for _, raw := range []string{"", "hooks.slack.com/services/SECRET", "ftp://h/SECRET", "https:///SECRET", "https://h/%zzSECRET", "http://[::1/SECRET"} {
		_, err := post.ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) accepted", raw)
			continue
		}
		notifytest.AssertNoLeak(t, err, "SECRET")
		if !strings.HasPrefix(err.Error(), "post: ") {
			t.Errorf("error %q lacks the package prefix", err)
		}
	}
	if _, err := post.ParseURL(" https://hooks.slack.com/services/x "); err != nil {
		t.Errorf("valid URL rejected: %v", err)
	}
	if _, err := post.NewEndpoint("slack", "ops", "https://h/x", -time.Second, nil, nil); err == nil {
		t.Error("negative timeout accepted")
	}
}

func TestRedactURL(t *testing.T) {
	u, _ := post.ParseURL("https://user:pw@hooks.example:8443/services/abc?token=1")
	if got := post.RedactURL(u); got != "https://user:pw@hooks.example:8443" && got != "https://hooks.example:8443" {
		t.Errorf("RedactURL = %q", got)
	}
	if got := post.RedactURL(u); strings.Contains(got, "pw") || strings.Contains(got, "abc") {
		t.Errorf("RedactURL leaks: %q", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"30", 30 * time.Second, true},
		{"0.25", 250 * time.Millisecond, true},
		{"-5", 0, false},
		{"NaN", 0, false},
		{"999999999", post.MaxRetryAfter, true},
		{now.Add(time.Hour).Format(http.TimeFormat), time.Hour, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"tomorrow", 0, false},
	}
	for _, tt := range tests {
		got, ok := post.ParseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRetryAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"30", "1.5", "Sun, 22 Nov 2026 00:01:00 GMT", "-1", "1e300", "Inf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := post.ParseRetryAfter(s, now)
		if d < 0 || d > post.MaxRetryAfter {
			t.Fatalf("ParseRetryAfter(%q) = %s outside [0, %s]", s, d, post.MaxRetryAfter)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %s with ok=false", s, d)
		}
	})
}

func BenchmarkPost(b *testing.B) {
	rcv := notifytest.NewReceiver(b, nil)
	ep, err := post.NewEndpoint("json", "bench", rcv.URL, time.Second, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"id":"evt"}`)
	for b.Loop() {
		if _, err := ep.Post(context.Background(), nil, body); err != nil {
			b.Fatal(err)
		}
	}
}
