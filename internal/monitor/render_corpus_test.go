package monitor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/render"
)

// autoDecision is what render = "auto" makes of one page, without the
// network: "static" when the page's own text is a policy, else "iframe"
// (it has frames, which would be fetched), "data" (its script data holds
// the policy), "browser" (a script app) or "refused" (none: a failed check).
func autoDecision(url, body, mediaType string) string {
	text, err := extract.Content(body, mediaType, extract.Rules{})
	if err == nil && assess(text, 0, false) == nil {
		return "static"
	}
	if !strings.HasPrefix(mediaType, "text/html") {
		return "refused"
	}
	a := render.Analyze(url, body)
	switch {
	case len(a.Frames) > 0:
		return "iframe"
	}
	for _, d := range a.Data {
		if render.DataText(d, func(s string) error { return assess(s, 0, false) }) != "" {
			return "data"
		}
	}
	if a.NeedsScript() {
		return "browser"
	}
	return "refused"
}

// TestAutoSendsNoStaticPageToTheBrowser runs the auto decision over every
// real document of ../shared/corpus and every seed (as HTML, the way a site
// would serve it): all are static pages, and none may go to the browser or
// anywhere but their own text.
func TestAutoSendsNoStaticPageToTheBrowser(t *testing.T) {
	docs, _ := filepath.Glob(filepath.Join(corpusDir, "*", "v*"))
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "seeds", "*.txt"))
	if len(docs) == 0 || len(seeds) == 0 {
		t.Skipf("no corpus or seeds under ../shared (absent)")
	}
	tally := map[string]int{}
	for _, path := range append(docs, seeds...) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		body, mt := string(raw), mediaTypeOf(path)
		if strings.HasSuffix(path, ".txt") && strings.Contains(path, "seeds") {
			var b strings.Builder
			b.WriteString(`<html><head><meta charset="utf-8"><script src="/app.js"></script></head><body><div id="app">`)
			for _, l := range strings.Split(body, "\n") {
				b.WriteString("<p>" + htmlEscape(l) + "</p>\n")
			}
			b.WriteString(`</div></body></html>`)
			body, mt = b.String(), "text/html"
		}
		if mt == "text/html" {
			text, _, err := fetch.Decode(raw, "text/html")
			if err == nil && !strings.Contains(path, "seeds") {
				body = text
			}
		}
		d := autoDecision("https://example.kr/privacy", body, mt)
		tally[d]++
		if d != "static" {
			t.Errorf("%s: auto decided %q, want static", path, d)
		}
	}
	t.Logf("auto over %d corpus documents and %d seeds: %v", len(docs), len(seeds), tally)
}
