package diff

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed html/*.html
var htmlFS embed.FS

// fragmentTemplate renders RenderHTML's fragment. html/template escapes
// every text from the policy by construction.
var fragmentTemplate = template.Must(template.New("diff").Funcs(template.FuncMap{
	"lines": func(s string) []string { return strings.Split(s, "\n") },
}).ParseFS(htmlFS, "html/*.html"))

// Segment kinds: text kept, taken out, added.
const (
	SegmentEqual  = "equal"
	SegmentDelete = "delete"
	SegmentInsert = "insert"
)

// Segment is a run of text of one hunk as people read it: kept, deleted or
// inserted, with Markdown emphasis dropped and list markers, spaces and
// line breaks kept outside the deleted and inserted runs, as RenderText
// shows them ("보유기간: ~~1년~~ **3년**").
type Segment struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Segments returns the text of hunk h as segments, the way every renderer
// marks it. Adjacent segments of the same kind are merged.
func Segments(h Hunk) []Segment {
	var segs []Segment
	add := func(kind string) func(string) string {
		return func(s string) string {
			if s == "" {
				return ""
			}
			if n := len(segs); n > 0 && segs[n-1].Kind == kind {
				segs[n-1].Text += s
			} else {
				segs = append(segs, Segment{Kind: kind, Text: s})
			}
			return ""
		}
	}
	// writeOps hands every piece to one of the three functions; they
	// collect it and give nothing back to write.
	var sink strings.Builder
	writeOps(&sink, h.Ops, h.Before == "", add(SegmentDelete), add(SegmentInsert), func(s string) string { return add(SegmentEqual)(unmark(s)) })
	return segs
}

// fragment is the data of the "fragment" template.
type fragment struct {
	Lang       string
	Empty      bool
	EmptyLabel string
	Dates      []fragmentDate
	Sections   []fragmentSection
	Summary    string
}

type fragmentDate struct{ Field, Label, Old, New string }

type fragmentSection struct {
	Kind, KindLabel, Heading string
	Category                 string
	Hunks                    []fragmentHunk
}

type fragmentHunk struct {
	Before, After string
	Segments      []Segment
}

// RenderHTML writes c as an HTML fragment: a <div class="monitord-diff">
// with <del> and <ins> marks, rendered with html/template so that every
// text from the policy is escaped by construction.
func RenderHTML(w io.Writer, c *Change, o RenderOptions) error {
	l := labelsFor(o.Lang)
	f := fragment{Lang: "ko", Empty: c.Empty(), EmptyLabel: l.empty}
	if o.Lang == "en" {
		f.Lang = "en"
	}
	if !f.Empty {
		for _, d := range c.Dates {
			f.Dates = append(f.Dates, fragmentDate{Field: d.Field, Label: l.fields[d.Field], Old: l.date(d.Old), New: l.date(d.New)})
		}
		for _, s := range c.Sections {
			fs := fragmentSection{Kind: s.Kind, KindLabel: l.kinds[s.Kind], Heading: l.heading(s), Category: string(s.Category)}
			for _, h := range s.Hunks {
				fs.Hunks = append(fs.Hunks, fragmentHunk{Before: unmark(h.Before), After: unmark(h.After), Segments: Segments(h)})
			}
			f.Sections = append(f.Sections, fs)
		}
		f.Summary = l.summary(c.Counts)
	}
	bw := bufio.NewWriter(w)
	if err := fragmentTemplate.ExecuteTemplate(bw, "fragment", f); err != nil {
		return fmt.Errorf("diff: render HTML: %w", err)
	}
	return flush(bw)
}
