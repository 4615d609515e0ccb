package table

import (
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Table writes tab-separated rows as aligned columns. Unlike text/tabwriter
// it measures cells as a terminal shows them: a Hangul syllable or a
// full-width character takes two columns, so Korean headers and statuses
// line up.
type Table struct {
	w    io.Writer
	rows [][]string
}

// New returns a table that writes to w on Flush.
func New(w io.Writer) *Table { return &Table{w: w} }

// Row adds one row; a cell may not contain a tab or a newline.
func (t *Table) Row(line string) { t.rows = append(t.rows, strings.Split(line, "\t")) }

// Flush writes the rows, two spaces between columns, no padding after the
// last one.
func (t *Table) Flush() error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], Width(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-Width(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// Width is the number of terminal columns s takes.
func Width(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
