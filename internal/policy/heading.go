package policy

import (
	"iter"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// styleKind is the kind of marker a heading candidate starts with. Two
// headings are siblings when their styles are equal; a new style seen inside
// a section opens a deeper level.
type styleKind uint8

const (
	kNone        styleKind = iota
	kHash                  // "## title" without an inner marker (sub = number of '#')
	kArticle               // 제1조(목적), 제 1 조
	kNumDot                // 1.
	kNumParen              // 1)
	kParenNum              // (1), ⑴
	kDecimal               // 1.1, 8.2.
	kHangulDot             // 가.
	kHangulParen           // 가)
	kCircled               // ①
	kRoman                 // Ⅰ.
	kSymbol                // ■ □ ◆ ◇ ● ◎ (sub = the symbol)
	kBracket               // [..] 【..】 <..> (sub = the opening bracket)
	kBold                  // **title**
	kBullet                // - ○ o • ▶ (sub = the bullet); a heading only on evidence
	kAddenda               // 부칙
)

type style struct {
	kind styleKind
	sub  rune
}

func (k styleKind) numbered() bool {
	switch k {
	case kArticle, kNumDot, kNumParen, kParenNum, kDecimal, kHangulDot, kHangulParen, kCircled, kRoman:
		return true
	}
	return false
}

// cand is what a line would be if it were a heading.
type cand struct {
	st     style
	n      int    // number for numbered styles
	marker string // as written
	title  string
	rest   string // text after the title on the same line (body), when split
	hash   int    // number of leading '#'
	shaped bool   // the title looks like a heading: short, not a sentence
	merged bool   // a long line split into title and rest by a title phrase
}

const (
	maxTitleRunes  = 50 // numbered and '#' headings
	maxSymbolRunes = 40 // symbol, bracket and bullet headings
	// maxArticleRunes: 제N조 is an unambiguous heading marker, and the
	// standard template has long article titles ("개인정보 보호책임자의 성명
	// 또는 개인정보 업무 담당부서 및 고충사항을 처리하는 부서에 관한 사항").
	maxArticleRunes = 80
)

var hangulOrder = []rune("가나다라마바사아자차카타파하")

// classify parses a normalized line as a heading candidate.
func classify(line string) cand {
	s, hash := stripMarkdown(line)
	if s == "" || (hash == 0 && captionLine(s)) {
		return cand{}
	}
	var c cand
	if strings.HasPrefix(s, "**") || strings.HasPrefix(s, "__") {
		// "**제1조(목적)**": the marker is inside the emphasis.
		c = parseMarker(stripEmphasis(s))
		if c.st.kind == kNone {
			c = parseMarker(s)
		}
	} else {
		c = parseMarker(s)
	}
	c.hash = hash
	if hash > 0 {
		if c.st.kind == kNone || c.st.kind == kBullet {
			c = cand{st: style{kind: kHash, sub: rune('0' + hash)}, title: stripEmphasis(s), hash: hash}
		}
		if c.st.kind != kArticle {
			c.rest = ""
		}
		if !c.shaped && c.st.kind.numbered() && c.st.kind != kCircled {
			// "### 6. 개인정보의 파기 회사는 원칙적으로 …": the marked
			// heading merged with its first sentence, split as an
			// unmarked one would be, so that its key is its title.
			if title, rest, ok := splitMerged(c.title); ok {
				c.title, c.rest, c.merged = title, rest, true
			}
		}
		// The mark is the evidence: any title of reasonable length is
		// a heading.
		c.shaped = c.title != "" && (c.merged || runeCount(c.title) <= 2*maxTitleRunes)
		return c
	}
	return c
}

// trimSpace is strings.TrimSpace, without its Unicode path when both ends
// are ASCII that is no space or a Hangul syllable (nearly every title).
func trimSpace(s string) string {
	if s != "" && (inkByte(s[0]) || hangulSyllable(s, 0)) &&
		(inkByte(s[len(s)-1]) || len(s) >= 3 && hangulSyllable(s, len(s)-3)) {
		return s
	}
	return strings.TrimSpace(s)
}

// inkByte reports an ASCII byte that is no space.
func inkByte(c byte) bool {
	switch c {
	case '\t', '\n', '\v', '\f', '\r', ' ':
		return false
	}
	return c < utf8.RuneSelf
}

// runeCount is utf8.RuneCountInString, stepping over Hangul syllables
// without decoding them.
func runeCount(s string) int {
	n := 0
	for i := 0; i < len(s); n++ {
		switch c := s[i]; {
		case c < utf8.RuneSelf:
			i++
		case hangulSyllable(s, i):
			i += 3
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
	return n
}

// stripMarkdown removes block quote markers, leading '#'s (returned as a
// count) and backslash escapes.
func stripMarkdown(s string) (string, int) {
	for strings.HasPrefix(s, ">") {
		s = strings.TrimLeft(s[1:], " ")
	}
	hash := 0
	for hash < len(s) && hash < 7 && s[hash] == '#' {
		hash++
	}
	if hash > 0 && hash <= 6 && (hash == len(s) || s[hash] == ' ') {
		s = trimSpace(strings.TrimRight(s[hash:], "#"))
	} else {
		hash = 0
	}
	if strings.IndexByte(s, '\\') >= 0 {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(".()[]*_#-+!<>", s[i+1]) >= 0 {
				continue
			}
			b.WriteByte(s[i])
		}
		s = b.String()
	}
	return s, hash
}

// stripEmphasis removes markdown bold/italic markers around and inside a title.
func stripEmphasis(s string) string {
	if strings.IndexByte(s, '*') < 0 && strings.IndexByte(s, '_') < 0 {
		return trimSpace(s) // what the rest does without them
	}
	if strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "")
	}
	if strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "")
	}
	return trimSpace(strings.Trim(s, "*_ "))
}

// parseMarker reads the heading marker at the start of s. A numbered style
// is read only where the numbering grammar (NumberingLen) reads numbering:
// "1.5 배" and "3) 년" are quantities, "2.1 10" numbers, never headings.
func parseMarker(s string) cand {
	c := readMarker(s)
	if c.st.kind.numbered() && NumberingLen(s, true) == 0 {
		return cand{}
	}
	return c
}

// readMarker is parseMarker before the grammar's check: the style, number
// and title of the marker at the start of s.
func readMarker(s string) cand {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r >= '0' && r <= '9':
		return parseNumber(s)
	case r == '제':
		return parseArticle(s)
	case r == '(':
		return parseParenNum(s)
	case r >= 0x2474 && r <= 0x2487: // ⑴..⒇
		return withTitle(cand{st: style{kind: kParenNum}, n: int(r-0x2474) + 1, marker: s[:size]}, s[size:], maxTitleRunes)
	case r >= 0x2460 && r <= 0x2473: // ①..⑳
		return withTitle(cand{st: style{kind: kCircled}, n: int(r-0x2460) + 1, marker: s[:size]}, s[size:], maxTitleRunes)
	case r >= 0x2160 && r <= 0x216B: // Ⅰ..Ⅻ
		m := NumberingLen(s, true) // Ⅳ, Ⅳ., Ⅳ)
		return withTitle(cand{st: style{kind: kRoman}, n: int(r-0x2160) + 1, marker: s[:m]}, s[m:], maxTitleRunes)
	case r == '■' || r == '□' || r == '◆' || r == '◇' || r == '●' || r == '◎' || r == '◈' || r == '▣':
		return withTitle(cand{st: style{kind: kSymbol, sub: r}, marker: s[:size]}, s[size:], maxSymbolRunes)
	case r == '○' || r == '◦' || r == '•' || r == '·' || r == '▶' || r == '▷' || r == '►' || r == 'ㅇ' || r == '-' || r == '–' || r == '+':
		return withTitle(cand{st: style{kind: kBullet, sub: r}, marker: s[:size]}, s[size:], maxSymbolRunes)
	case (r == 'o' || r == '*') && len(s) > 2 && s[1] == ' ':
		if r == '*' && strings.HasPrefix(s, "**") {
			break
		}
		return withTitle(cand{st: style{kind: kBullet, sub: r}, marker: s[:1]}, s[1:], maxSymbolRunes)
	case r == '[' || r == '【' || r == '<' || r == '〈' || r == '《':
		return parseBracket(s, r, size)
	case r >= 0xAC00 && r <= 0xD7A3 && size < len(s):
		if idx := hangulIndex(r); idx > 0 {
			switch s[size] {
			case '.':
				return withTitle(cand{st: style{kind: kHangulDot}, n: idx, marker: s[:size+1]}, s[size+1:], maxTitleRunes)
			case ')':
				return withTitle(cand{st: style{kind: kHangulParen}, n: idx, marker: s[:size+1]}, s[size+1:], maxTitleRunes)
			}
		}
	}
	if strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**") && len(s) > 4 && !strings.Contains(s[2:len(s)-2], "**") {
		t := trimSpace(strings.TrimSuffix(s[2:len(s)-2], ":"))
		c := cand{st: style{kind: kBold}, title: t}
		c.shaped = shaped(t, maxSymbolRunes, false)
		return c
	}
	if s == "부칙" || s == "부 칙" || s == "<부칙>" || s == "[부칙]" {
		return cand{st: style{kind: kAddenda}, title: "부칙", shaped: true}
	}
	return cand{}
}

func parseNumber(s string) cand {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 2 || i == len(s) {
		return cand{}
	}
	n, _ := strconv.Atoi(s[:i])
	if s[i] == ' ' && i+1 < len(s) && (s[i+1] == '.' || s[i+1] == ')') && i+2 < len(s) && s[i+2] == ' ' {
		// "3 . 정보주체의 권리": a stray space before the dot.
		kind := kNumDot
		if s[i+1] == ')' {
			kind = kNumParen
		}
		return withTitle(cand{st: style{kind: kind}, n: n, marker: s[:i] + s[i+1:i+2]}, s[i+2:], maxTitleRunes)
	}
	if s[i] == '-' && i+1 < len(s) && isDigit(s[i+1]) { // 3-1. / 3-1)
		k := i + 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k-i-1 > 2 || k+1 >= len(s) || (s[k] != '.' && s[k] != ')') || s[k+1] != ' ' {
			return cand{}
		}
		m, _ := strconv.Atoi(s[i+1 : k])
		return withTitle(cand{st: style{kind: kDecimal}, n: m, marker: s[:k+1]}, s[k+1:], maxTitleRunes)
	}
	switch s[i] {
	case '.':
		j := i + 1
		if j < len(s) && s[j] >= '0' && s[j] <= '9' { // 1.1 / 8.2.
			k := j
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			if k-j > 2 {
				return cand{}
			}
			m, _ := strconv.Atoi(s[j:k])
			if k < len(s) && s[k] == '.' {
				k++
			}
			if k < len(s) && s[k] != ' ' {
				return cand{}
			}
			return withTitle(cand{st: style{kind: kDecimal}, n: m, marker: s[:k]}, s[k:], maxTitleRunes)
		}
		return withTitle(cand{st: style{kind: kNumDot}, n: n, marker: s[:i+1]}, s[i+1:], maxTitleRunes)
	case ')':
		return withTitle(cand{st: style{kind: kNumParen}, n: n, marker: s[:i+1]}, s[i+1:], maxTitleRunes)
	}
	return cand{}
}

func parseParenNum(s string) cand {
	i := 1
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 1 && i <= 3 && i < len(s) && s[i] == ')' {
		n, _ := strconv.Atoi(s[1:i])
		return withTitle(cand{st: style{kind: kParenNum}, n: n, marker: s[:i+1]}, s[i+1:], maxTitleRunes)
	}
	r, size := utf8.DecodeRuneInString(s[1:])
	if idx := hangulIndex(r); idx > 0 && 1+size < len(s) && s[1+size] == ')' {
		return withTitle(cand{st: style{kind: kHangulParen}, n: idx, marker: s[:2+size]}, s[2+size:], maxTitleRunes)
	}
	return cand{}
}

// parseArticle parses 제1조(목적) …, 제 1 조 목적, 제1조 (목적).
func parseArticle(s string) cand {
	i := len("제")
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i || j-i > 3 {
		return cand{}
	}
	n, _ := strconv.Atoi(s[i:j])
	k := j
	for k < len(s) && s[k] == ' ' {
		k++
	}
	if !strings.HasPrefix(s[k:], "조") {
		return cand{}
	}
	k += len("조")
	if k < len(s) && s[k] == '.' {
		k++ // 제1조. 개인정보의 처리목적
	}
	rest := s[k:]
	if rest != "" && rest[0] != ' ' && rest[0] != '(' && rest[0] != '[' && !strings.HasPrefix(rest, "【") && !strings.HasPrefix(rest, "（") {
		return cand{} // 제3조에 따라 …
	}
	c := cand{st: style{kind: kArticle}, n: n, marker: s[:k]}
	rest = trimSpace(rest)
	if t, after, ok := cutBracketed(rest); ok {
		c.title, c.rest = trimSpace(stripEmphasis(t)), trimSpace(after)
		c.shaped = c.title != "" && runeCount(c.title) <= maxArticleRunes
		return c
	}
	return withTitle(c, rest, maxArticleRunes)
}

// cutBracketed splits "(title) rest" into title and rest.
func cutBracketed(s string) (in, after string, ok bool) {
	open, size := utf8.DecodeRuneInString(s)
	var closer string
	switch open {
	case '(':
		closer = ")"
	case '（':
		closer = "）"
	case '[':
		closer = "]"
	case '【':
		closer = "】"
	default:
		return "", "", false
	}
	end := strings.Index(s[size:], closer)
	if end < 0 {
		return "", "", false
	}
	return s[size : size+end], s[size+end+len(closer):], true
}

func parseBracket(s string, open rune, size int) cand {
	var closer rune
	switch open {
	case '[':
		closer = ']'
	case '【':
		closer = '】'
	case '<':
		closer = '>'
	case '〈':
		closer = '〉'
	case '《':
		closer = '》'
	}
	last, lsize := utf8.DecodeLastRuneInString(s)
	if last != closer || len(s) <= size+lsize {
		return cand{}
	}
	inner := s[size : len(s)-lsize]
	if strings.ContainsRune(inner, closer) || strings.ContainsRune(inner, open) {
		return cand{}
	}
	t := trimSpace(stripEmphasis(inner))
	c := cand{st: style{kind: kBracket, sub: open}, marker: string(open) + string(closer), title: t}
	c.shaped = shaped(t, maxSymbolRunes, true)
	return c
}

func hangulIndex(r rune) int {
	for i, h := range hangulOrder {
		if h == r {
			return i + 1
		}
	}
	return 0
}

// withTitle fills the title from the text after a marker and decides whether
// it is heading-shaped or, for numbered styles, a heading merged with its
// first sentence ("5. 정보주체의 권리 … 행사방법 이용자는 …").
func withTitle(c cand, rest string, limit int) cand {
	if rest == "" {
		return cand{}
	}
	if c.st.kind != kArticle && c.st.kind != kCircled && c.st.kind != kParenNum && c.st.kind != kRoman &&
		c.st.kind != kSymbol && rest[0] != ' ' {
		// "1.개인정보" is fine, "1.5배" and "-파기절차" too, but not "o2o" or "+82".
		r, _ := utf8.DecodeRuneInString(rest)
		if r < utf8.RuneSelf && c.st.kind != kBullet {
			return cand{}
		}
		if c.st.kind == kBullet && (r < utf8.RuneSelf || c.st.sub == 'o') {
			return cand{}
		}
	}
	t := stripEmphasis(trimSpace(rest))
	if t == "" {
		return cand{}
	}
	c.title = t
	allowColon := c.st.kind == kArticle
	c.shaped = shaped(t, limit, allowColon)
	if c.st.kind == kBullet && c.shaped {
		// Conditions and enumerations are list items, not headings.
		for _, suf := range []string{"경우", "등", "것", "때"} {
			if strings.HasSuffix(t, suf) {
				c.shaped = false
			}
		}
	}
	return c
}

// shaped reports whether t looks like a heading title: short, has letters,
// is not a sentence, no "key: value", no address.
func shaped(t string, limit int, allowColon bool) bool {
	if len(t) > 3*limit {
		return false // more than limit runes even if all are Hangul
	}
	if t == "" || (len(t) > limit && runeCount(t) > limit) {
		return false // no runes, or too many (counted only when they may be)
	}
	if endsSentence(t) {
		return false
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '@':
			return false
		case ':':
			if !allowColon && trimSpace(t[i+1:]) != "" {
				return false // "key: value"
			}
		case '/':
			if strings.HasPrefix(t[i:], "//") {
				return false // a URL
			}
		}
	}
	if !allowColon {
		if i := strings.Index(t, "："); i >= 0 && trimSpace(t[i+len("："):]) != "" {
			return false
		}
	}
	if strings.Contains(t, "www.") || (!allowColon && sentenceLike(t)) {
		return false
	}
	for _, r := range t {
		if r >= 0xAC00 && r <= 0xD7A3 || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			return true
		}
	}
	return false
}

func endsSentence(t string) bool {
	if t == "" {
		return false
	}
	if strings.HasSuffix(t, "?") && !strings.Contains(t, ". ") {
		return false // a question is a common title: "무엇이 수집되는가?"
	}
	switch t[len(t)-1] {
	case ' ', '.', '!', '?', '*', '_', '"', '\'', "。"[2], "”"[2], "’"[2]:
		t = strings.TrimRight(t, " .!?。*_\"'”’")
	} // else the last byte ends no rune of the cut set: nothing to trim
	r, _ := utf8.DecodeLastRuneInString(t)
	switch r {
	case '다', '요', '까':
		return true
	}
	return containsSyllables(t, "니다") || strings.Contains(t, ". ")
}

// titlePhrases end a section title in the standard template; they let a
// numbered line that merges its title with its first sentence be split.
var titlePhrases = []string{
	"행사방법", "행사 방법", "처리 목적", "처리목적", "이용목적", "이용 목적", "보유기간", "보유 기간",
	"이용기간", "이용 기간", "파기절차", "파기 절차", "파기방법", "파기 방법", "제3자 제공", "처리위탁", "처리 위탁",
	"확보조치", "확보 조치", "보호책임자", "보호 책임자", "관리책임자", "구제방법", "구제 방법",
	"방침 변경", "방침의 변경", "고지의 의무", "수집방법", "수집 방법", "국외 이전", "거부에 관한 사항",
}

// phrasesByFirst indexes titlePhrases by their first syllable (k > 0 at
// r-0xAC00: phraseGroups[k-1] start with r); otherPhrases do not start with
// a syllable. Built once and never written again.
var phrasesByFirst, phraseGroups, otherPhrases = func() (idx *[0xD7A4 - 0xAC00]uint8, groups [][]string, other []string) {
	idx = new([0xD7A4 - 0xAC00]uint8)
	for _, p := range titlePhrases {
		r, _ := utf8.DecodeRuneInString(p)
		if r < 0xAC00 || r > 0xD7A3 {
			other = append(other, p)
			continue
		}
		if idx[r-0xAC00] == 0 {
			groups = append(groups, nil)
			idx[r-0xAC00] = uint8(len(groups))
		}
		k := idx[r-0xAC00] - 1
		groups[k] = append(groups[k], p)
	}
	return idx, groups, other
}()

// phraseEnd returns the largest i+len(p) for which s[i:] starts with p, one
// of the titlePhrases (the end of the title phrase that ends last), or -1:
// what LastIndex of each phrase would give, in one pass over s.
func phraseEnd(s string) int {
	end := -1
	for i := 0; i+2 < len(s); i++ {
		if !hangulSyllable(s, i) {
			continue
		}
		r := rune(s[i]&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
		if k := phrasesByFirst[r-0xAC00]; k > 0 {
			for _, p := range phraseGroups[k-1] {
				if i+len(p) > end && strings.HasPrefix(s[i:], p) {
					end = i + len(p)
				}
			}
		}
		i += 2
	}
	for _, p := range otherPhrases {
		if i := strings.LastIndex(s, p); i >= 0 && i+len(p) > end {
			end = i + len(p)
		}
	}
	return end
}

// splitMerged splits a long heading line at the end of the last title phrase
// in its first 40 runes, extended to the end of that word.
func splitMerged(t string) (title, rest string, ok bool) {
	window := t
	if n := 0; true {
		for i := range t {
			if n == 40 {
				window = t[:i]
				break
			}
			n++
		}
	}
	end := phraseEnd(window)
	if end < 0 {
		if title, rest, ok := splitAtSubject(t, window); ok {
			return title, rest, true
		}
		return splitAtOpen(t, window)
	}
	if end >= len(t) || t[end] != ' ' {
		// The phrase must end a word: "행사방법 이용자는", not "보유기간을".
		return splitAtOpen(t, window)
	}
	title = strings.TrimRight(t[:end], " ,:")
	rest = trimSpace(t[end:])
	if first, _, _ := strings.Cut(title, " "); subjectFirst(first) {
		return "", "", false // "회사는 … 이용 목적 달성을": a sentence, not a title
	}
	if rest == "" || !shaped(title, maxTitleRunes, false) {
		return splitAtOpen(t, window)
	}
	return title, rest, true
}

// fields yields the words of t exactly as strings.FieldsSeq does, but fast on
// Hangul: only ASCII whitespace and runes whose first byte is 0xC2, 0xE1,
// 0xE2 or 0xE3 can be Unicode spaces, and no other byte can be part of one
// (UTF-8 never repeats a lead byte inside a rune), so the rest are stepped
// over without decoding, a Hangul syllable's three bytes at a time.
func fields(t string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := -1 // start of the current word
		for i := 0; i < len(t); {
			c, size, space := t[i], 1, false
			switch c {
			case 0xEA, 0xEB, 0xEC, 0xED:
				// A lead byte of Hangul syllables: with its two
				// continuation bytes it is no space (nor is any rune, or
				// error, they decode to).
				if i+2 < len(t) && t[i+1]&0xC0 == 0x80 && t[i+2]&0xC0 == 0x80 {
					size = 3
				}
			case '\t', '\n', '\v', '\f', '\r', ' ':
				space = true
			case 0xC2, 0xE1, 0xE2, 0xE3:
				var r rune
				r, size = utf8.DecodeRuneInString(t[i:])
				space = unicode.IsSpace(r)
			}
			switch {
			case !space:
				if start < 0 {
					start = i
				}
			case start >= 0:
				if !yield(t[start:i]) {
					return
				}
				start = -1
			}
			i += size
		}
		if start >= 0 {
			yield(t[start:])
		}
	}
}

// subjectFirst reports whether w is a subject that opens sentences.
func subjectFirst(w string) bool {
	switch w {
	case "회사는", "회사가", "당사는", "이용자는", "이용자가", "회원은", "회원이", "정보주체는", "귀하는", "귀하가", "본", "이":
		return true
	}
	return false
}

// splitAtSubject splits "수집하는 개인정보 항목 회사는 다음과 같은 …" before
// the subject that opens the first sentence, when what stands before it is a
// title that names a standard topic and ends with a heading noun (or the
// subject is one that opens sentences, "회사는"), and what follows ends a
// sentence: a title of the standard template run into its first sentence.
func splitAtSubject(t, window string) (title, rest string, ok bool) {
	prev := ""
	for k := 0; k < len(window); {
		sp := strings.IndexByte(window[k:], ' ')
		if sp < 0 {
			break
		}
		w := window[k : k+sp]
		k += sp + 1
		if w == "" {
			continue
		}
		prev = w
		next := t[k:]
		nw, _, _ := strings.Cut(next, " ")
		subject := subjectFirst(nw) && nw != "본" && nw != "이"
		if !subject {
			if !(strings.HasSuffix(nw, "는") || strings.HasSuffix(nw, "은")) || runeCount(nw) < 2 {
				continue
			}
			noun := false
			for _, suf := range headingNouns {
				noun = noun || strings.HasSuffix(prev, suf)
			}
			if !noun {
				continue
			}
		}
		title, rest = trimSpace(t[:k]), trimSpace(next)
		if strings.HasSuffix(title, ":") || strings.HasSuffix(title, "：") {
			return "", "", false // "쿠키의 사용 목적 : 이용자가 …": a term and its description
		}
		if !endsSentence(rest) || !shaped(title, maxTitleRunes, false) || Classify(title) == CategoryOther {
			return "", "", false
		}
		if first, _, _ := strings.Cut(title, " "); subjectFirst(first) {
			return "", "", false
		}
		return title, rest, true
	}
	return "", "", false
}

// headingNouns end section titles.
var headingNouns = []string{"사항", "정보", "항목", "방법", "기간", "목적", "조치", "절차", "권리", "책임자", "부서", "결과", "기준"}

// splitAtOpen splits "개인정보의 파기<에그 로또>('에그 로또')은(는) 원칙적으로 …"
// at the first bracket or quote in window, when what stands before it is a
// title that names a standard topic.
func splitAtOpen(t, window string) (title, rest string, ok bool) {
	i := strings.IndexAny(window, "(<‘'「（")
	if i <= 0 {
		return "", "", false
	}
	title = trimSpace(t[:i])
	rest = trimSpace(t[i:])
	if rest == "" || strings.HasSuffix(title, ":") || strings.HasSuffix(title, "：") || // "위원회 : (국번없이) 1833": key and value
		!shaped(title, maxTitleRunes, false) || Classify(title) == CategoryOther {
		return "", "", false
	}
	return title, rest, true
}

// sentenceLike catches a sentence cut short by a hard line wrap ("회사는
// 이용자가 언제든지 쉽게 본 방침을 확인할 수 있도록 회사"): a subject that
// opens sentences ("회사는", "이용자는", "본 방침은") before three more words,
// three or more object or topic particles, or an opening "다만".
func sentenceLike(t string) bool {
	if strings.HasPrefix(t, "다만") || strings.HasPrefix(t, "단,") {
		return true
	}
	words, first, last := 0, "", ""
	n := 0 // words ending in a particle (counted in the same pass)
	for w := range fields(t) {
		if words == 0 {
			first = w
		}
		last = w
		words++
		// A particle: 를, 을, 는 (에는 too) or 은, the last syllable.
		if w = strings.TrimRight(w, ","); len(w) >= 3 && w != "또는" {
			switch w[len(w)-3:] {
			case "를", "을", "는", "은":
				n++
			}
		}
	}
	if words < 4 {
		return false
	}
	// A title ends with the noun it is about ("이용자가 직접 제공하는 정보",
	// "… 처리하는 부서에 관한 사항"); a cut sentence rarely does.
	for _, suf := range headingNouns {
		if strings.HasSuffix(last, suf) {
			return false
		}
	}
	if subjectFirst(first) {
		return true
	}
	return n >= 3
}

// captionLine reports a table's caption by its form: "[표 1] 수집 항목",
// "<표 2>", "〈표 3〉 위탁 현황", "표 4. 보유 기간", "[Table 1]". A caption
// names the table under it, never a section.
func captionLine(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '[', '<', '(', ' ', 'T', 0xE3, 0xED: // 0xE3 starts 〈, 【 and 《; 0xED starts 표
	default:
		return false // nothing to trim, and neither 표 nor Table
	}
	t := strings.TrimLeft(s, "[<〈【(《 ")
	switch {
	case strings.HasPrefix(t, "표"):
		t = t[len("표"):]
	case strings.HasPrefix(t, "Table "), strings.HasPrefix(t, "TABLE "):
		t = t[len("Table"):]
	default:
		return false
	}
	t = strings.TrimLeft(t, " ")
	n := 0
	for n < len(t) && (isDigit(t[n]) || (n > 0 && t[n] == '-')) {
		n++
	}
	if n == 0 || n > 5 {
		return false
	}
	if n == len(t) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(t[n:])
	return strings.ContainsRune("]>〉】)》.: ", r)
}

// tableCaption reports whether line i stands as the caption of the table
// right under it: the next line is a table row and the line before it
// introduces a table ("… 다음과 같습니다.", "… 아래와 같이 위탁하고 있습니다:",
// "아래 표와 같이"), so the line between names the table, not a section.
func (p *parser) tableCaption(i int) bool {
	if i == 0 || i+1 >= len(p.ls) || strings.IndexByte(p.ls[i].text, '|') >= 0 || !strings.Contains(p.ls[i+1].text, " | ") {
		return false
	}
	prev := p.ls[i-1].text
	if strings.HasSuffix(prev, ":") || strings.HasSuffix(prev, "：") {
		return true
	}
	return containsAny(prev, []string{"다음과 같", "아래와 같", "아래 표", "다음 표", "아래의 표", "다음의 표", "표와 같"})
}
