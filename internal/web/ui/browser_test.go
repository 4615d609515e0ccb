package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/monitord/monitord/internal/chromium/chromiumtest"
)

// Screenshots go to $MONITORD_UI_ARTIFACTS when set (CI keeps them), else
// to the test's temporary folder. MONITORD_UPDATE_SCREENSHOT=1 also writes
// the diff page's screenshot to docs/ui-diff.png, the one the README shows.

// TestBrowserEndToEnd builds monitord, runs `monitord run` on a temporary
// config against loopback pages, lets it check them, changes one page with a
// backdated 공고일자, has the daemon check again (`monitord check` through
// it), and then uses the UI in headless Chromium as a person would: log in,
// read the list, follow the target, open its diff, filter the list.
func TestBrowserEndToEnd(t *testing.T) {
	exe := chromiumtest.Require(t)
	if testing.Short() {
		t.Skip("skipping the browser test in -short mode")
	}
	dir := t.TempDir()
	artifacts := os.Getenv("MONITORD_UI_ARTIFACTS")
	if artifacts == "" {
		artifacts = dir
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "monitord")
	build := exec.Command("go", "build", "-o", bin, "github.com/monitord/monitord/cmd/monitord")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	now := time.Now()
	s := &site{pages: map[string][]byte{}, types: map[string]string{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	const utf8 = "text/html; charset=utf-8"
	s.set("/shop", utf8, html(shopPolicy(seoulDay(now, -40), seoulDay(now, -33), "3년", false, false)))
	s.set("/clinic", utf8, html(strings.Replace(shopPolicy("2025-01-02", "2025-01-09", "5년", false, false), "테스트쇼핑", "테스트의원", -1)))

	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cfgPath := filepath.Join(dir, "monitord.toml")
	cfg := fmt.Sprintf(`[storage]
path = %q
[server]
listen = "127.0.0.1:%d"
token = "env:MONITORD_E2E_TOKEN"
base_url = %q
[schedule]
default = "0 0 1 1 *"
jitter = "0s"
[fetch]
retries = 0
host_interval = "0s"
[[target]]
name = "shop"
url = "%s/shop"
[[target]]
name = "clinic"
url = "%s/clinic"
`, filepath.Join(dir, "m.db"), port, base, srv.URL, srv.URL)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	environ := append(os.Environ(), "MONITORD_E2E_TOKEN="+testToken)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var logs bytes.Buffer
	daemon := exec.CommandContext(ctx, bin, "run", "-config", cfgPath)
	daemon.Env, daemon.Stdout, daemon.Stderr = environ, &logs, &logs
	daemon.Cancel = func() error { return daemon.Process.Signal(os.Interrupt) }
	daemon.WaitDelay = 10 * time.Second
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = daemon.Wait()
		if t.Failed() {
			t.Logf("monitord run said:\n%s", logs.String())
		}
	})
	// The first run checks targets never checked at once.
	waitVersions(t, base, "shop", 1)
	waitVersions(t, base, "clinic", 1)

	// The shop changes: a new third-party section, longer retention, and a
	// 공고일자 backdated to 11 days ago for an effective date 4 days ahead.
	s.set("/shop", utf8, html(shopPolicy(seoulDay(now, -11), seoulDay(now, 4), "5년", true, false)))
	check := exec.CommandContext(ctx, bin, "check", "-config", cfgPath, "-target", "shop")
	check.Env = environ
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("monitord check through the daemon: %v\n%s", err, out)
	}
	waitVersions(t, base, "shop", 2)

	b := chromiumtest.Start(t)
	_ = exe
	tab, closeTab := b.Tab()
	defer closeTab()
	tctx, tcancel := context.WithTimeout(tab, 60*time.Second)
	defer tcancel()
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	read := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}
	shot := func(name string) []byte {
		t.Helper()
		png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(artifacts, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		return png
	}

	// Log in: the UI sends a browser without the cookie to the form.
	do("open /", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name=token]`)))
	do("log in", chromedp.SendKeys(chromedp.CSS(`input[name=token]`), testToken), chromedp.Submit(chromedp.CSS(`form.login`)),
		chromedp.WaitVisible(chromedp.CSS(`table.targets`)))
	shot("targets.png")
	row := read(`tr[data-name="shop"]`)
	for _, want := range []string{"shop", "위반", "사전 고지 지연", seoulDay(now, -11) + " → " + seoulDay(now, 4)} {
		if !strings.Contains(row, want) {
			t.Errorf("the shop's row reads %q, want %q in it", row, want)
		}
	}
	if first := read(`table.targets tbody tr:first-child`); !strings.Contains(first, "shop") {
		t.Errorf("the violating target is not first: %q", first)
	}

	// Follow the target, then its change.
	do("follow the target", chromedp.Click(chromedp.CSS(`tr[data-name="shop"] a.name`)), chromedp.WaitVisible(chromedp.CSS(`table.timeline`)))
	timeline := read(`main`)
	for _, want := range []string{"v1", "v2", "사전 고지 지연", "7일", "30일"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, timeline)
		}
	}
	shot("timeline.png")
	do("open the diff", chromedp.Click(chromedp.CSS(`tr[data-version="2"] a.difflink`)), chromedp.WaitVisible(chromedp.CSS(`.dv`)))
	if loc, _ := chromedp.Run(tctx, chromedp.Location()); !strings.HasSuffix(loc, "/t/shop/diff?from=1&to=2") {
		t.Errorf("diff page at %s", loc)
	}
	verdict := read(`section.verdict`)
	for _, want := range []string{"판정 (v2)", "사전 고지 지연"} {
		if !strings.Contains(verdict, want) {
			t.Errorf("the verdict reads %q, want %q", verdict, want)
		}
	}
	dates := read(`.dv-datetable`)
	for _, want := range []string{"공고일자", seoulDay(now, -40), seoulDay(now, -11), "시행일자", seoulDay(now, 4)} {
		if !strings.Contains(dates, want) {
			t.Errorf("the date changes read %q, want %q", dates, want)
		}
	}
	if got := read(`section.dv-modified[data-category="retention"] .dv-old del`); got != "3년간" {
		t.Errorf("old words of the retention section: %q", got)
	}
	if got := read(`section.dv-modified[data-category="retention"] .dv-new ins`); got != "5년간" {
		t.Errorf("new words of the retention section: %q", got)
	}
	if got := read(`section.dv-added`); !strings.Contains(got, "제3자 제공") || !strings.Contains(got, "추가") {
		t.Errorf("the added section reads %q", got)
	}
	// Unchanged sections are folded: their text is not shown until opened.
	if folded, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`Array.from(document.querySelectorAll("details.dv-unchanged")).every(d => !d.open)`)); err != nil || !folded {
		t.Errorf("unchanged sections are not folded: %v %v", folded, err)
	}
	png := shot("diff.png")
	if os.Getenv("MONITORD_UPDATE_SCREENSHOT") == "1" {
		if err := os.WriteFile(filepath.Join("..", "..", "..", "docs", "ui-diff.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Filter the list by status with a click, then by rule with the select
	// (the script submits it on change).
	do("back to the list", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`table.targets`)))
	do("filter by status", chromedp.Click(chromedp.CSS(`a.chip[data-status="ok"]`)), chromedp.WaitVisible(chromedp.CSS(`a.chip[data-status="ok"][aria-current]`)))
	if list := read(`main`); !strings.Contains(list, "clinic") || strings.Contains(list, "테스트쇼핑") || strings.Contains(read(`table.targets`), "shop") {
		t.Errorf("the OK filter shows:\n%s", list)
	}
	do("filter by rule", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`select[name=rule]`)))
	if n, err := chromedp.Run(tctx, chromedp.Evaluate[int](`(() => { const s = document.querySelector("select.autosubmit"); if (!s) { return document.querySelectorAll("select").length; } s.value = "late_notice"; s.dispatchEvent(new Event("change", {bubbles: true})); return -1; })()`)); err != nil || n != -1 {
		loc, _ := chromedp.Run(tctx, chromedp.Location())
		t.Fatalf("choose a rule: %v (selects on %s: %d)", err, loc, n)
	}
	do("rule filter applied", chromedp.WaitReady(chromedp.CSS(`select[name=rule] option[value="late_notice"][selected]`)))
	if got := read(`table.targets tbody`); !strings.Contains(got, "shop") || strings.Contains(got, "clinic") {
		t.Errorf("the late_notice filter shows %q", got)
	}
	shot("filtered.png")
	t.Logf("screenshots in %s", artifacts)
}

// waitVersions polls the API until target has n versions.
func waitVersions(t *testing.T, base, target string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/targets/"+target+"/versions", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			var vs []json.RawMessage
			err := json.NewDecoder(resp.Body).Decode(&vs)
			resp.Body.Close()
			if err == nil && len(vs) >= n {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not reach %d versions in 30s", target, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
