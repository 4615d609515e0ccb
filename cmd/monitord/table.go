package main

import (
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// table writes tab-separated rows as aligned columns. Unlike text/tabwriter
// it measures cells as a terminal shows them: a Hangul syllable or a
// full-width character takes two columns, so Korean headers and statuses
// line up.
type table struct {
	w    io.Writer
	rows [][]string
}

func newTable(w io.Writer) *table { return &table{w: w} }

// row adds one row; a cell may not contain a tab or a newline.
func (t *table) row(line string) { t.rows = append(t.rows, strings.Split(line, "\t")) }

// flush writes the rows, two spaces between columns, no padding after the
// last one.
func (t *table) flush() error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// displayWidth is the number of terminal columns s takes.
func displayWidth(s string) int {
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
