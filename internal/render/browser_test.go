package render

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/chromium/chromiumtest"
)

// testBrowser returns a Browser for the test (skipped without Chromium,
// failed under CI), closed when the test ends.
func testBrowser(t *testing.T, timeout time.Duration) *Browser {
	t.Helper()
	exe := chromiumtest.Require(t)
	b := NewBrowser(BrowserOptions{Executable: exe, Concurrency: 2, Timeout: timeout})
	t.Cleanup(func() { b.Close() })
	return b
}

const policyJS = `fetch("/api/policy").then(r => r.json()).then(p => {
  const root = document.getElementById("root");
  for (const s of p.sections) {
    const h = document.createElement("h3"); h.textContent = s.title; root.appendChild(h);
    const b = document.createElement("p"); b.textContent = s.body; root.appendChild(b);
  }
});`

const policyJSON = `{"sections":[
{"title":"1. 개인정보의 수집 항목","body":"회사는 회원 가입을 위하여 이름, 이메일, 휴대전화번호를 수집합니다. 수집한 개인정보는 서비스 제공에만 이용합니다."},
{"title":"2. 보유 및 이용 기간","body":"회원 탈퇴 시까지 보유하며, 관계 법령이 정한 기간이 지나면 지체 없이 파기합니다. 전자적 파일은 복구할 수 없게 삭제합니다."},
{"title":"3. 제3자 제공","body":"회사는 이용자의 동의 없이 개인정보를 제3자에게 제공하지 않습니다. 법령에 특별한 규정이 있는 경우는 예외로 합니다."}]}`

type counter struct {
	n    atomic.Int64
	page atomic.Int64 // requests for /privacy
}

func (c *counter) handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.n.Add(1)
		if r.URL.Path == "/privacy" {
			c.page.Add(1)
		}
		h.ServeHTTP(w, r)
	})
}

func shellPage(script string) string {
	return `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>앱</title></head><body><div id="root"></div><script>` + script + `</script></body></html>`
}

func jsServer(t testing.TB, extra map[string]string) (*httptest.Server, *counter) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/policy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, policyJSON)
	})
	for path, body := range extra {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, body)
		})
	}
	c := &counter{}
	srv := httptest.NewServer(c.handler(mux))
	t.Cleanup(srv.Close)
	return srv, c
}

// TestRenderRunsTheAppsScript: the page's own bytes are served to the
// browser (its address is not fetched again), its script fetches the API
// on the same site, and the DOM holds the policy.
func TestRenderRunsTheAppsScript(t *testing.T) {
	b := testBrowser(t, 20*time.Second)
	srv, hits := jsServer(t, nil)
	out, err := b.Render(context.Background(), Job{URL: srv.URL + "/privacy", Body: []byte(shellPage(policyJS)), ContentType: "text/html; charset=utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.HTML, "3. 제3자 제공") || !strings.Contains(out.HTML, "지체 없이 파기합니다") {
		t.Fatalf("rendered DOM lacks the policy:\n%s", out.HTML)
	}
	if !out.Signal || !out.Idle {
		t.Fatalf("signal %v, idle %v", out.Signal, out.Idle)
	}
	if hits.page.Load() != 0 || hits.n.Load() == 0 {
		t.Fatalf("the server saw %d requests for the page (want 0: it came from the caller), %d in all", hits.page.Load(), hits.n.Load())
	}
}

// TestRenderBlocksOtherSites: a request to another site (not an asset of
// the page) is refused; the policy still renders.
func TestRenderBlocksOtherSites(t *testing.T) {
	b := testBrowser(t, 20*time.Second)
	tracker := &counter{}
	other := httptest.NewServer(tracker.handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "{}") })))
	defer other.Close()
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	srv, _ := jsServer(t, nil)
	script := fmt.Sprintf(`fetch(%q).catch(() => {}); new Image().src = %q;`, otherURL+"/collect", otherURL+"/pixel.gif") + policyJS
	out, err := b.Render(context.Background(), Job{URL: srv.URL + "/privacy", Body: []byte(shellPage(script))})
	if err != nil {
		t.Fatal(err)
	}
	if tracker.n.Load() != 0 || out.Blocked < 2 {
		t.Fatalf("the other site saw %d requests; %d blocked", tracker.n.Load(), out.Blocked)
	}
	if !strings.Contains(out.HTML, "2. 보유 및 이용 기간") {
		t.Fatal("policy not rendered")
	}
}

// TestRenderHungPage: a page whose script never settles (it fetches
// forever and never shows a policy) fails within the timeout, and the
// browser keeps working for the next page.
func TestRenderHungPage(t *testing.T) {
	b := testBrowser(t, 4*time.Second)
	srv, _ := jsServer(t, map[string]string{})
	hung := `setInterval(() => fetch("/api/policy?" + Math.random()), 50);`
	start := time.Now()
	_, err := b.Render(context.Background(), Job{URL: srv.URL + "/hung", Body: []byte(shellPage(hung))})
	if err == nil {
		t.Fatal("a page that never settles rendered")
	}
	// A bound, not a benchmark: a page that hung the renderer would never
	// return; a loaded CI machine may take several times the timeout to
	// close the tab and restart the browser.
	if d := time.Since(start); d > time.Minute {
		t.Fatalf("took %s; the timeout is 4s", d)
	}
	busy := `while (true) {}`
	if _, err := b.Render(context.Background(), Job{URL: srv.URL + "/busy", Body: []byte(shellPage(busy))}); err == nil {
		t.Fatal("a page whose script never yields rendered")
	}
	// The same Browser, with room for a loaded machine.
	out, err := b.Render(context.Background(), Job{URL: srv.URL + "/privacy", Body: []byte(shellPage(policyJS)), Timeout: 30 * time.Second})
	if err != nil || !strings.Contains(out.HTML, "1. 개인정보의 수집 항목") {
		t.Fatalf("the next page after the hung ones: %v", err)
	}
}

// TestRenderNavigationAndPopups: a page that navigates away and opens
// popups is read as itself; nothing else is loaded.
func TestRenderNavigationAndPopups(t *testing.T) {
	b := testBrowser(t, 20*time.Second)
	srv, _ := jsServer(t, map[string]string{"/elsewhere": "<html><body>다른 페이지</body></html>"})
	script := policyJS + `
window.open("/elsewhere"); window.open("https://example.com/");
alert("쿠폰을 받으세요"); confirm("정말요?");
setTimeout(() => { location.href = "/elsewhere"; }, 100);`
	out, err := b.Render(context.Background(), Job{URL: srv.URL + "/privacy", Body: []byte(shellPage(script))})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.HTML, "다른 페이지") || !strings.Contains(out.HTML, "3. 제3자 제공") {
		t.Fatalf("the page navigated away:\n%s", out.HTML)
	}
	if !strings.HasSuffix(out.URL, "/privacy") {
		t.Fatalf("rendered URL %q", out.URL)
	}
}

// TestRenderRestartsACrashedBrowser: a browser killed under the renderer is
// replaced by a new process on the next page.
func TestRenderRestartsACrashedBrowser(t *testing.T) {
	b := testBrowser(t, 20*time.Second)
	srv, _ := jsServer(t, nil)
	job := Job{URL: srv.URL + "/privacy", Body: []byte(shellPage(policyJS))}
	if _, err := b.Render(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	pid := b.PID()
	if pid == 0 {
		t.Fatal("no browser process")
	}
	b.mu.Lock()
	proc := b.proc
	b.mu.Unlock()
	if c := proc.Context(); c != nil {
		p, _ := findProcess(pid)
		p.Kill()
	}
	var err error
	for i := 0; i < 3; i++ { // the first page may still see the dying process
		if _, err = b.Render(context.Background(), job); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("no page rendered after the crash: %v", err)
	}
	if b.Starts() < 2 || b.PID() == pid {
		t.Fatalf("starts %d, pid %d (was %d): the browser was not restarted", b.Starts(), b.PID(), pid)
	}
}
