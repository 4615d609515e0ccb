package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/policy"
)

// fixtureDoc builds a Document from the small fixture format used under
// testdata/, so golden outputs do not depend on the parser's heuristics:
//
//	# 1. 제목 {category}     a heading: marker, title, category
//	@effective <line>       a body line the parser would take a date from
//	anything else           a body line; blank lines are kept as blank
//
// Lines before the first heading form the preamble.
func fixtureDoc(t testing.TB, text string) *policy.Document {
	t.Helper()
	d := &policy.Document{}
	if rest, ok := strings.CutPrefix(text, "%paragraphs\n"); ok {
		// A policy without headings: one paragraph section per line.
		for n, line := range strings.Split(rest, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			d.Sections = append(d.Sections, policy.Section{
				Category: policy.CategoryOther, Body: []string{line}, Start: n + 2, End: n + 2,
			})
		}
		return d
	}
	var cur *policy.Section
	for n, line := range strings.Split(text, "\n") {
		lineNo := n + 1
		if rest, ok := strings.CutPrefix(line, "# "); ok {
			cat := policy.CategoryOther
			if i := strings.LastIndex(rest, " {"); i >= 0 && strings.HasSuffix(rest, "}") {
				cat = policy.Category(rest[i+2 : len(rest)-1])
				rest = rest[:i]
			}
			marker, title := "", rest
			if m := markerLen(rest); m > 0 {
				marker, title = strings.TrimSpace(rest[:m]), rest[m:]
			}
			title = strings.TrimSpace(title)
			if strings.HasPrefix(title, "(") && strings.HasSuffix(title, ")") {
				title = title[1 : len(title)-1]
			}
			d.Sections = append(d.Sections, policy.Section{
				Level: 1, Marker: marker, Title: title, Key: titleKey(title), Category: cat,
				Heading: rest, Start: lineNo, End: lineNo,
			})
			cur = &d.Sections[len(d.Sections)-1]
			continue
		}
		if cur == nil {
			if strings.TrimSpace(line) == "" {
				continue
			}
			d.Sections = append(d.Sections, policy.Section{Category: policy.CategoryPreamble, Start: lineNo, End: lineNo})
			cur = &d.Sections[len(d.Sections)-1]
		}
		for _, f := range []string{"announced", "effective", "revised"} {
			rest, ok := strings.CutPrefix(line, "@"+f+" ")
			if !ok {
				continue
			}
			line = rest
			ds := policy.ScanDates(rest)
			if ds == nil {
				t.Fatalf("fixture line %d: no date in %q", lineNo, rest)
			}
			date := ds[0].Date
			ref := &policy.DateRef{Date: date, Line: lineNo, Text: strings.TrimSpace(rest), Label: f}
			switch f {
			case "announced":
				d.Announced = ref
			case "effective":
				d.Effective = ref
			case "revised":
				d.Revised = ref
			}
		}
		cur.Body = append(cur.Body, line)
		cur.End = lineNo
	}
	return d
}

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
