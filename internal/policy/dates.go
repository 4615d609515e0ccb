package policy

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
// ("… 부터 시행합니다"), which beats a key of the page's front matter.
const (
	strengthNone     = 0
	strengthMeta     = 0
	strengthSentence = 1
	strengthLabel    = 2
)

// frontKeys are the front matter keys that name a date of the policy,
// compared in lower case without spaces, '_' and '-'. Only these: a key
// that is not known is not a date (published, created, expires and the
// like say when a file was made, not when a policy was announced or took
// effect). date, updated and lastmod are the site's "last changed", a
// 개정일 at most.
var frontKeys = map[string]role{
	"effective": roleEffective, "effectivedate": roleEffective, "effectiveon": roleEffective,
	"effectivefrom": roleEffective, "effectiveat": roleEffective, "enforcementdate": roleEffective,
	"시행": roleEffective, "시행일": roleEffective, "시행일자": roleEffective, "적용일": roleEffective,
	"적용일자": roleEffective, "효력발생일": roleEffective,
	"announced": roleAnnounced, "announcedate": roleAnnounced, "announcementdate": roleAnnounced,
	"noticedate": roleAnnounced, "공고일": roleAnnounced, "공고일자": roleAnnounced, "게시일": roleAnnounced,
	"게시일자": roleAnnounced, "공지일": roleAnnounced, "고지일": roleAnnounced,
	"date": roleRevised, "updated": roleRevised, "updatedat": roleRevised, "lastupdated": roleRevised,
	"lastupdate": roleRevised, "lastmod": roleRevised, "lastmodified": roleRevised, "modified": roleRevised,
	"revised": roleRevised, "lastrevised": roleRevised, "revisiondate": roleRevised,
	"개정일": roleRevised, "개정일자": roleRevised, "수정일": roleRevised, "수정일자": roleRevised,
	"최종수정일": roleRevised, "변경일": roleRevised, "변경일자": roleRevised,
}

// frontDate reads a front matter line "key: value" whose key is one of
// frontKeys and whose value is a date the date grammar reads, alone or with
// a time of day ("2025-03-01", "\"2025년 3월 1일\"", "2025-03-01T09:00:00+09:00").
func frontDate(line string) (role, string, Date, bool) {
	key, value, ok := strings.Cut(line, ":")
	if !ok {
		return roleNone, "", Date{}, false
	}
	k := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-':
			return -1
		}
		return unicode.ToLower(r)
	}, key)
	r, ok := frontKeys[k]
	if !ok {
		return roleNone, "", Date{}, false
	}
	v := strings.Trim(strings.TrimSpace(value), "\"'")
	ds := ScanDates(v)
	if len(ds) != 1 || ds[0].Start != 0 {
		return roleNone, "", Date{}, false
	}
	if rest := v[ds[0].End:]; strings.Trim(rest, "0123456789:+-.TZ ") != "" {
		return roleNone, "", Date{}, false // more than a date and a time
	}
	return r, strings.TrimSpace(key), ds[0].Date, true
}

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
	table    bool // the current row of a dated table (see tableDates)
	past     bool // another row of a dated table: history
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
// 2024/03/01, '24.03.01, ’24. 3. 1. and 24.03.01, each with an optional
// weekday in brackets ("(금)"). Impossible dates (2024-02-30) are
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
			h.end = weekdayEnd(s, h.end)
			hits = append(hits, h)
			i = h.end
			continue
		}
		i = j
	}
	return hits
}

// weekdays are the day names a date may carry in brackets: "2024년 3월 1일(금)",
// "2024. 3. 1.(금요일)", "March 1, 2024 (Fri)".
var weekdays = [...]string{
	"월", "화", "수", "목", "금", "토", "일",
	"월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일",
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
	"Tues", "Thur", "Thurs",
}

// weekdayEnd returns where a date ending at s[end] ends once the weekday in
// brackets after it, if any, is included: the weekday is part of the
// written date, so that "(금)" → "(토)" is a change of the date only.
func weekdayEnd(s string, end int) int {
	k := skipSpaces(s, end)
	if k >= len(s) {
		return end
	}
	var closer byte
	switch s[k] {
	case '(':
		closer = ')'
	case '[':
		closer = ']'
	default:
		return end
	}
	inner := s[k+1:]
	c := strings.IndexByte(inner, closer)
	if c < 0 || c > len("Wednesday.") {
		return end
	}
	w := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(inner[:c]), "."))
	for _, d := range weekdays {
		if strings.EqualFold(w, d) {
			return k + 1 + c + 1
		}
	}
	return end
}

// DateLine reports whether the parser reads line as stating a date of the
// policy or of one of its versions: a labelled date ("시행일자: …", "개정일
// '24.03.01"), a sentence form ("… 부터 시행합니다", "… 적용"), a range of a
// version ("2022.01.01 ~ 2023.12.31"), or a version-list line ("2023. 1. 1
// 시행"). The diff masks every date on such lines: their changes are date
// changes, not changes of the text.
func DateLine(line string) bool {
	if !hasDateDigits(line) {
		return false
	}
	if versionLine(line) {
		return true
	}
	var buf [4]dateHit
	for _, f := range lineDates(line, roleNone, "", buf[:0]) {
		if f.role != roleNone || f.inRange {
			return true
		}
	}
	if cells := tableCells(line); cells != nil {
		// A row of a dated table: only dates and short words.
		for _, c := range cells {
			if len(ScanDates(c.text)) == 0 && len(c.text) > 30 {
				return false
			}
		}
		return len(ScanDates(line)) > 0
	}
	return false
}

// DateSpan is a written date in a line: its value and its bytes
// line[Start:End], a weekday in brackets after it included.
type DateSpan struct {
	Date       Date
	Start, End int
}

// ScanDates returns the written dates of line in order: the date grammar
// Parse reads dates with (every format it reads; see scanDates), for the
// stages that must treat the same text as a date (the diff masks them).
func ScanDates(line string) []DateSpan {
	if !hasDateDigits(line) {
		return nil
	}
	var buf [4]dateHit
	hits := scanDates(line, buf[:0])
	if len(hits) == 0 {
		return nil
	}
	out := make([]DateSpan, len(hits))
	for i, h := range hits {
		out[i] = DateSpan{Date: h.d, Start: h.start, End: h.end}
	}
	return out
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
	// With an apostrophe the year is unmistakable, and spaces may follow
	// the dots as in the long form ("’24. 3. 1.").
	next := func(k int) int {
		if apos {
			return skipSpaces(s, k)
		}
		return k
	}
	yy, _, _ := digits(s, i, 2)
	ms := next(j + 1)
	m, e, ok := digits(s, ms, 2)
	if !ok || e >= len(s) || s[e] != '.' || (!apos && e-ms != 2) {
		return dateHit{}, false
	}
	ds := next(e + 1)
	d, e2, ok := digits(s, ds, 2)
	if !ok || (!apos && e2-ds != 2) {
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

// dateText is dateText(l.text), without looking for emphasis again.
func (l *pline) dateText() string {
	if !l.emph {
		return l.text
	}
	return dateText(l.text)
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
	return textDates(dateText(line), prevLabel, prevLabelText, buf)
}

// textDates is lineDates after its filter: s is dateText of a line that
// has date digits.
func textDates(s string, prevLabel role, prevLabelText string, buf []dateHit) []found {
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
	t := dateText(line)
	if t == "" || !labelInk(t[0]) && !hangulSyllable(t, 0) || !labelInk(t[len(t)-1]) && (len(t) < 3 || !hangulSyllable(t, len(t)-3)) {
		t = strings.TrimSpace(strings.Trim(t, " :：-|")) // else there is nothing to trim
	}
	if r, ok := labelRoles[t]; ok {
		return r, t
	}
	return roleNone, ""
}

// labelInk reports an ASCII byte that neither labelOnly's cut set nor
// strings.TrimSpace removes.
func labelInk(c byte) bool {
	return c > ' ' && c < utf8.RuneSelf && c != ':' && c != '-' && c != '|'
}

// labelRoles maps each of dateLabels' texts to its role (the first, should
// a text come twice). It is built once and never written again.
var labelRoles = func() map[string]role {
	m := make(map[string]role, len(dateLabels))
	for _, l := range dateLabels {
		if _, ok := m[l.text]; !ok {
			m[l.text] = l.role
		}
	}
	return m
}()

// historyMarkers open the part of a page that lists earlier versions
// (compared with spaces removed).
var historyMarkers = []string{
	"이전개인정보처리방침", "이전의개인정보처리방침", "이전처리방침", "이전의처리방침", "이전방침", "이전버전",
	"이전개인정보취급방침", "변경이력", "개정이력", "처리방침이력",
}

// pastWords name an earlier version when a policy noun follows them
// ("종전의 개인정보 처리방침", "과거 방침", "직전 버전"); compared with spaces
// removed. 이전 is not among them: it also means transfer (국외 이전), so only
// the historyMarkers spellings count for it.
var pastWords = []string{"종전의", "종전", "과거의", "과거", "기존의", "기존", "직전의", "직전", "지난", "변경전의", "변경전"}

// policyNouns are what may follow a pastWord.
var policyNouns = []string{"개인정보처리방침", "개인정보취급방침", "처리방침", "취급방침", "방침", "버전"}

// historyMark is a history marker found in a line: from is its byte offset;
// zone reports whether it opens a history zone (the rest of its section)
// rather than only covering its own sentence.
type historyMark struct {
	from int
	zone bool
}

// historyFrom finds the first history marker in line. The historyMarkers
// always open a zone. A pastWord followed by a policy noun opens a zone when
// its line reads like a title or a link ("과거 개인정보 처리방침 보기": short,
// no date, not a sentence); inside a sentence ("종전의 개인정보 처리방침(2023년
// 1월 1일 시행)은 …") it makes history of that sentence only.
// dd is hasDateDigits(line).
func historyFrom(line string, dd bool) (historyMark, bool) {
	// Every historyMarker holds 이전 or 이력. A pastWord matters only on a
	// line with a date (a sentence marker) or on a short one (a title marker),
	// and needs 방침 or 버전 after it: cheap filters, in that order.
	if !hasYijeonOrYiryeok(line) {
		if !(len(line) <= 30*3 || dd) ||
			!(containsSyllables(line, "방침") || containsSyllables(line, "버전")) || !hasPastStem(line) {
			return historyMark{}, false
		}
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
	ss := string(sq)
	best := historyMark{from: -1}
	for _, m := range historyMarkers {
		if i := strings.Index(ss, m); i >= 0 && (best.from < 0 || pos[i] < best.from) {
			best = historyMark{from: pos[i], zone: true}
		}
	}
	for _, w := range pastWords {
		for off := 0; ; {
			i := strings.Index(ss[off:], w)
			if i < 0 {
				break
			}
			i += off
			off = i + len(w)
			if best.from >= 0 && pos[i] >= best.from {
				break
			}
			for _, n := range policyNouns {
				if strings.HasPrefix(ss[off:], n) {
					best = historyMark{from: pos[i], zone: titleLike(line)}
					break
				}
			}
		}
	}
	return best, best.from >= 0
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

// containsSyllables reports whether line contains w, a short Hangul word. It
// looks for w's last byte, which varies from syllable to syllable, rather
// than its first, which nearly every Hangul syllable shares and which makes
// strings.Contains slow on Korean text.
func containsSyllables(line, w string) bool {
	last := w[len(w)-1]
	for i := len(w) - 1; i < len(line); {
		k := strings.IndexByte(line[i:], last)
		if k < 0 {
			return false
		}
		i += k
		if line[i+1-len(w):i+1] == w {
			return true
		}
		i++
	}
	return false
}

// hasPastStem is the cheap filter for the pastWords: a stem as written, or
// 변경 and 전 with at most a space between.
func hasPastStem(line string) bool {
	for _, w := range [...]string{"종전", "과거", "기존", "직전", "지난"} {
		if containsSyllables(line, w) {
			return true
		}
	}
	return containsSyllables(line, "변경 전") || containsSyllables(line, "변경전")
}

// titleLike reports whether a line reads like a heading or a link rather
// than a sentence: short, without a date, not ending like a sentence.
func titleLike(line string) bool {
	if utf8.RuneCountInString(line) > 30 || hasDateDigits(line) {
		return false
	}
	t := strings.TrimRight(line, " .")
	return !strings.HasSuffix(t, "다") && !strings.HasSuffix(t, "요")
}

// sentenceEnd returns the byte offset where the sentence holding line[from:]
// ends: after its first "다." (dates hold dots, so a dot alone is no end), or
// the end of the line.
func sentenceEnd(line string, from int) int {
	if i := strings.Index(line[from:], "다."); i >= 0 {
		return from + i + len("다.")
	}
	return len(line)
}

// versionWords are what a version-list line holds besides its date
// ("2023. 1. 1 시행", "- 2022년 6월 1일 적용"), with spaces removed.
var versionWords = []string{"시행", "적용", "개정", "제정", "시행본", "적용본", "개정본", "버전", "부터시행", "부터적용", "개정시행"}

// versionLine reports whether line is essentially one date and a word like
// 시행/적용/개정: an option of a select of versions or an item of a version
// list.
func versionLine(line string) bool {
	if len(line) > 60 || !hasDateDigits(line) {
		return false
	}
	s := dateText(line)
	var buf [2]dateHit
	hits := scanDates(s, buf[:0])
	if len(hits) != 1 {
		return false
	}
	const cut = " -·•○◦▪*()[]<>|:.,"
	before := strings.Trim(s[:hits[0].start], cut)
	after := strings.ReplaceAll(strings.Trim(s[hits[0].end:], cut), " ", "")
	if before != "" {
		return false
	}
	for _, w := range versionWords {
		if after == w {
			return true
		}
	}
	return false
}

// annexHeader reports whether line opens a 부칙 block: "부칙", "부 칙",
// "부칙 (2023. 1. 1.)", "<부칙 제2호>", "**부칙**"; not a sentence that
// starts with the word ("부칙에 따라 …").
func annexHeader(line string) bool {
	if len(line) > 80 || !containsSyllables(line[:min(len(line), 16)], "부") {
		return false
	}
	t := strings.TrimLeft(line, " #*_<[【〈《(")
	if !strings.HasPrefix(t, "부") {
		return false
	}
	t = strings.TrimLeft(t[len("부"):], " ")
	if !strings.HasPrefix(t, "칙") {
		return false
	}
	t = strings.TrimLeft(t[len("칙"):], " *_>]】〉》)")
	return t == "" || strings.ContainsRune("(<[【〈《", []rune(t)[0]) || isDigit(t[0]) || strings.HasPrefix(t, "제")
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
// one elsewhere; then the last occurrence in the page wins. Dates of earlier
// versions never compete: they go to History first (see historyZones), which
// is what keeps "last occurrence" from picking a past version listed after
// the current one.
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
	tables := p.tableDates()
	var best [4]*candidate
	var buf []dateHit
	prevRole, prevText := roleNone, ""
	for i := range p.front {
		// Metadata is the weakest evidence: the policy's own words win.
		l := &p.front[i]
		if r, key, d, ok := frontDate(l.text); ok {
			c := candidate{ref: DateRef{Date: d, Line: l.num, Text: l.text, Label: key}, strength: strengthMeta}
			if best[r] == nil || c.better(*best[r]) {
				best[r] = &c
			}
		}
	}
	order := 0
	skip := 0 // bytes at the start of this line that ended a date of the previous one
	for i := range p.ls {
		l := &p.ls[i]
		var fs []found
		text := l.text
		if tf, ok := tables[i]; ok {
			fs = tf
		} else if l.dd {
			fs = textDates(l.dateText(), prevRole, prevText, buf)
		}
		if skip > 0 {
			fs = slices.DeleteFunc(fs, func(f found) bool { return f.start < skip })
			skip = 0
		}
		if _, ok := tables[i]; !ok && p.continued(i, fs) {
			// A sentence the page broke with a <br>: "이 방침은 2025년 3월
			// 1일부터" / "시행됩니다." Its dates are read in the whole sentence.
			var end int
			text = l.text + " " + p.ls[i+1].text
			fs, end = joinDates(fs, lineDates(text, prevRole, prevText, nil), len(l.dateText()))
			skip = end
		}
		prevRole, prevText = labelOnly(l.text)
		if p.secOf[i] < 0 {
			continue // table of contents
		}
		inChange := p.secs[p.secOf[i]].Category == CategoryChanges
		for _, f := range fs {
			order++
			switch {
			case f.past:
				addHistory(doc, f, l)
				continue
			case f.table:
				c := candidate{
					ref:      DateRef{Date: f.d, Line: l.num, Text: l.text, Label: f.label},
					strength: f.strength, inChange: inChange, order: order,
				}
				if best[f.role] == nil || c.better(*best[f.role]) {
					best[f.role] = &c
				}
				continue
			}
			if hist[i].stale && !f.inRange {
				// An older 부칙: its dated provisions are history, the
				// other dates on it (the block's own heading) are dropped.
				if f.role != roleNone {
					addHistory(doc, f, l)
				}
				continue
			}
			if f.inRange || hist[i].covers(f.start) {
				addHistory(doc, f, l)
				continue
			}
			if f.role == roleNone {
				continue
			}
			c := candidate{
				ref:      DateRef{Date: f.d, Line: l.num, Text: text, Label: f.label},
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

// continued reports whether line i is a sentence that the page broke with a
// line break (<br>) and line i+1 goes on with it, in a way that matters for
// its dates: line i holds a date it states nothing about, or digits that may
// begin a date the break cut ("2025년" / "3월 1일부터 시행합니다"); it does not
// end a sentence; both lines are running text of the same section (no table
// row, no heading, no numbered or bulleted line next).
func (p *parser) continued(i int, fs []found) bool {
	if i+1 >= len(p.ls) || !p.ls[i].digit || p.secOf[i] < 0 || p.secOf[i+1] != p.secOf[i] {
		return false
	}
	a, b := p.ls[i].text, p.ls[i+1].text
	if strings.IndexByte(a, '|') >= 0 || strings.IndexByte(b, '|') >= 0 || len(b) > 3*maxTitleRunes*2 {
		return false
	}
	end := a // a without the punctuation that ends it
	switch a[len(a)-1] {
	case ' ', '.', '!', '?', '"', '\'', "”"[2], "’"[2]: // else no rune of the cut set ends a
		end = strings.TrimRight(a, " .!?\"'”’")
	}
	if r, _ := utf8.DecodeLastRuneInString(end); r == '다' || r == '요' || r == '까' || r == ')' {
		return false
	}
	for _, f := range fs {
		if f.role != roleNone || f.inRange {
			return false // the line says what its dates are
		}
	}
	if len(fs) > 0 {
		// A sentence with a date in it ("이 방침은 2025년 3월 1일부터"),
		// not a bare date over a line that happens to say 시행.
		return p.ls[i+1].c.st.kind == kNone && hasHangul(dateText(a)[:fs[0].start])
	}
	// No date: the line must end in a date cut short ("… 2025년", "2025.
	// 3."), whatever the next line looks like ("1.부터 적용합니다.").
	t := strings.TrimRight(dateText(a), " .")
	t = strings.TrimSuffix(t, "년")
	t = strings.TrimSuffix(t, "월")
	t = strings.TrimRight(t, " .-/")
	return len(t) > 0 && isDigit(t[len(t)-1])
}

func hasHangul(s string) bool {
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			return true
		}
	}
	return false
}

// joinDates takes the dates of a line (own) and of the line joined with the
// next (joined; the line's text is its first n bytes), and returns the
// line's dates as the whole sentence states them, with the end, in the next
// line's bytes, of a date that the line break cut (0 if none).
func joinDates(own, joined []found, n int) ([]found, int) {
	end := 0
	out := own[:0:0]
	for _, j := range joined {
		if j.start >= n {
			break // the next line's own date: read with that line
		}
		if j.end > n {
			if j.role == roleNone {
				continue
			}
			end = j.end - n - 1 // the cut date ends here in the next line
			out = append(out, j)
			continue
		}
		for _, o := range own {
			if o.start == j.start {
				if o.role == roleNone {
					o.role, o.strength, o.label = j.role, j.strength, j.label
				}
				out = append(out, o)
				break
			}
		}
	}
	return out, end
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

// histSpan is the part of a line whose dates are history: bytes from..to
// (to < 0: to the end of the line; from < 0: none). stale marks a line of an
// older 부칙 block.
type histSpan struct {
	from, to int
	stale    bool
}

func (h histSpan) covers(off int) bool {
	return h.from >= 0 && off >= h.from && (h.to < 0 || off < h.to)
}

// historyZones returns, for each line, the part whose dates are history.
// Three things make history:
//   - a marker ("이전 개인정보처리방침 보기", "변경 이력", "과거 개인정보 처리방침
//     보기"; see historyFrom) makes history of the rest of its section and that
//     section's subsections; a marker inside a sentence ("종전의 개인정보
//     처리방침(2023년 1월 1일 시행)은 …") makes history of that sentence only;
//   - a run of two or more consecutive lines that are each just a date and
//     시행/적용/개정 ("2023. 1. 1 시행": the options of a select of versions,
//     a version list) is history, all of it, the current version's line too;
//   - stacked 부칙: when several 부칙 blocks each state an effective date, the
//     block with the newest date is the current one, whichever order the page
//     writes them in, and the others are history (see staleAnnexes).
func (p *parser) historyZones() []histSpan {
	z := make([]histSpan, len(p.ls))
	for i := range z {
		z[i] = histSpan{from: -1, to: -1}
	}
	for i := 0; i < len(p.ls); i++ {
		if p.secOf[i] < 0 {
			continue
		}
		m, ok := historyFrom(p.ls[i].text, p.ls[i].dd)
		if !ok {
			continue
		}
		if !m.zone {
			z[i] = histSpan{from: m.from, to: sentenceEnd(p.ls[i].text, m.from)}
			continue
		}
		s := p.secOf[i]
		level := p.secs[s].Level
		z[i].from = m.from
		for j := i + 1; j < len(p.ls); j++ {
			if t := p.secOf[j]; t >= 0 && t != s && p.secs[t].Start == p.ls[j].num && (p.secs[t].Level <= level || level == 0) && p.secs[t].Title != "" {
				break
			}
			z[j].from = 0
			i = j
		}
	}
	// Version lists.
	for i := 0; i < len(p.ls); {
		j := i
		for j < len(p.ls) && p.secOf[j] >= 0 && p.ls[j].dd && versionLine(p.ls[j].text) {
			j++
		}
		if j-i >= 2 {
			for k := i; k < j; k++ {
				z[k] = histSpan{from: 0, to: -1}
			}
		}
		i = max(j, i+1)
	}
	p.staleAnnexes(z)
	return z
}

// staleAnnexes marks the lines of the older 부칙 blocks when a page stacks
// several, each with its effective date ("부칙 … 2024년 3월 1일부터 시행한다"
// then "부칙 (2023. 1. 1.) … 2023년 1월 1일부터 시행한다"). A block runs from
// its 부칙 line to the next one or the end of the page; its date is the
// newest effective date it states. Blocks dated before the newest are stale.
func (p *parser) staleAnnexes(z []histSpan) {
	var starts []int
	for i := range p.ls {
		if p.secOf[i] >= 0 && annexHeader(p.ls[i].text) {
			starts = append(starts, i)
		}
	}
	if len(starts) < 2 {
		return
	}
	dates := make([]Date, len(starts))
	var newest Date
	var buf []dateHit
	for b, s := range starts {
		end := len(p.ls)
		if b+1 < len(starts) {
			end = starts[b+1]
		}
		for i := s; i < end; i++ {
			if !p.ls[i].dd {
				continue
			}
			for _, f := range textDates(p.ls[i].dateText(), roleNone, "", buf) {
				if f.role == roleEffective && !f.inRange && !z[i].covers(f.start) && dates[b].Before(f.d) {
					dates[b] = f.d
				}
			}
		}
		if newest.Before(dates[b]) {
			newest = dates[b]
		}
	}
	for b, s := range starts {
		if dates[b].IsZero() || !dates[b].Before(newest) {
			continue
		}
		end := len(p.ls)
		if b+1 < len(starts) {
			end = starts[b+1]
		}
		for i := s; i < end; i++ {
			z[i].stale = true
		}
	}
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
