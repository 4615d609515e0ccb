package diff

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/monitord/monitord/internal/policy"
)

// RenderOptions tune the text and HTML renderers.
type RenderOptions struct {
	// Color marks edits with ANSI colours (red deleted, green inserted)
	// instead of ~~deleted~~ and **inserted**. Only for terminals.
	Color bool
	// Lang is the language of labels: "ko" (default) or "en".
	Lang string
}

// labels holds the words renderers print.
type labels struct {
	kinds                           map[string]string
	fields                          map[string]string
	none, empty, preamble, para     string
	renamed                         string
	added, removed, modified, moved string
}

func labelsFor(lang string) labels {
	if lang == "en" {
		return labels{
			kinds:  map[string]string{KindAdded: "added", KindRemoved: "removed", KindModified: "modified", KindMoved: "moved"},
			fields: map[string]string{FieldAnnounced: "announced", FieldEffective: "effective", FieldRevised: "revised"},
			none:   "none", empty: "no changes", preamble: "preamble", para: "paragraph", renamed: "renamed",
			added: "added", removed: "removed", modified: "modified", moved: "moved",
		}
	}
	return labels{
		kinds:  map[string]string{KindAdded: "추가", KindRemoved: "삭제", KindModified: "수정", KindMoved: "이동"},
		fields: map[string]string{FieldAnnounced: "공고일자", FieldEffective: "시행일자", FieldRevised: "개정일"},
		none:   "없음", empty: "변경 없음", preamble: "머리말", para: "문단", renamed: "제목 변경",
		added: "추가", removed: "삭제", modified: "수정", moved: "이동",
	}
}

// sectionName returns how a section is named to people: its title, or
// "(머리말)" / "(문단 N)" for an untitled one.
func (l labels) sectionName(title string, cat policy.Category, index int) string {
	switch {
	case title != "":
		return title
	case cat == policy.CategoryPreamble:
		return "(" + l.preamble + ")"
	default:
		return "(" + l.para + " " + strconv.Itoa(index+1) + ")"
	}
}

// heading returns the title line of a section change (without its kind).
func (l labels) heading(s SectionChange) string {
	switch s.Kind {
	case KindAdded:
		return l.sectionName(s.NewTitle, s.Category, s.NewIndex)
	case KindRemoved:
		return l.sectionName(s.OldTitle, s.Category, s.OldIndex)
	}
	name := l.sectionName(s.NewTitle, s.Category, s.NewIndex)
	if s.Renamed() {
		cat := s.Category
		if s.OldCategory != "" {
			cat = s.OldCategory
		}
		name = l.sectionName(s.OldTitle, cat, s.OldIndex) + " → " + name + " (" + l.renamed + ")"
	}
	return name
}

func (l labels) date(d *policy.Date) string {
	if d == nil {
		return l.none
	}
	return d.String()
}

func (l labels) summary(c Counts) string {
	parts := []string{
		l.added + " " + strconv.Itoa(c.Added),
		l.removed + " " + strconv.Itoa(c.Removed),
		l.modified + " " + strconv.Itoa(c.Modified),
		l.moved + " " + strconv.Itoa(c.Moved),
		l.renamed + " " + strconv.Itoa(c.Renamed),
	}
	return strings.Join(parts, " · ")
}

const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDel   = "\x1b[9;31m"
	ansiIns   = "\x1b[32m"
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
)

// RenderText writes c for a terminal: date changes, then one block per
// section change, then counts. Edits read "보유기간: ~~1년~~ **3년**" without
// colour.
func RenderText(w io.Writer, c *Change, o RenderOptions) error {
	bw := bufio.NewWriter(w)
	l := labelsFor(o.Lang)
	if c.Empty() {
		bw.WriteString(l.empty + "\n")
		return flush(bw)
	}
	for _, d := range c.Dates {
		fmt.Fprintf(bw, "%s: %s → %s\n", l.fields[d.Field], l.date(d.Old), l.date(d.New))
	}
	if len(c.Dates) > 0 && len(c.Sections) > 0 {
		bw.WriteString("\n")
	}
	for _, s := range c.Sections {
		head := "[" + l.kinds[s.Kind] + "] " + l.heading(s)
		if o.Color {
			head = ansiBold + head + ansiReset
		}
		bw.WriteString(head + "\n")
		writeSectionText(bw, s, o, "    ")
	}
	if len(c.Sections) > 0 {
		bw.WriteString("\n" + l.summary(c.Counts) + "\n")
	}
	return flush(bw)
}

// FormatSection returns the edits of one section change as plain text (no
// heading, no colour): the "diff" of a webhook payload.
func FormatSection(s SectionChange, o RenderOptions) string {
	var b strings.Builder
	o.Color = false
	writeSectionText(&b, s, o, "")
	return strings.TrimRight(b.String(), "\n")
}

func flush(bw *bufio.Writer) error {
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("diff: write rendered change: %w", err)
	}
	return nil
}

// writeSectionText writes the hunks of s, each line prefixed with indent.
func writeSectionText(w io.StringWriter, s SectionChange, o RenderOptions, indent string) {
	if s.Kind == KindAdded || s.Kind == KindRemoved {
		mark, color := "+ ", ansiGreen
		if s.Kind == KindRemoved {
			mark, color = "- ", ansiRed
		}
		for _, h := range s.Hunks {
			for _, op := range h.Ops {
				for line := range strings.SplitSeq(unmark(op.Text), "\n") {
					if o.Color {
						w.WriteString(indent + color + mark + line + ansiReset + "\n")
					} else {
						w.WriteString(indent + mark + line + "\n")
					}
				}
			}
		}
		return
	}
	for _, h := range s.Hunks {
		var b strings.Builder
		b.WriteString(unmark(h.Before))
		del := func(core string) string { return "~~" + core + "~~" }
		ins := func(core string) string { return "**" + core + "**" }
		if o.Color {
			del = func(core string) string { return ansiDel + core + ansiReset }
			ins = func(core string) string { return ansiIns + core + ansiReset }
		}
		writeOps(&b, h.Ops, h.Before == "", del, ins, unmark)
		b.WriteString(unmark(h.After))
		for line := range strings.SplitSeq(b.String(), "\n") {
			w.WriteString(indent + line + "\n")
		}
	}
}

// splitEdit cuts an edited text into its leading separator (spaces, line
// breaks, and the list marker of a line it starts), its body and its trailing
// spaces and line breaks.
func splitEdit(text string, lineStart bool) (lead, body, trail string) {
	i := 0
	for i < len(text) && (text[i] == ' ' || text[i] == '\n') {
		if text[i] == '\n' {
			lineStart = true
		}
		i++
	}
	if lineStart {
		i += markerLen(text[i:])
		for i < len(text) && text[i] == ' ' {
			i++
		}
	}
	rest := strings.TrimRight(text[i:], " \n")
	return text[:i], rest, text[i+len(rest):]
}

// markBody writes an edited body with wrap around the words of each line,
// leaving line breaks, spaces and list markers outside the marks (through
// plain) so that the result reads "보유기간: ~~1년~~ **3년**".
func markBody(b *strings.Builder, body string, wrap, plain func(string) string) {
	for i, piece := range strings.Split(body, "\n") {
		if i > 0 {
			b.WriteString(plain("\n"))
		}
		lead := len(piece) - len(strings.TrimLeft(piece, " "))
		if i > 0 {
			lead += markerLen(piece[lead:])
		}
		core := strings.TrimRight(piece[lead:], " ")
		b.WriteString(plain(piece[:lead]))
		if c := unmark(core); c != "" {
			b.WriteString(wrap(c))
		}
		b.WriteString(plain(piece[lead+len(core):]))
	}
}

// writeOps writes the ops of a hunk. A deletion directly followed by an
// insertion reads "~~old~~ **new**" on one line, or line after line when the
// deletion spans lines. lineStart says whether the hunk begins a line.
func writeOps(b *strings.Builder, ops []Op, lineStart bool, del, ins, plain func(string) string) {
	for k, op := range ops {
		switch op.Kind {
		case OpEqual:
			b.WriteString(plain(op.Text))
		case OpDelete:
			lead, body, trail := splitEdit(unmark(op.Text), lineStart)
			b.WriteString(plain(lead))
			markBody(b, body, del, plain)
			if k+1 == len(ops) || ops[k+1].Kind != OpInsert {
				b.WriteString(plain(trail))
			}
		case OpInsert:
			lead, body, trail := splitEdit(unmark(op.Text), lineStart)
			if k > 0 && ops[k-1].Kind == OpDelete {
				_, delBody, _ := splitEdit(unmark(ops[k-1].Text), lineStart)
				if strings.Contains(lead, "\n") && strings.Contains(delBody, "\n") {
					b.WriteString(plain(lead))
				} else if body != "" && delBody != "" {
					b.WriteString(plain(" "))
				}
			} else {
				b.WriteString(plain(lead))
			}
			markBody(b, body, ins, plain)
			b.WriteString(plain(trail))
		}
		if op.Kind != OpDelete && op.Text != "" {
			lineStart = strings.HasSuffix(op.Text, "\n")
		}
	}
}

// RenderJSON writes c as indented JSON. The field names are part of
// monitord's contract; see the package documentation.
func RenderJSON(w io.Writer, c *Change) error {
	if c == nil {
		c = &Change{}
	}
	v := *c
	if v.Dates == nil {
		v.Dates = []DateChange{}
	}
	if v.Sections == nil {
		v.Sections = []SectionChange{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&v); err != nil {
		return fmt.Errorf("diff: encode change as JSON: %w", err)
	}
	return nil
}

// unmark drops Markdown strong emphasis ("**", "__") from text shown to
// people: it is not compared, and next to the "**inserted**" marks it only
// confuses.
func unmark(s string) string {
	if !strings.Contains(s, "**") && !strings.Contains(s, "__") {
		return s
	}
	return strings.NewReplacer("**", "", "__", "").Replace(s)
}

// Unmark drops Markdown strong emphasis ("**", "__") from a text shown to
// people, as every renderer of this package does.
func Unmark(s string) string { return unmark(s) }
