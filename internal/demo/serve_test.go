package demo

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is written by Run while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServe: `demo -serve` leaves the web UI up, prints the diff page of the
// violating change, and that page shows it; it stops when ctx ends.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out lockedBuffer
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Out: &out, Dir: t.TempDir(), Serve: "127.0.0.1:0", Listening: func(u string) { urls <- u }})
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("Run ended before serving: %v\n%s", err, out.String())
	case <-ctx.Done():
		t.Fatal("the UI never listened")
	}
	link := base + "/t/demo-shop/diff?from=1&to=2"
	if !strings.Contains(out.String(), link) {
		t.Errorf("the output does not print %s:\n%s", link, out.String())
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"판정 (v2)", "사전 고지 지연", "dv-added", "<ins>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the diff page lacks %q", want)
		}
	}
	if resp, err := http.Get(base + "/t/demo-shop"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("timeline: %v %v", err, resp)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after ctx ended: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("Run did not stop")
	}
	if err := Run(context.Background(), Options{Out: io.Discard, Dir: t.TempDir(), Serve: "0.0.0.0:0"}); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("serving off loopback: %v", err)
	}
}
