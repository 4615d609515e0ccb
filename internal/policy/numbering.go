package policy

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file owns the numbering grammar: which text at the start of a line is
// a list or section number ("1.", "1)", "1-1.", "1.2.", "3 . ", "(1)",
// "(가)", "[1]", "<1>", "가.", "가)", "①", "⑴", "㉠", "❶", "Ⅳ.",
// "제3조", "제 3 조", "제3조의2", "제1장"). The heading parser reads its
// numbered styles within it (see TestParserNumberingIsTheGrammar), and the
// diff uses it to make renumbering cosmetic.

// NumberingLen returns the length in bytes of the one numbering marker at the
// start of s, or 0 when s does not start with one. It reads a single marker:
// in "1. ① 이름" or "제15조 제1항" only the first number is numbering, the
// rest is text. A number followed by a unit of measure is a quantity, not a
// marker ("1.5 배", "(14) 세", "3) 년", "10%"), and a bare number ending the
// line is text.
//
// heading selects the article rule. In body text 제N조 (and 장, 절, 항, 호,
// 관) is numbering only when a bracket or the end of the line follows it
// ("제3조(목적)"): "제15조 제1항에 따라" is a legal reference, and changing
// it is a substantive edit. In a heading's title any space, bracket or "."
// may follow ("제3조 목적", "제1장. 총칙").
func NumberingLen(s string, heading bool) int {
	if s == "" {
		return 0
	}
	r, size := utf8.DecodeRuneInString(s)
	rest := s[size:]
	switch {
	case circledNumber(r):
		return size
	case r >= '0' && r <= '9':
		return numberMarker(s)
	case r == '(' || r == '[' || r == '<' || r == '【' || r == '〔':
		return bracketMarker(s, size)
	case r == '제':
		return articleMarker(s, heading)
	case r >= 'Ⅰ' && r <= 'ↈ':
		n := size
		for n < len(s) {
			r2, s2 := utf8.DecodeRuneInString(s[n:])
			if !(r2 >= 'Ⅰ' && r2 <= 'ↈ') {
				break
			}
			n += s2
		}
		if n < len(s) && (s[n] == '.' || s[n] == ')') {
			n++
		}
		return n
	case hangulIndex(r) > 0:
		if len(rest) > 0 && (rest[0] == '.' || rest[0] == ')') {
			return size + 1
		}
	}
	return 0
}

// ListLetterIndex returns the place (1 for 가, 2 for 나, ...) of a Hangul
// letter that numbers lists in the numbering grammar ("가.", "나)", "(다)"),
// or 0 when r numbers none.
func ListLetterIndex(r rune) int { return hangulIndex(r) }

// circledNumber reports enumerators such as ①, ⑴, ⒜, ㉠, ❶. They are
// numbering only at the start of a line; elsewhere they are text ("①항").
func circledNumber(r rune) bool {
	return r >= '①' && r <= '⒵' || r >= '㉠' && r <= '㉻' || r >= '❶' && r <= '➓'
}

// quantityUnits are the words that make a number a quantity rather than
// numbering ("1.5 배", "(14) 세", "[3] 년"); quantitySuffixes are the
// particles and endings they take ("년간", "세 미만" reads "세").
var (
	quantityUnits = [...]string{
		"개년", "개월", "년도", "년", "월", "주", "일", "시간", "분", "초", "세", "배", "회", "번", "차",
		"명", "건", "개", "원", "만원", "천원", "억원", "만", "천", "억", "퍼센트", "프로",
		"이상", "이하", "미만", "초과", "이내",
	}
	quantitySuffixes = [...]string{
		"", "간", "째", "씩", "당", "분", "마다", "까지", "부터", "동안", "이내", "이상", "이하", "미만", "초과",
		"이", "가", "을", "를", "은", "는", "의", "에", "로", "으로", "간의", "간을", "간은", "간에",
	}
)

// unitStarts holds the first syllable of each of quantityUnits. Built once
// and never written again.
var unitStarts = func() *syllableSet {
	s := new(syllableSet)
	for _, u := range quantityUnits {
		if !hangulSyllable(u, 0) {
			panic("policy: a quantity unit that does not start with a Hangul syllable: " + u)
		}
		s.add(syllableAt(u, 0))
	}
	return s
}()

// syllableSet is a set of Hangul syllables (U+AC00..U+D7A3).
type syllableSet [(0xD7A4 - 0xAC00 + 7) / 8]uint8

func (s *syllableSet) add(r rune)      { s[(r-0xAC00)/8] |= 1 << ((r - 0xAC00) % 8) }
func (s *syllableSet) has(r rune) bool { return s[(r-0xAC00)/8]&(1<<((r-0xAC00)%8)) != 0 }

// syllableAt decodes the Hangul syllable at s[i:i+3] (see hangulSyllable).
func syllableAt(s string, i int) rune {
	return rune(s[i]&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
}

// quantityFollows reports whether s (what follows a number) starts, after
// spaces, with a unit of measure or a percent sign: then the number is a
// quantity, not a list marker.
func quantityFollows(s string) bool {
	s = s[skipSpaces(s, 0):]
	if strings.HasPrefix(s, "%") || strings.HasPrefix(s, "％") {
		return true
	}
	end := 0
	for end < len(s) {
		if hangulSyllable(s, end) { // a letter
			end += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[end:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) || r == 'ㆍ' {
			break
		}
		end += size
	}
	word := s[:end]
	if word == "" || word[0] < utf8.RuneSelf {
		return false // units are Hangul
	}
	if !hangulSyllable(word, 0) || !unitStarts.has(syllableAt(word, 0)) {
		return false // no unit starts with its first syllable
	}
	for _, u := range quantityUnits {
		if rest, ok := strings.CutPrefix(word, u); ok && slices.Contains(quantitySuffixes[:], rest) {
			return true
		}
	}
	return false
}

// numberMarker matches "1.", "1)", "1-1.", "1.2.", "1.2 " and "3 . " at the
// start of s, unless a unit of measure follows ("1.5 배", "3) 년").
func numberMarker(s string) int {
	n := 0
	groups := 0
	for {
		d := 0
		for n < len(s) && isDigit(s[n]) {
			n++
			d++
		}
		if d == 0 || d > 3 {
			return 0
		}
		groups++
		if n >= len(s) {
			return 0 // a bare number ends the line: it is text
		}
		switch s[n] {
		case ')':
			return unlessQuantity(s, n+1)
		case '.', '-':
			if n+1 < len(s) && isDigit(s[n+1]) {
				n++
				continue
			}
			if s[n] == '.' {
				return unlessQuantity(s, n+1)
			}
			return 0
		case ' ':
			// "1.2 제목" is numbering, "1.5 배" and "2.1 10" are numbers.
			if groups > 1 && (n+1 >= len(s) || !isDigit(s[n+1])) {
				return unlessQuantity(s, n)
			}
			// "3 . 정보주체의 권리": a stray space before the dot.
			if groups == 1 && n+2 < len(s) && (s[n+1] == '.' || s[n+1] == ')') && s[n+2] == ' ' {
				return unlessQuantity(s, n+2)
			}
			return 0
		default:
			return 0
		}
	}
}

// unlessQuantity returns n, the length of a marker at the start of s, or 0
// when a unit of measure follows it.
func unlessQuantity(s string, n int) int {
	if quantityFollows(s[n:]) {
		return 0
	}
	return n
}

// bracketMarker matches "(1)", "(가)", "[1]", "<1>" at the start of s,
// unless a unit of measure follows ("(14) 세").
func bracketMarker(s string, open int) int {
	closeAt := -1
	for i, r := range s[open:] {
		if r == ')' || r == ']' || r == '>' || r == '】' || r == '〕' {
			closeAt = open + i
			break
		}
		if i > 6 {
			return 0
		}
	}
	if closeAt < 0 {
		return 0
	}
	inner := s[open:closeAt]
	if inner == "" {
		return 0
	}
	digits := strings.Trim(inner, "0123456789") == ""
	letter := utf8.RuneCountInString(inner) == 1 && hangulIndex([]rune(inner)[0]) > 0
	if !digits && !letter {
		return 0
	}
	_, sz := utf8.DecodeRuneInString(s[closeAt:])
	return unlessQuantity(s, closeAt+sz)
}

// articleMarker matches "제3조", "제3조의2", "제 3 장" (also 절, 항, 호, 관)
// when a bracket ("제3조(목적)", "제3조 【목적】") or the end of the line
// follows: "제15조 제1항에 따라" and "제1조 본 방침은" are text. In a heading
// any space or "." may follow too ("제3조 목적", "제1장. 총칙").
func articleMarker(s string, heading bool) int {
	n := skipSpaces(s, len("제"))
	d := n
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == d {
		return 0
	}
	n = skipSpaces(s, n)
	matched := false
	for _, unit := range []string{"조", "장", "절", "항", "호", "관"} {
		if strings.HasPrefix(s[n:], unit) {
			n += len(unit)
			matched = true
			break
		}
	}
	if !matched {
		return 0
	}
	if strings.HasPrefix(s[n:], "의") {
		m := n + len("의")
		k := m
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > m {
			n = k
		}
	}
	bracket := func(x string) bool {
		return x != "" && (x[0] == '(' || x[0] == '[' || strings.HasPrefix(x, "【") || strings.HasPrefix(x, "〔") || strings.HasPrefix(x, "（"))
	}
	if heading {
		if n == len(s) || s[n] == ' ' || s[n] == '.' || bracket(s[n:]) {
			if n < len(s) && s[n] == '.' {
				n++
			}
			return n
		}
		return 0
	}
	if k := skipSpaces(s, n); k == len(s) || bracket(s[k:]) {
		return n
	}
	return 0
}
