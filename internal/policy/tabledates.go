package policy

import "strings"

// Dates in tables. A 개정 이력 table often carries the only dates of a
// policy, with the labels in its header row and the values in the rows
// below:
//
//	차수 | 공고일자 | 시행일자 | 비고
//	1 | 2023. 1. 2. | 2023. 1. 9. | 제정
//	2 | 2024. 3. 1. | 2024. 3. 8. | 현행
//
// (the extractor writes a table row as one line, cells joined by " | ";
// Markdown tables have the same shape with a "|---|" rule under the header).
// The current row is the one a cell marks 현행/현재/current; without a mark,
// the row with the newest date. Its dates are candidates like labelled ones
// (a marked row as strong as a label, an unmarked one as a sentence), and
// they count even inside a history zone, since the table is the history.
// The other rows are history.

// cell is one table cell: its text and where it starts in the line.
type cell struct {
	text  string
	start int
}

// tableCells splits a table row line into its cells (Markdown's outer pipes
// dropped), or nil when line is not a row.
func tableCells(line string) []cell {
	if strings.IndexByte(line, '|') < 0 {
		return nil
	}
	var out []cell
	start := 0
	for i := 0; i <= len(line); i++ {
		if i < len(line) && line[i] != '|' {
			continue
		}
		raw := line[start:i]
		lead := len(raw) - len(strings.TrimLeft(raw, " "))
		out = append(out, cell{text: strings.TrimSpace(raw), start: start + lead})
		start = i + 1
	}
	// Markdown's outer pipes come in pairs and open the row; without a
	// leading pipe a trailing one closes an empty last cell (the extractor
	// writes a row whose 비고 is blank as "3 | 2024-02-01 | 2024-02-15 |").
	if strings.HasPrefix(strings.TrimSpace(line), "|") {
		if len(out) > 0 && out[0].text == "" {
			out = out[1:]
		}
		if len(out) > 0 && out[len(out)-1].text == "" {
			out = out[:len(out)-1]
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// tableRule reports a Markdown table rule ("|---|:--:|").
func tableRule(line string) bool {
	return strings.Trim(line, "|-: ") == "" && strings.Contains(line, "-")
}

// currentMarks are what a cell says of the current version.
var currentMarks = []string{"현행", "현재", "시행중", "시행 중", "current", "Current", "CURRENT"}

// tableDates finds the dates of the tables whose header row labels them,
// by line index: the current row's dates with their roles (table set), the
// other rows' dates as history (past set).
func (p *parser) tableDates() map[int][]found {
	var out map[int][]found
	for i := 0; i < len(p.ls); i++ {
		if p.ls[i].digit || strings.IndexByte(p.ls[i].text, '|') < 0 {
			continue
		}
		head := tableCells(p.ls[i].text)
		roles := make([]role, len(head))
		labels := make([]string, len(head))
		any := false
		for k, c := range head {
			if r, text := labelOnly(c.text); r != roleNone {
				roles[k], labels[k], any = r, text, true
			}
		}
		if !any {
			continue
		}
		type row struct {
			line   int
			fs     []found
			marked bool
			newest Date
		}
		var rows []row
		j := i + 1
		for ; j < len(p.ls); j++ {
			t := p.ls[j].text
			if tableRule(t) {
				continue
			}
			cells := tableCells(t)
			if len(cells) != len(head) {
				break
			}
			r := row{line: j}
			for k, c := range cells {
				ds := ScanDates(c.text)
				if roles[k] == roleNone || len(ds) == 0 {
					if len(ds) == 0 && containsAny(c.text, currentMarks) {
						r.marked = true
					}
					continue
				}
				d := ds[0]
				f := found{dateHit: dateHit{d: d.Date, start: c.start + d.Start, end: c.start + d.End}, role: roles[k], label: labels[k]}
				r.fs = append(r.fs, f)
				if r.newest.Before(d.Date) {
					r.newest = d.Date
				}
			}
			rows = append(rows, r)
		}
		cur := -1
		for k, r := range rows {
			if len(r.fs) == 0 {
				continue
			}
			switch {
			case r.marked:
				if cur < 0 || !rows[cur].marked {
					cur = k
				}
			case cur < 0 || !rows[cur].marked && rows[cur].newest.Before(r.newest):
				cur = k
			}
		}
		if cur >= 0 {
			if out == nil {
				out = map[int][]found{}
			}
			for k, r := range rows {
				for _, f := range r.fs {
					if k == cur {
						f.table, f.strength = true, strengthSentence
						if r.marked {
							f.strength = strengthLabel
						}
					} else {
						f.past = true
					}
					out[r.line] = append(out[r.line], f)
				}
			}
		}
		i = j - 1
	}
	return out
}
