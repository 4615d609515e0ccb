package diff

import "strings"

// Span is a run of one section line read back from FormatSection's text:
// kept (OpEqual), taken out (OpDelete) or added (OpInsert).
type Span struct {
	Op   string
	Text string
}

// Line is one line of a section's text with its edits.
type Line struct {
	Spans []Span
}

// Changed reports whether the line has any edit (else it is context).
func (l Line) Changed() bool {
	for _, s := range l.Spans {
		if s.Op != OpEqual {
			return true
		}
	}
	return false
}

// Side returns the line as it read before (old) or after (!old) the change.
func (l Line) Side(old bool) string {
	var b strings.Builder
	for _, s := range l.Spans {
		if s.Op == OpEqual || (old && s.Op == OpDelete) || (!old && s.Op == OpInsert) {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// ParseSection reads back the text FormatSection (and so the wire's section
// "diff") wrote for a section of the given kind. It is the inverse of the
// writer's grammar: added and removed sections are lines prefixed "+ " and
// "- "; modified and moved ones are lines of the new text in which deleted
// words read ~~old~~ and inserted ones **new** (marks never span a line, and
// the writer strips "**" from policy text so it cannot be mistaken for one).
// A mark left open, as by a truncated text, reads as plain text.
func ParseSection(kind, text string) []Line {
	var out []Line
	for raw := range strings.SplitSeq(text, "\n") {
		switch kind {
		case KindAdded, KindRemoved:
			op, mark := OpInsert, "+ "
			if kind == KindRemoved {
				op, mark = OpDelete, "- "
			}
			if body, ok := strings.CutPrefix(raw, mark); ok {
				out = append(out, Line{Spans: []Span{{Op: op, Text: body}}})
			} else if raw = strings.TrimSpace(raw); raw != "" {
				out = append(out, Line{Spans: []Span{{Op: OpEqual, Text: raw}}})
			}
		default:
			out = append(out, Line{Spans: parseMarks(raw)})
		}
	}
	return out
}

// parseMarks splits one line at its ~~deleted~~ and **inserted** marks.
func parseMarks(line string) []Span {
	var spans []Span
	add := func(op, text string) {
		if text == "" {
			return
		}
		if n := len(spans); n > 0 && spans[n-1].Op == op {
			spans[n-1].Text += text
			return
		}
		spans = append(spans, Span{Op: op, Text: text})
	}
	for line != "" {
		i := strings.Index(line, "~~")
		j := strings.Index(line, "**")
		mark, op := "~~", OpDelete
		if i < 0 || (j >= 0 && j < i) {
			i, mark, op = j, "**", OpInsert
		}
		if i < 0 {
			add(OpEqual, line)
			break
		}
		end := strings.Index(line[i+2:], mark)
		if end <= 0 { // unclosed or empty: not a mark
			add(OpEqual, line[:i+2])
			line = line[i+2:]
			continue
		}
		add(OpEqual, line[:i])
		add(op, line[i+2:i+2+end])
		line = line[i+2+end+2:]
	}
	// The writer puts one space between a deletion and the insertion that
	// replaces it ("~~5년~~ **10년**"); it belongs to neither side.
	for k := 0; k+2 < len(spans); k++ {
		if spans[k].Op == OpDelete && spans[k+1] == (Span{OpEqual, " "}) && spans[k+2].Op == OpInsert {
			spans = append(spans[:k+1], spans[k+2:]...)
		}
	}
	return spans
}
