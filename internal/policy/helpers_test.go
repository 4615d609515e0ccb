package policy

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/extract"
)

// sharedDir is ../shared (beside the repository) seen from this package directory.
var sharedDir = filepath.Join("..", "..", "..", "shared")

// readShared reads a file of the shared seeds or corpus in place, skipping the
// test when the shared material is not on this machine.
func readShared(t testing.TB, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir, rel))
	if os.IsNotExist(err) {
		t.Skipf("%s not found in ../shared (the shared test material, expected beside the repository); skipping", rel)
	}
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	if strings.HasSuffix(rel, ".html") {
		return stripTags(string(b))
	}
	return string(b)
}

var (
	reDrop  = regexp.MustCompile(`(?is)<(script|style|head)[^>]*>.*?</(script|style|head)>`)
	reBlock = regexp.MustCompile(`(?i)<(br|/p|/li|/h[1-6]|/div|/tr|/td|/th|/dt|/dd|/option|/title|hr)[^>]*>`)
	reTag   = regexp.MustCompile(`<[^>]*>`)
)

// stripTags is a crude HTML-to-lines conversion for tests: block ends become
// line breaks, other tags vanish, entities are decoded.
func stripTags(s string) string {
	s = reDrop.ReplaceAllString(s, "")
	s = reBlock.ReplaceAllString(s, "\n")
	s = reTag.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

// readExtracted reads a shared document and runs it through the extractor,
// as the daemon does, so the test sees what the parser sees in production.
func readExtracted(t testing.TB, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir, rel))
	if os.IsNotExist(err) {
		t.Skipf("%s not found in ../shared (the shared test material, expected beside the repository); skipping", rel)
	}
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	mediaType := "text/plain"
	switch filepath.Ext(rel) {
	case ".html":
		mediaType = "text/html"
	case ".md":
		mediaType = "text/markdown"
	}
	text, err := extract.Content(string(b), mediaType, extract.Rules{})
	if err != nil {
		t.Fatalf("extract %s: %v", rel, err)
	}
	return text
}
