package board

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/monitord/monitord/internal/policy"
)

// cellLabels are the words a list page puts beside a post's date.
var cellLabels = []string{
	"작성일자", "등록일자", "게시일자", "작성일", "등록일", "게시일", "날짜", "일자", "작성", "등록", "게시",
	"오전", "오후", "date", "posted", "written", "am", "pm",
}

// months are the English month names the policy grammar reads in dates.
var months = []string{
	"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}

// dateCell reports whether a text node of a list is a post's date (only a
// date, perhaps with a label such as "등록일" and a time) and returns it.
// The board shorthands "MM-DD" (this year; last year when that is ahead of
// today), "YY-MM-DD" and "HH:MM" (today) are read here; every other form by
// policy.FindDates, the one date grammar.
func dateCell(s string, today policy.Date) (policy.Date, bool) {
	s = policy.Normalize(s)
	if s == "" || utf8.RuneCountInString(s) > maxDateCell || !onlyDateWords(s) {
		return policy.Date{}, false
	}
	if refs := policy.FindDates(s); len(refs) == 1 {
		return refs[0].Date, true
	} else if len(refs) > 1 {
		return policy.Date{}, false
	}
	return shorthand(s, today)
}

// onlyDateWords reports whether s holds nothing but digits, date
// punctuation, 년/월/일, month names and the labels of a date cell.
func onlyDateWords(s string) bool {
	rest := strings.ToLower(s)
	for _, w := range cellLabels {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	for _, w := range months {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	digits := 0
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '년' || r == '월' || r == '일' || r == '시' || r == '분':
		case unicode.IsSpace(r) || strings.ContainsRune(".,/-:()[]|~·", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// shorthand reads the list-only forms: "MM-DD", "MM.DD", "YY-MM-DD" and
// "HH:MM" (a post of today).
func shorthand(s string, today policy.Date) (policy.Date, bool) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if len(f) == 0 || today.IsZero() {
		return policy.Date{}, false
	}
	num := func(x string) int {
		n := 0
		for _, c := range x {
			n = n*10 + int(c-'0')
		}
		return n
	}
	switch {
	case len(f) == 2 && strings.Contains(s, ":") && len(f[0]) <= 2 && len(f[1]) == 2:
		if h, m := num(f[0]), num(f[1]); h < 24 && m < 60 {
			return today, true
		}
	case len(f) >= 2 && len(f) <= 4 && strings.Contains(s, ":") && len(f[0]) <= 2 && len(f[1]) <= 2 && strings.Index(s, ":") > strings.IndexAny(s, "-./"):
		// "11-20 14:22": month-day and a time.
		return monthDay(num(f[0]), num(f[1]), today)
	case len(f) == 2 && len(f[0]) <= 2 && len(f[1]) <= 2:
		return monthDay(num(f[0]), num(f[1]), today)
	case len(f) == 3 && len(f[0]) == 2 && len(f[1]) <= 2 && len(f[2]) <= 2:
		if d, ok := policy.NewDate(2000+num(f[0]), time.Month(num(f[1])), num(f[2])); ok {
			return d, true
		}
	}
	return policy.Date{}, false
}

func monthDay(m, d int, today policy.Date) (policy.Date, bool) {
	date, ok := policy.NewDate(today.Year, time.Month(m), d)
	if !ok {
		return policy.Date{}, false
	}
	if today.Before(date) {
		date, ok = policy.NewDate(today.Year-1, time.Month(m), d)
	}
	return date, ok
}

// timeElement reads <time datetime="2026-11-13T09:00:00+09:00"> (WordPress,
// Rhymix skins).
func timeElement(n *html.Node) (policy.Date, bool) {
	v := strings.TrimSpace(attr(n, "datetime"))
	if len(v) < 10 {
		return policy.Date{}, false
	}
	d, err := policy.ParseISO(v[:10])
	return d, err == nil
}
