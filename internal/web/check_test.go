package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

// recordingChecker stands in for the daemon's on-demand checks: it answers
// each target of its list in turn and remembers what it was asked.
type recordingChecker struct {
	mu       sync.Mutex
	targets  []string
	asked    []string
	waited   time.Duration
	pending  int
	blockFor chan struct{} // when set, Check waits on it after the first result
}

func (c *recordingChecker) Check(ctx context.Context, target string, each func(done, total int, r web.CheckResult)) error {
	c.mu.Lock()
	c.asked = append(c.asked, target)
	c.mu.Unlock()
	names := c.targets
	if target != "" {
		found := false
		for _, n := range names {
			found = found || n == target
		}
		if !found {
			return fmt.Errorf("%w: no target named %q", snapshot.ErrNotFound, target)
		}
		names = []string{target}
	}
	for i, n := range names {
		each(i+1, len(names), web.CheckResult{Target: n, Status: "changed", Version: uint64(i + 2), Violations: []notice.Violation{{Rule: "short_notice", Basis: notice.BasisPage}}})
		if c.blockFor != nil {
			select {
			case <-c.blockFor:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return nil
}

func (c *recordingChecker) WaitDelivered(ctx context.Context) (int, error) {
	if d, ok := ctx.Deadline(); ok {
		c.mu.Lock()
		c.waited = time.Until(d)
		c.mu.Unlock()
	}
	return c.pending, nil
}

func checkServer(t *testing.T, token string, c web.Checker) *httptest.Server {
	t.Helper()
	srv, err := web.New(web.Options{Listen: "127.0.0.1:0", Token: token, Source: web.NewClient("http://127.0.0.1:1", "", nil), Checker: c})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func TestCheckStreamsResults(t *testing.T) {
	c := &recordingChecker{targets: []string{"alpha", "beta"}, pending: 2}
	ts := checkServer(t, testToken, c)
	var got []string
	pending, err := web.CheckThrough(context.Background(), ts.URL, testToken, nil, "", 5*time.Second, func(done, total int, r web.CheckResult) {
		got = append(got, fmt.Sprintf("%d/%d %s %s v%d %s", done, total, r.Target, r.Status, r.Version, r.Violations[0].Rule))
	})
	if err != nil || pending != 2 {
		t.Fatalf("CheckThrough: pending %d, %v", pending, err)
	}
	if want := "1/2 alpha changed v2 short_notice|2/2 beta changed v3 short_notice"; strings.Join(got, "|") != want {
		t.Errorf("results %q, want %q", strings.Join(got, "|"), want)
	}
	if c.waited <= 4*time.Second || c.waited > 5*time.Second {
		t.Errorf("delivery wait %v, want the 5s asked for", c.waited)
	}

	// One target; an unknown one is a 404 before anything runs.
	got = nil
	if _, err := web.CheckThrough(context.Background(), ts.URL, testToken, nil, "beta", time.Second, func(done, total int, r web.CheckResult) {
		got = append(got, r.Target)
	}); err != nil || strings.Join(got, ",") != "beta" {
		t.Fatalf("-target beta: %v %v", got, err)
	}
	_, err = web.CheckThrough(context.Background(), ts.URL, testToken, nil, "nosuch", time.Second, func(int, int, web.CheckResult) { t.Error("a result for an unknown target") })
	if !errors.Is(err, snapshot.ErrNotFound) {
		t.Fatalf("unknown target: %v, want ErrNotFound", err)
	}
}

func TestCheckRequestRules(t *testing.T) {
	c := &recordingChecker{targets: []string{"alpha"}}
	ts := checkServer(t, testToken, c)
	post := func(path, token string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post("/api/check", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}
	if _, err := web.CheckThrough(context.Background(), ts.URL, "wrong", nil, "", time.Second, func(int, int, web.CheckResult) {}); !errors.Is(err, web.ErrUnauthorized) {
		t.Errorf("wrong token: %v", err)
	}
	if resp := post("/api/check?wait=forever", testToken); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad wait: %d, want 400", resp.StatusCode)
	}
	if resp := post("/api/check?wait=1h", testToken); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("wait over the bound: %d, want 400", resp.StatusCode)
	}
	resp, err := http.Get(ts.URL + "/api/check")
	if err == nil {
		resp.Body.Close()
	}
	if err != nil || resp.StatusCode == http.StatusOK {
		t.Errorf("GET /api/check: %v %v", resp.StatusCode, err)
	}
	if len(c.asked) != 0 {
		t.Errorf("refused requests ran checks: %v", c.asked)
	}

	// A server without a Checker has no such route.
	plain := checkServer(t, "", nil)
	if resp, err := http.Post(plain.URL+"/api/check", "", nil); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("no checker: %v %v, want 404", resp, err)
	} else {
		resp.Body.Close()
	}
}

// TestCheckThroughStopsWithItsContext: a caller that gives up (Ctrl-C)
// gets an error at once instead of waiting for the stream.
func TestCheckThroughStopsWithItsContext(t *testing.T) {
	block := make(chan struct{})
	c := &recordingChecker{targets: []string{"alpha", "beta"}, blockFor: block}
	ts := checkServer(t, "", c)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := web.CheckThrough(ctx, ts.URL, "", nil, "", time.Second, func(done, total int, r web.CheckResult) { cancel() })
	if err == nil {
		t.Fatal("CheckThrough returned no error after its context ended")
	}
	close(block)
}
