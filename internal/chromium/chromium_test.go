package chromium_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/monitord/monitord/internal/chromium/chromiumtest"
)

// TestRendersScript runs a page whose text only JavaScript writes, on
// loopback, and reads the text back from the rendered DOM.
func TestRendersScript(t *testing.T) {
	b := chromiumtest.Start(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><body><div id="app"></div>
<script>document.getElementById("app").textContent = "개인정보 처리방침 " + (6 * 7);</script></body></html>`)
	}))
	defer srv.Close()

	ctx, cancel := b.Tab()
	defer cancel()
	ctx, cancel2 := context.WithTimeout(ctx, 30*time.Second)
	defer cancel2()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("#app"))
	if err != nil {
		t.Fatal(err)
	}
	if text != "개인정보 처리방침 42" {
		t.Fatalf("rendered text = %q, want the script's output", text)
	}
}
