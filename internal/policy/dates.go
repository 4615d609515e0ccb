package policy

import (
	"strings"
	"time"
)

// role is what a date in the text stands for.
type role uint8

const (
	roleNone role = iota
	roleAnnounced
	roleEffective
	roleRevised
)

// label strengths: an explicit label ("시행일자: …") beats a sentence form
// ("… 부터 시행합니다").
const (
	strengthNone     = 0
	strengthSentence = 1
	strengthLabel    = 2
)

var dateLabels = []struct {
	text string
	role role
}{
	{"공고일자", roleAnnounced}, {"공고 일자", roleAnnounced}, {"공고일", roleAnnounced},
	{"게시일자", roleAnnounced}, {"게시일", roleAnnounced}, {"고지일자", roleAnnounced}, {"고지일", roleAnnounced},
	{"공지일자", roleAnnounced}, {"공지일", roleAnnounced},
	{"시행일자", roleEffective}, {"시행 일자", roleEffective}, {"시행일", roleEffective},
	{"적용일자", roleEffective}, {"적용 일자", roleEffective}, {"적용일", roleEffective},
	{"효력발생일", roleEffective}, {"효력 발생일", roleEffective}, {"발효일", roleEffective},
	{"개정일자", roleRevised}, {"개정일", roleRevised}, {"변경일자", roleRevised}, {"변경일", roleRevised},
	{"최종 수정일", roleRevised}, {"최종수정일", roleRevised}, {"수정일자", roleRevised}, {"수정일", roleRevised},
	{"최종 업데이트", roleRevised}, {"최종업데이트", roleRevised}, {"최종 개정일", roleRevised},
	{"최종 변경일", roleRevised}, {"갱신일", roleRevised}, {"업데이트", roleRevised},
	// English, as written in mixed or English policies.
	{"Effective Date", roleEffective}, {"Effective date", roleEffective}, {"effective date", roleEffective},
	{"EFFECTIVE DATE", roleEffective}, {"Effective", roleEffective}, {"effective", roleEffective},
	{"Date of Announcement", roleAnnounced}, {"Announced", roleAnnounced}, {"Posted", roleAnnounced}, {"posted", roleAnnounced},
	{"Last Updated", roleRevised}, {"Last updated", roleRevised}, {"last updated", roleRevised}, {"LAST UPDATED", roleRevised},
	{"Last Modified", roleRevised}, {"Last modified", roleRevised}, {"Last Revised", roleRevised}, {"Last revised", roleRevised},
	{"Updated", roleRevised}, {"updated", roleRevised}, {"Revised", roleRevised},
	// Markdown front matter keys, as dateText leaves them (without '_').
	{"lastupdated", roleRevised}, {"lastmodified", roleRevised}, {"lastmod", roleRevised},
	{"effectivedate", roleEffective},
}

// dateHit is one date found in a line.
type dateHit struct {
	d          Date
	start, end int // byte offsets in the scanned line
}

// found is a date with what the line says about it.
type found struct {
	dateHit
	role     role
	strength int
	label    string
	rangeTo  Date // set when the date opens a range "A ~ B"
	inRange  bool // the date is one end of a range: history
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digits reads a run of ASCII digits at s[i:] of length 1..max.
func digits(s string, i, max int) (n, end int, ok bool) {
	j := i
	for j < len(s) && isDigit(s[j]) {
		n = n*10 + int(s[j]-'0')
		j++
		if j-i > max {
			return 0, i, false
		}
	}
	return n, j, j > i
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// scanDates finds the dates in s, in the formats Korean policies use:
// 2024년 3월 1일, 2024년 03월 01일, 2024. 3. 1., 2024.03.01, 2024-03-01,
// 2024/03/01, '24.03.01 and 24.03.01. Impossible dates (2024-02-30) are
// skipped, never normalised.
func scanDates(s string, hits []dateHit) []dateHit {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		var h dateHit
		var ok bool
		switch j - i {
		case 4:
			h, ok = scanFull(s, i, j)
		case 2:
			h, ok = scanShort(s, i, j)
		}
		if !ok && j-i <= 2 {
			h, ok = scanEnglish(s, i, j)
		}
		if ok {
			hits = append(hits, h)
			i = h.end
			continue
		}
		i = j
	}
	return hits
}

// scanFull reads a date whose 4-digit year is s[i:j].
func scanFull(s string, i, j int) (dateHit, bool) {
	if i > 0 && (s[i-1] == '.' || s[i-1] == '-' || s[i-1] == '/') && i > 1 && isDigit(s[i-2]) {
		return dateHit{}, false // part of a longer number like 1.2024.03
	}
	year, _, _ := digits(s, i, 4)
	k := skipSpaces(s, j)
	var month, day, end int
	switch {
	case strings.HasPrefix(s[k:], "년"):
		k = skipSpaces(s, k+len("년"))
		m, e, ok := digits(s, k, 2)
		if !ok {
			return dateHit{}, false
		}
		k = skipSpaces(s, e)
		if !strings.HasPrefix(s[k:], "월") {
			return dateHit{}, false
		}
		k = skipSpaces(s, k+len("월"))
		d, e2, ok := digits(s, k, 2)
		if !ok {
			return dateHit{}, false
		}
		end = e2
		k = skipSpaces(s, e2)
		switch {
		case strings.HasPrefix(s[k:], "일"):
			end = k + len("일")
		case k == len(s) || strings.HasPrefix(s[k:], "부터") || strings.HasPrefix(s[k:], "까지") ||
			strings.ContainsRune(".,)~|", rune(s[k])):
			// "2022년 1월 1부터": a missing 일 is tolerated before these.
		default:
			return dateHit{}, false
		}
		month, day = m, d
	case k == j && k < len(s) && (s[k] == '-' || s[k] == '/'):
		sep := s[k]
		m, e, ok := digits(s, k+1, 2)
		if !ok || e >= len(s) || s[e] != sep {
			return dateHit{}, false
		}
		d, e2, ok := digits(s, e+1, 2)
		if !ok {
			return dateHit{}, false
		}
		month, day, end = m, d, e2
	case k < len(s) && s[k] == '.':
		k = skipSpaces(s, k+1)
		m, e, ok := digits(s, k, 2)
		if !ok {
			return dateHit{}, false
		}
		k = skipSpaces(s, e)
		if k >= len(s) || s[k] != '.' {
			return dateHit{}, false
		}
		k = skipSpaces(s, k+1)
		d, e2, ok := digits(s, k, 2)
		if !ok {
			return dateHit{}, false
		}
		month, day, end = m, d, e2
		if end < len(s) && s[end] == '.' && (end+1 == len(s) || !isDigit(s[end+1])) {
			end++
		}
	default:
		return dateHit{}, false
	}
	if end < len(s) && isDigit(s[end]) {
		return dateHit{}, false
	}
	d, ok := NewDate(year, time.Month(month), day)
	if !ok {
		return dateHit{}, false
	}
	return dateHit{d: d, start: i, end: end}, true
}

// months are the English month names and their abbreviations, lower-case.
var months = [...]string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// monthName reads an English month name: full, or its first three letters
// (and "Sept"), with an optional dot, in any case.
func monthName(w string) (time.Month, bool) {
	w = strings.TrimSuffix(w, ".")
	if len(w) < 3 || len(w) > len("september") {
		return 0, false
	}
	for k, m := range months {
		if strings.EqualFold(w, m) || (len(w) == 3 && strings.EqualFold(w, m[:3])) || (k == 8 && strings.EqualFold(w, "sept")) {
			return time.Month(k + 1), true
		}
	}
	return 0, false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// scanEnglish reads the English forms "January 1, 2024", "Jan. 1 2024" and
// "1 January 2024", whose day is the 1-2 digits at s[i:j].
func scanEnglish(s string, i, j int) (dateHit, bool) {
	day, _, _ := digits(s, i, 2)
	start, k := -1, j
	var month time.Month
	// Month before the day.
	if b := i - 1; b > 0 && s[b] == ' ' {
		e := b
		if s[e-1] == '.' {
			e--
		}
		a := e
		for a > 0 && isLetter(s[a-1]) {
			a--
		}
		if m, ok := monthName(s[a:e]); ok && (a == 0 || !isLetter(s[a-1])) {
			month, start = m, a
			for _, suf := range []string{"st", "nd", "rd", "th"} {
				if strings.HasPrefix(s[k:], suf) {
					k += len(suf)
					break
				}
			}
			if k < len(s) && s[k] == ',' {
				k++
			}
		}
	}
	// Month after the day.
	if start < 0 {
		for _, suf := range []string{"st", "nd", "rd", "th"} {
			if strings.HasPrefix(s[k:], suf) {
				k += len(suf)
				break
			}
		}
		if k >= len(s) || s[k] != ' ' {
			return dateHit{}, false
		}
		a := k + 1
		e := a
		for e < len(s) && isLetter(s[e]) {
			e++
		}
		if e < len(s) && s[e] == '.' {
			e++
		}
		m, ok := monthName(s[a:e])
		if !ok {
			return dateHit{}, false
		}
		month, start, k = m, i, e
		if k < len(s) && s[k] == ',' {
			k++
		}
	}
	k = skipSpaces(s, k)
	year, end, ok := digits(s, k, 4)
	if !ok || end-k != 4 || (end < len(s) && isDigit(s[end])) {
		return dateHit{}, false
	}
	d, ok := NewDate(year, month, day)
	if !ok {
		return dateHit{}, false
	}
	return dateHit{d: d, start: start, end: end}, true
}

// scanShort reads '24.03.01 or 24.03.01 (two-digit year, dots only). Without
// an apostrophe, month and day must have two digits, to keep version numbers
// and list numbers out.
func scanShort(s string, i, j int) (dateHit, bool) {
	start := i
	apos := false
	if i > 0 && s[i-1] == '\'' {
		apos, start = true, i-1
	} else if i >= 3 && s[i-3:i] == "’" {
		apos, start = true, i-3
	} else if i > 0 && (s[i-1] == '.' || s[i-1] == '-' || s[i-1] == '/') {
		return dateHit{}, false
	}
	if j >= len(s) || s[j] != '.' {
		return dateHit{}, false
	}
	yy, _, _ := digits(s, i, 2)
	m, e, ok := digits(s, j+1, 2)
	if !ok || e >= len(s) || s[e] != '.' || (!apos && e-(j+1) != 2) {
		return dateHit{}, false
	}
	d, e2, ok := digits(s, e+1, 2)
	if !ok || (!apos && e2-(e+1) != 2) {
		return dateHit{}, false
	}
	end := e2
	if end < len(s) && isDigit(s[end]) {
		return dateHit{}, false
	}
	if end < len(s) && s[end] == '.' {
		if end+1 < len(s) && isDigit(s[end+1]) {
			return dateHit{}, false // 24.03.01.5: an IP address or version
		}
		end++
	}
	date, ok := NewDate(2000+yy, time.Month(m), d)
	if !ok {
		return dateHit{}, false
	}
	return dateHit{d: date, start: start, end: end}, true
}

// dateText removes markdown emphasis so "_2018_년 _9_월" reads as a date.
func dateText(s string) string {
	if strings.IndexAny(s, "*_`") < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '*' || r == '_' || r == '`' {
			return -1
		}
		return r
	}, s)
}

// hasDigits is the cheap filter that keeps most lines out of the date scanner.
func hasDateDigits(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			run++
			if run >= 2 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// lineDates finds the dates of one line and what the line says about each.
// prevLabel is the role of a label standing alone on the previous line.
func lineDates(line string, prevLabel role, prevLabelText string, buf []dateHit) []found {
	if !hasDateDigits(line) {
		return nil
	}
	s := dateText(line)
	hits := scanDates(s, buf[:0])
	if len(hits) == 0 {
		return nil
	}
	out := make([]found, len(hits))
	prevEnd := 0
	for k, h := range hits {
		f := found{dateHit: h}
		if r, text, ok := labelBefore(s[prevEnd:h.start]); ok {
			f.role, f.strength, f.label = r, strengthLabel, text
		} else if r, text, ok := sentenceAfter(s[h.end:]); ok {
			f.role, f.strength, f.label = r, strengthSentence, text
		} else if k == 0 && prevLabel != roleNone && strings.TrimSpace(strings.Trim(s[:h.start], " :-|*")) == "" {
			f.role, f.strength, f.label = prevLabel, strengthLabel, prevLabelText
		}
		out[k] = f
		prevEnd = h.end
	}
	// Ranges: "2022.01.01 ~ 2023.12.31", "2024.01.01 ~ 현재".
	for k := range out {
		after := strings.TrimSpace(s[out[k].end:])
		var gap string
		if k+1 < len(out) {
			gap = strings.TrimSpace(s[out[k].end:out[k+1].start])
		}
		switch {
		case k+1 < len(out) && isRangeSep(gap):
			out[k].inRange, out[k+1].inRange = true, true
			out[k].rangeTo = out[k+1].d
		case strings.HasPrefix(after, "~") || strings.HasPrefix(after, "∼") || strings.HasPrefix(after, "～"):
			rest := strings.TrimSpace(strings.TrimLeft(after, "~∼～"))
			if strings.HasPrefix(rest, "현재") || rest == "" {
				out[k].inRange = true
			}
		}
	}
	return out
}

func isRangeSep(g string) bool {
	switch g {
	case "~", "∼", "～", "-", "–", "—", "부터", "~ ", "ㅡ":
		return true
	}
	return false
}

// labelBefore finds the label nearest before a date, when only a little
// punctuation or a short phrase without digits stands between them
// ("시행일자 : 2024년 3월 1일", "(시행일) 이 방침은 2024년 3월 1일부터").
func labelBefore(prefix string) (role, string, bool) {
	best, bestEnd := -1, -1
	for k, l := range dateLabels {
		i := strings.LastIndex(prefix, l.text)
		if i < 0 {
			continue
		}
		end := i + len(l.text)
		if end > bestEnd || (end == bestEnd && len(l.text) > len(dateLabels[best].text)) {
			best, bestEnd = k, end
		}
	}
	if best < 0 {
		if strings.HasPrefix(prefix, "date:") && strings.TrimSpace(strings.Trim(prefix[len("date:"):], " \"'")) == "" {
			return roleRevised, "date", true // front matter "date: 2024-01-01"
		}
		return roleNone, "", false
	}
	gap := prefix[bestEnd:]
	n := 0
	for _, r := range gap {
		switch {
		case r >= '0' && r <= '9':
			return roleNone, "", false
		case r == ' ' || strings.ContainsRune(":：-|()[]*_=>.", r):
		default:
			n++
		}
	}
	if n > 12 {
		return roleNone, "", false
	}
	return dateLabels[best].role, dateLabels[best].text, true
}

// sentenceAfter reads what follows a date: "부터 시행합니다", "부터 적용됩니다",
// "시행", "공고", "개정".
func sentenceAfter(after string) (role, string, bool) {
	t := strings.TrimLeft(after, " .")
	verb := func(s string) (string, bool) {
		s = strings.TrimLeft(s, " ")
		for _, v := range []string{"시행", "적용", "효력", "발효", "유효"} {
			if strings.HasPrefix(s, v) {
				return v, true
			}
		}
		return "", false
	}
	for _, p := range []string{"부터", "일자로", "자로", "에", "일부로", "부로"} {
		if strings.HasPrefix(t, p) {
			if v, ok := verb(t[len(p):]); ok {
				return roleEffective, strings.TrimSpace(p + " " + v), true
			}
		}
	}
	if v, ok := verb(t); ok {
		return roleEffective, v, true
	}
	switch {
	case strings.HasPrefix(t, "공고"), strings.HasPrefix(t, "게시"):
		return roleAnnounced, t[:len("공고")], true
	case strings.HasPrefix(t, "개정"), strings.HasPrefix(t, "수정"), strings.HasPrefix(t, "변경"):
		return roleRevised, t[:len("개정")], true
	}
	return roleNone, "", false
}

// labelOnly reports whether a line is a date label standing alone
// ("공고일자", "시행일:"), whose date is on the next line.
func labelOnly(line string) (role, string) {
	if len(line) > 40 {
		return roleNone, ""
	}
	t := strings.TrimSpace(strings.Trim(dateText(line), " :：-|"))
	for _, l := range dateLabels {
		if t == l.text {
			return l.role, l.text
		}
	}
	return roleNone, ""
}

// historyMarkers open the part of a page that lists earlier versions
// (compared with spaces removed).
var historyMarkers = []string{
	"이전개인정보처리방침", "이전의개인정보처리방침", "이전처리방침", "이전의처리방침", "이전방침", "이전버전",
	"이전개인정보취급방침", "변경이력", "개정이력", "처리방침이력",
}

// historyFrom returns the byte offset in line where a history marker starts,
// or -1.
func historyFrom(line string) int {
	// Every marker contains 이전 or 이력.
	if !hasYijeonOrYiryeok(line) {
		return -1
	}
	// Squeeze spaces, remembering where each byte came from.
	sq := make([]byte, 0, len(line))
	pos := make([]int, 0, len(line))
	for i := 0; i < len(line); i++ {
		if line[i] == ' ' {
			continue
		}
		sq = append(sq, line[i])
		pos = append(pos, i)
	}
	best := -1
	for _, m := range historyMarkers {
		if i := strings.Index(string(sq), m); i >= 0 && (best < 0 || pos[i] < best) {
			best = pos[i]
		}
	}
	return best
}

// hasYijeonOrYiryeok reports whether line contains "이전" or "이력", in one
// pass: it looks for the last byte of "이" (rare in Hangul text, unlike the
// lead byte every syllable shares) and checks the bytes around it.
func hasYijeonOrYiryeok(line string) bool {
	const yi = "이" // EC 9D B4
	for i := 0; i < len(line); {
		k := strings.IndexByte(line[i:], yi[2])
		if k < 0 {
			return false
		}
		i += k + 1 // just past "이", if it is one
		if i >= len(yi) && line[i-3:i] == yi {
			if rest := line[i:]; strings.HasPrefix(rest, "전") || strings.HasPrefix(rest, "력") {
				return true
			}
		}
	}
	return false
}

// candidate is a date that may be the current 공고일자, 시행일자 or 개정일.
type candidate struct {
	ref      DateRef
	strength int
	inChange bool
	order    int
}

// better implements the preference rule when a page states several
// candidates for one date: a labelled date ("시행일자: …") beats a sentence
// form ("…부터 시행합니다"); then a date in the policy-change section beats
// one elsewhere; then the last occurrence in the page wins.
func (c candidate) better(o candidate) bool {
	if c.strength != o.strength {
		return c.strength > o.strength
	}
	if c.inChange != o.inChange {
		return c.inChange
	}
	return c.order > o.order
}

// dates finds the document's dates and history.
func (p *parser) dates(doc *Document) {
	hist := p.historyZones()
	var best [4]*candidate
	var buf []dateHit
	prevRole, prevText := roleNone, ""
	order := 0
	for i := range p.ls {
		l := &p.ls[i]
		var fs []found
		if l.digit {
			fs = lineDates(l.text, prevRole, prevText, buf)
		}
		prevRole, prevText = labelOnly(l.text)
		if p.secOf[i] < 0 {
			continue // table of contents
		}
		inChange := p.secs[p.secOf[i]].Category == CategoryChanges
		for _, f := range fs {
			order++
			if f.inRange || (hist[i] >= 0 && f.start >= hist[i]) {
				addHistory(doc, f, l)
				continue
			}
			if f.role == roleNone {
				continue
			}
			c := candidate{
				ref:      DateRef{Date: f.d, Line: l.num, Text: l.text, Label: f.label},
				strength: f.strength, inChange: inChange, order: order,
			}
			if best[f.role] == nil || c.better(*best[f.role]) {
				cc := c
				best[f.role] = &cc
			}
		}
	}
	if c := best[roleAnnounced]; c != nil {
		r := c.ref
		doc.Announced = &r
	}
	if c := best[roleEffective]; c != nil {
		r := c.ref
		doc.Effective = &r
	}
	if c := best[roleRevised]; c != nil {
		r := c.ref
		doc.Revised = &r
	}
}

func addHistory(doc *Document, f found, l *pline) {
	if f.inRange && len(doc.History) > 0 {
		// The closing end of a range was recorded with its opening end.
		last := doc.History[len(doc.History)-1]
		if last.Line == l.num && last.To == f.d {
			return
		}
	}
	doc.History = append(doc.History, HistoryEntry{From: f.d, To: f.rangeTo, Line: l.num, Text: l.text})
}

// historyZones returns, for each line, the byte offset from which its dates
// are history (-1: none). A marker ("이전 개인정보처리방침 보기", "변경 이력")
// makes history of the rest of its section and that section's subsections.
func (p *parser) historyZones() []int {
	z := make([]int, len(p.ls))
	for i := range z {
		z[i] = -1
	}
	for i := 0; i < len(p.ls); i++ {
		if p.secOf[i] < 0 {
			continue
		}
		off := historyFrom(p.ls[i].text)
		if off < 0 {
			continue
		}
		s := p.secOf[i]
		level := p.secs[s].Level
		z[i] = off
		for j := i + 1; j < len(p.ls); j++ {
			if t := p.secOf[j]; t >= 0 && t != s && p.secs[t].Start == p.ls[j].num && (p.secs[t].Level <= level || level == 0) && p.secs[t].Title != "" {
				break
			}
			z[j] = 0
			i = j
		}
	}
	return z
}

// FindDates returns every valid date in text with its line and, where the
// line labels it, the label ("공고일자", "부터 시행", …). It is the date finder
// Parse uses, exposed for tools and tests.
func FindDates(text string) []DateRef {
	var out []DateRef
	var buf []dateHit
	prevRole, prevText := roleNone, ""
	num := 0
	for len(text) > 0 {
		num++
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		t := Normalize(line)
		if t == "" {
			continue
		}
		for _, f := range lineDates(t, prevRole, prevText, buf) {
			out = append(out, DateRef{Date: f.d, Line: num, Text: t, Label: f.label})
		}
		prevRole, prevText = labelOnly(t)
	}
	return out
}
