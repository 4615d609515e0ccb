package extract

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var bodyInner = regexp.MustCompile(`(?s)<body[^>]*>(.*)</body>`)

// benchPage builds a realistic ~60 KB Korean policy page: the bodies of
// the HTML fixtures, repeated, inside the legacy table-layout chrome.
func benchPage(tb testing.TB) string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	var parts []string
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			tb.Fatal(err)
		}
		if m := bodyInner.FindStringSubmatch(string(b)); m != nil {
			parts = append(parts, m[1])
		}
	}
	if len(parts) == 0 {
		tb.Fatal("no HTML fixtures in testdata")
	}
	var body strings.Builder
	for i := 0; body.Len() < 56<<10; i++ {
		body.WriteString(parts[i%len(parts)])
		body.WriteByte('\n')
	}
	return chromeLegacy(body.String())
}

func BenchmarkHTML(b *testing.B) {
	page := benchPage(b)
	if _, err := HTML(page, Rules{}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HTML(page, Rules{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseFloor parses the same page with golang.org/x/net/html
// alone: the part of BenchmarkHTML that extraction cannot make faster.
func BenchmarkParseFloor(b *testing.B) {
	page := benchPage(b)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := html.Parse(strings.NewReader(page)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHTMLSelector(b *testing.B) {
	page := benchPage(b)
	r := Rules{Selector: ".privacy_wrap", Exclude: []string{".tab-old", "select"}}
	if _, err := HTML(page, r); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HTML(page, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "app_policy.md"))
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat(string(src)+"\n", 30)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Markdown(body)
	}
}

func BenchmarkNormalize(b *testing.B) {
	page := benchPage(b)
	text, err := HTML(page, Rules{})
	if err != nil {
		b.Fatal(err)
	}
	in := strings.ReplaceAll(text, " ", "\u00a0 ")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(in)
	}
}

// BenchmarkPageKey is what a re-check costs when the page key matches:
// one pass of the tokenizer, no tree (against BenchmarkHTMLSelector and
// BenchmarkPageExtract, the full path).
func BenchmarkPageKey(b *testing.B) {
	page := benchPage(b)
	r := Rules{Selector: ".privacy_wrap", Exclude: []string{".tab-old", "select"}}
	if NewPage(page, r).Key() == "" {
		b.Fatal("no key")
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		NewPage(page, r).Key()
	}
}

// BenchmarkPageExtract is the full path through a Page: the key, then the
// tree and the text.
func BenchmarkPageExtract(b *testing.B) {
	page := benchPage(b)
	r := Rules{Selector: ".privacy_wrap", Exclude: []string{".tab-old", "select"}}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewPage(page, r).Extract(); err != nil {
			b.Fatal(err)
		}
	}
}
