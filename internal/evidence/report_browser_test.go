package evidence_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/monitord/monitord/internal/chromium/chromiumtest"
)

// TestReportInBrowser opens report.html from disk in headless Chromium:
// it shows the changed section and the verdict, and the page makes no
// network request (the only request is the file itself).
func TestReportInBrowser(t *testing.T) {
	b := chromiumtest.Start(t)
	src, _ := store(t, 3000)
	dir := t.TempDir()
	if err := build(t, src).WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	fileURL := "file://" + filepath.ToSlash(filepath.Join(dir, "report.html"))

	ctx, cancel := b.Tab()
	defer cancel()
	ctx, cancel2 := context.WithTimeout(ctx, 60*time.Second)
	defer cancel2()
	var mu sync.Mutex
	var requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL)); err != nil {
		t.Fatal(err)
	}
	verdict, err := chromedp.Run(ctx, chromedp.Text("#verdict"))
	if err != nil {
		t.Fatal(err)
	}
	changed, err := chromedp.Run(ctx, chromedp.Text("#diff .dv-modified"))
	if err != nil {
		t.Fatal(err)
	}
	board, err := chromedp.Run(ctx, chromedp.Text("#board"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"사전 고지 지연", "monitord가 관찰하여 확인", "필요 7일"} {
		if !strings.Contains(verdict, want) {
			t.Errorf("the verdict as shown lacks %q:\n%s", want, verdict)
		}
	}
	if !strings.Contains(changed, "개인정보의 보유 및 이용기간") || !strings.Contains(changed, "1년") || !strings.Contains(changed, "5년") {
		t.Errorf("the changed section as shown:\n%s", changed)
	}
	if !strings.Contains(board, "개인정보 처리방침 변경 안내") {
		t.Errorf("the board evidence as shown:\n%s", board)
	}
	time.Sleep(200 * time.Millisecond) // late requests (fonts, images) would show now
	mu.Lock()
	defer mu.Unlock()
	for _, u := range requests {
		if u != fileURL {
			t.Errorf("report.html made a request to %s", u)
		}
	}
	if len(requests) == 0 {
		t.Fatal("no request seen at all: the network listener did not work")
	}
}
