package policy

import (
	"strings"
	"unicode/utf8"
)

// period is a notice period found in a line: "7일 전", "최소 30일 전",
// "7일(이용자에게 불리한 경우 30일) 전".
type period struct {
	days      int
	important bool
	at        int // byte offset in the line
}

// importantWords mark the longer notice period a policy promises for
// important or adverse changes.
var importantWords = []string{"중요", "중대", "불리", "주요한", "material", "significant", "important", "adverse"}

// findPeriods returns the notice periods stated in line, in order.
func findPeriods(line string) []period {
	var out []period
	from := 0 // the context of a period starts after the previous one
	for i := 0; i < len(line); {
		c := line[i]
		if !isDigit(c) {
			if strings.HasPrefix(line[i:], "일주일") || strings.HasPrefix(line[i:], "한 달") || strings.HasPrefix(line[i:], "한달") {
				n, unit := 7, "일주일"
				if line[i] != "일"[0] || !strings.HasPrefix(line[i:], "일주일") {
					n = 30
					unit = "한 달"
					if strings.HasPrefix(line[i:], "한달") {
						unit = "한달"
					}
				}
				if end, ok := beforeWord(line, i+len(unit)); ok {
					out = append(out, period{days: n, important: importantBefore(line, from, i), at: i})
					from = i
					i = end
					continue
				}
			}
			i++
			continue
		}
		if i > 0 && (isDigit(line[i-1]) || line[i-1] == '.') {
			i++
			continue
		}
		n, e, ok := digits(line, i, 3)
		if !ok {
			for i < len(line) && isDigit(line[i]) {
				i++
			}
			continue
		}
		k := skipSpaces(line, e)
		mult := 0
		switch {
		case strings.HasPrefix(line[k:], "일"):
			mult, k = 1, k+len("일")
		case strings.HasPrefix(line[k:], "주일"):
			mult, k = 7, k+len("주일")
		case strings.HasPrefix(line[k:], "주"):
			mult, k = 7, k+len("주")
		case strings.HasPrefix(line[k:], "개월"):
			mult, k = 30, k+len("개월")
		case strings.HasPrefix(line[k:], "days"):
			mult, k = 1, k+len("days")
		case strings.HasPrefix(line[k:], "weeks"):
			mult, k = 7, k+len("weeks")
		}
		if mult == 0 || n == 0 || n*mult > 366 || monthBefore(line, i) {
			i = e
			continue
		}
		days := n * mult
		// "7일(이용자에게 불리한 경우 30일) 전"
		var inner *period
		if kk := skipSpaces(line, k); kk < len(line) && (line[kk] == '(' || strings.HasPrefix(line[kk:], "（")) {
			close := strings.IndexAny(line[kk:], ")）")
			if close > 0 {
				in := line[kk : kk+close]
				for _, q := range findInner(in) {
					if containsAny(in, importantWords) {
						inner = &period{days: q, important: true, at: kk}
					}
				}
				k = kk + close + 1
				if line[kk+close] != ')' {
					k = kk + close + len("）")
				}
			}
		}
		end, ok := beforeWord(line, k)
		if !ok && postedBefore(line, i) {
			end, ok = afterWord(line, k)
		}
		if ok {
			out = append(out, period{days: days, important: importantBefore(line, from, i), at: i})
			from = i
			if inner != nil {
				out = append(out, *inner)
			}
			i = end
			continue
		}
		i = e
	}
	return out
}

// postingStems are the verbs of making a change known: a period counted
// from them is a notice period ("게시한 날로부터 7일 후부터 효력이 발생").
var postingStems = []string{"게시", "공지", "고지", "공고", "통지", "공시"}

// postedBefore reports whether the period at s[i] is counted from the
// posting of the change: the words just before it are a posting stem and
// "(한 날로)부터" or "(한) 후" ("게시한 날로부터 7일", "공지일로부터 7일",
// "홈페이지에 공지 후 7일"). A period counted from anything else (탈퇴 후
// 30일, 수집일로부터 1년) is not a promise.
func postedBefore(s string, i int) bool {
	t := strings.TrimRight(s[:i], " ")
	var rest string
	switch {
	case strings.HasSuffix(t, "부터"):
		rest = strings.TrimSuffix(t, "부터")
		rest = strings.TrimSuffix(rest, "으로")
		rest = strings.TrimSuffix(rest, "로")
		for _, w := range []string{"날", "일", "때", "시점"} {
			if strings.HasSuffix(rest, w) {
				rest = strings.TrimSuffix(rest, w)
				break
			}
		}
	case strings.HasSuffix(t, "이후"):
		rest = strings.TrimSuffix(t, "이후")
	case strings.HasSuffix(t, "후"):
		rest = strings.TrimSuffix(t, "후")
	default:
		return false
	}
	rest = strings.TrimRight(rest, " ")
	for _, w := range []string{"한", "된", "하는", "되는"} {
		if strings.HasSuffix(rest, w) {
			rest = strings.TrimRight(strings.TrimSuffix(rest, w), " ")
			break
		}
	}
	for _, w := range postingStems {
		if strings.HasSuffix(rest, w) {
			return true
		}
	}
	return false
}

// afterWord reports whether a word for "after" or "once passed" follows a
// period at s[k:] (after spaces): "7일 후부터", "7일이 경과한 날부터", "7일이
// 지난 후", "7일 경과 후".
func afterWord(s string, k int) (int, bool) {
	k = skipSpaces(s, k)
	for _, w := range []string{"이 경과한", "이 경과된", "이 경과하는", "이 지난", "가 지난", "경과 후", "경과한", "경과된", "지난", "이후", "후", "뒤", "after"} {
		if strings.HasPrefix(s[k:], w) {
			return k + len(w), true
		}
	}
	return k, false
}

// findInner returns the day counts written inside a parenthesis.
func findInner(s string) []int {
	var out []int
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			continue
		}
		n, e, ok := digits(s, i, 3)
		if ok && strings.HasPrefix(s[skipSpaces(s, e):], "일") && n > 0 && n <= 366 {
			out = append(out, n)
		}
	}
	return out
}

// beforeWord reports whether "전"/"이전"/"前" follows at s[k:] (after spaces).
func beforeWord(s string, k int) (int, bool) {
	k = skipSpaces(s, k)
	for _, w := range []string{"전", "이전", "前", "이상 전", "앞서", "before", "prior", "in advance", "ahead"} {
		if strings.HasPrefix(s[k:], w) {
			return k + len(w), true
		}
	}
	return k, false
}

// monthBefore reports a date like "3월 1일 전", which is not a period.
func monthBefore(s string, i int) bool {
	t := strings.TrimRight(s[:i], " ")
	return strings.HasSuffix(t, "월") || strings.HasSuffix(t, "년")
}

// importantBefore reports whether the sentence before offset i, after the
// previous period at from, speaks of important or adverse changes.
func importantBefore(s string, from, i int) bool {
	start := strings.LastIndex(s[:i], ". ")
	if start < from {
		start = from
	}
	return containsAny(s[start:i], importantWords)
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// sentenceAt returns the sentence of line around byte offset i.
func sentenceAt(line string, i int) string {
	start := strings.LastIndex(line[:i], ". ")
	if start < 0 {
		start = 0
	} else {
		start += 2
	}
	end := strings.Index(line[i:], ". ")
	if end < 0 {
		end = len(line)
	} else {
		end += i + 1
	}
	return strings.TrimSpace(line[start:end])
}

// changeWords and noticeWords find a promise outside a change section: a
// line that speaks of changing the policy and of telling users.
var (
	changeWords = []string{"변경", "개정", "change", "update"}
	noticeWords = []string{"고지", "공지", "알리", "알려", "게시", "안내", "통지", "notif", "notice", "announce", "post"}
)

// promise reads the notice period the policy promises in its change section.
// When the page has no change section, any line that speaks of changing the
// policy and of notifying users counts.
func (p *parser) promise(doc *Document) {
	var ordinary, important *period
	var oLine, iLine *pline
	scan := func(i int) {
		l := &p.ls[i]
		if !mayHavePeriod(l.text) {
			return
		}
		for _, q := range findPeriods(l.text) {
			q := q
			if q.important {
				if important == nil {
					important, iLine = &q, l
				}
			} else if ordinary == nil {
				ordinary, oLine = &q, l
			}
		}
	}
	inChange := false
	for i := range p.ls {
		if s := p.secOf[i]; s >= 0 && p.secs[s].Category == CategoryChanges {
			inChange = true
			scan(i)
		}
	}
	if !inChange {
		for i := range p.ls {
			// Cheapest test first: a period outside the change section
			// is written with digits ("7일 전").
			t := p.ls[i].text
			if p.ls[i].digit && containsAny(t, changeWords) && mayHavePeriod(t) && containsAny(t, noticeWords) {
				scan(i)
			}
		}
	}
	if ordinary == nil && important == nil {
		return
	}
	pr := &Promise{}
	switch {
	case ordinary != nil:
		pr.Days, pr.Line, pr.Text = ordinary.days, oLine.num, sentenceAt(oLine.text, ordinary.at)
		if important != nil {
			pr.ImportantDays = important.days
			if iLine != oLine || sentenceAt(iLine.text, important.at) != pr.Text {
				pr.Text += " " + sentenceAt(iLine.text, important.at)
			}
		}
	default:
		pr.ImportantDays, pr.Line, pr.Text = important.days, iLine.num, sentenceAt(iLine.text, important.at)
	}
	doc.Promise = pr
}

// mayHavePeriod is the cheap filter before findPeriods, in one pass over
// the bytes: a period needs a digit (or 일주일 / 한 달) and a word for
// "before" (전, 前, 앞서; before, prior, in advance, ahead) or, counted from
// the posting, for "after" (후, 경과, 지난, 뒤).
func mayHavePeriod(s string) bool {
	num, before := false, false
	for i := 0; i < len(s) && !(num && before); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if isDigit(c) {
				num = true
			} else if c == 'b' || c == 'p' || c == 'a' {
				r := s[i:]
				if strings.HasPrefix(r, "before") || strings.HasPrefix(r, "prior") || strings.HasPrefix(r, "advance") || strings.HasPrefix(r, "ahead") {
					before = true
				}
			}
			i++
			continue
		case c >= 0xE0 && i+2 < len(s):
			switch b1, b2 := s[i+1], s[i+2]; {
			case c == 0xEC && b1 == 0xA3 && b2 == 0xBC, c == 0xEB && b1 == 0x8B && b2 == 0xAC: // 주, 달
				num = true
			case c == 0xEC && b1 == 0xA0 && b2 == 0x84, c == 0xEC && b1 == 0x95 && b2 == 0x9E, c == 0xE5 && b1 == 0x89 && b2 == 0x8D: // 전, 앞, 前
				before = true
			case c == 0xED && b1 == 0x9B && b2 == 0x84, c == 0xEA && b1 == 0xB2 && b2 == 0xBD, c == 0xEC && b1 == 0xA7 && b2 == 0x80, c == 0xEB && b1 == 0x92 && b2 == 0xA4: // 후, 경(과), 지(난), 뒤: a period after posting
				before = true
			}
			i += 3
			continue
		}
		i++
	}
	return num && before
}
