package diff

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/monitord/monitord/internal/policy"
)

// This file owns what the diff treats as cosmetic. A section's text is first
// put in display form (normLine: the extractor's Unicode normaliser, empty
// lines dropped), then cut into tokens. A
// token is a word (letters, digits and marks), one punctuation rune, or a
// masked date. Whitespace, line breaks, the list marker at the start of a line
// (bullets, then at most one number as the parser's numbering grammar,
// policy.NumberingLen, reads it: "1.", "가.", "①", "- ", "■", "o",
// "제3조(목적)"), the markers of a list run on inside a line ("1. 이름 2. 주소",
// see inlineList), the part after a line break of a date the break cut (see
// cutDate), Markdown emphasis and horizontal rules are not tokens: they are
// glued to the token that follows and never compared. Numbers that are
// text stay tokens: legal references ("제15조 제1항"), quantities ("(14) 세"),
// circled numbers inside a line ("①항"); two numbers side by side never
// merge in comparison ("1 0년" is not "10년"). Each token has a key (width folded, punctuation variants unified)
// that the diff compares; its display text is what people see.

// dateKey is the key of a date masked out of a date line.
const dateKey = "\u2039date\u203a"

// token is one comparable unit of a section's display text. Its display is
// text[start:end] where end is the next token's start (or the end of text):
// ignorable text before a token on its line belongs to it, a line break to the
// token before it, ignorable text after the last token to the last token.
type token struct {
	key      string
	start    int // first byte of the token's display (ignorables included)
	keyStart int // first byte of the token proper
	keyEnd   int // end of the token proper
}

// tokenized is a text and its tokens.
type tokenized struct {
	text string
	toks []token
}

// span returns the display text of tokens [i, j).
func (t *tokenized) span(i, j int) string {
	return t.text[t.off(i):t.off(j)]
}

// off returns the byte offset where token i's display starts (len(text) for
// i == len(toks)).
func (t *tokenized) off(i int) int {
	if i >= len(t.toks) {
		return len(t.text)
	}
	if i == 0 {
		return 0
	}
	return t.toks[i].start
}

// sepStart returns where the separator before token i starts: the end of
// token i-1 proper (0 for the first token).
func (t *tokenized) sepStart(i int) int {
	if i == 0 || len(t.toks) == 0 {
		return 0
	}
	return t.toks[i-1].keyEnd
}

// sepEnd returns where the separator after token j-1 ends: the start of token
// j proper (the end of text after the last token).
func (t *tokenized) sepEnd(j int) int {
	if j >= len(t.toks) {
		return len(t.text)
	}
	return t.toks[j].keyStart
}

// compact returns the concatenated keys of tokens [i, j): equal compacts mean
// the spans differ only cosmetically.
func (t *tokenized) compact(i, j int) string {
	n := 0
	for _, tk := range t.toks[i:j] {
		n += len(tk.key)
	}
	var b strings.Builder
	b.Grow(n + 8)
	prev := ""
	for _, tk := range t.toks[i:j] {
		// Two numbers side by side stay apart: "1 0년" is not "10년".
		if digitEnd(prev) && digitStart(tk.key) {
			b.WriteByte(' ')
		}
		b.WriteString(tk.key)
		prev = tk.key
	}
	return b.String()
}

// digitEnd reports a key that ends with a digit.
func digitEnd(k string) bool {
	if k == "" {
		return false
	}
	if c := k[len(k)-1]; c < utf8.RuneSelf {
		return c >= '0' && c <= '9'
	}
	r, _ := utf8.DecodeLastRuneInString(k)
	return unicode.IsDigit(r)
}

// digitStart reports a key that starts with a digit.
func digitStart(k string) bool {
	if k == "" {
		return false
	}
	if c := k[0]; c < utf8.RuneSelf {
		return c >= '0' && c <= '9'
	}
	r, _ := utf8.DecodeRuneInString(k)
	return unicode.IsDigit(r)
}

// normLine returns a line in display form: the one Unicode normaliser
// (policy.Normalize, which is the extractor's), so that the diff compares
// text on the terms it was written and parsed on.
func normLine(s string) string { return policy.Normalize(s) }

// normText returns lines in display form joined by "\n", empty lines dropped.
func normText(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		// A body line may itself hold line breaks (from a crude parser).
		for part := range strings.SplitSeq(l, "\n") {
			p := normLine(part)
			if p == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(p)
		}
	}
	return b.String()
}

// maskMode says which date expressions become the date key.
type maskMode int

const (
	maskNone  maskMode = iota // no masking
	maskLines                 // dates on the lines listed in tokenizer.dateLines
	maskAll                   // every date (used to check an applied change)
)

// tokenizer cuts display text into tokens.
type tokenizer struct {
	mode      maskMode
	dateLines map[string]bool // display lines whose dates are all masked (maskLines)
	dates     map[string]bool // dates (YYYY-MM-DD) masked wherever they are written (maskLines)
}

// tokenize returns the tokens of a display text (lines joined by "\n").
func (z tokenizer) tokenize(text string) *tokenized {
	t := &tokenized{text: text, toks: make([]token, 0, len(text)/4)}
	lineStart := 0
	var spans []span // of the line at lineStart, when the line before worked them out
	ahead := false
	for lineStart <= len(text) {
		end := lineEnd(text, lineStart)
		line := text[lineStart:end]
		if !ahead {
			spans = z.spans(line)
		}
		ahead = false
		var next []span
		if end < len(text) {
			nextLine := text[end+1 : lineEnd(text, end+1)]
			if tail, ok := z.cutDate(line, nextLine); ok && !straddles(spans, tail.start) {
				next, ahead = z.spans(nextLine), true
				if !overlaps(next, 0, tail.end-len(line)-1) {
					// The date becomes one token, on the line it starts on
					// (in place of a shorter date read there alone: a
					// weekday after the break); its part after the break
					// none.
					spans = slices.DeleteFunc(spans, func(s span) bool { return s.start >= tail.start })
					spans = append(spans, span{tail.start, len(line), dateKey})
					next = insertSpan(next, span{0, tail.end - len(line) - 1, ""})
				}
			}
		}
		z.tokenizeLine(t, text, lineStart, end, spans)
		spans = next
		lineStart = end + 1
	}
	if len(t.toks) > 0 {
		t.toks[0].start = 0
	}
	return t
}

// lineEnd returns the end of the line of text that starts at from.
func lineEnd(text string, from int) int {
	if end := strings.IndexByte(text[from:], '\n'); end >= 0 {
		return from + end
	}
	return len(text)
}

// cutDate finds a date that a line break cut: it starts in line and ends in
// next, read as the parser reads a sentence broken by <br> (the two lines
// joined by a space; see policy's continued). It returns the date's span in
// that joined text, when the date is masked: every date (maskAll), or under
// maskLines a date of the document, or any date on a date line. Table rows
// are never joined.
func (z tokenizer) cutDate(line, next string) (span, bool) {
	if z.mode == maskNone || line == "" || next == "" || !hasDigit(line) && !hasDigit(next) ||
		strings.IndexByte(line, '|') >= 0 || strings.IndexByte(next, '|') >= 0 {
		return span{}, false
	}
	joined := line + " " + next
	for _, d := range policy.ScanDates(joined) {
		if d.Start >= len(line) {
			break
		}
		if d.End <= len(line)+1 {
			continue // a date of line alone
		}
		if z.mode == maskAll || z.dates[d.Date.String()] || z.dateLines[line] || z.dateLines[next] {
			return span{d.Start, d.End, dateKey}, true
		}
		return span{}, false
	}
	return span{}, false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

// insertSpan adds s to spans, kept in order of start.
func insertSpan(spans []span, s span) []span {
	i, _ := slices.BinarySearchFunc(spans, s.start, func(a span, start int) int { return a.start - start })
	return slices.Insert(spans, i, s)
}

// tokenizeLine appends the tokens of text[from:to], a single line, whose
// single-token stretches are spans (see spans). A span with no key is the
// end of a date the line break before cut: no token, and no list marker
// before it.
func (z tokenizer) tokenizeLine(t *tokenized, text string, from, to int, spans []span) {
	line := text[from:to]
	if isRule(line) {
		return
	}
	i := from + markerLen(line)
	if len(spans) > 0 && spans[0].start == 0 && spans[0].key == "" {
		i = from + spans[0].end
		spans = spans[1:]
	}
	for i < to {
		if len(spans) > 0 && i-from == spans[0].start {
			end := from + spans[0].end
			if spans[0].key != "" {
				t.add(text, spans[0].key, i, end)
			}
			i = end
			spans = spans[1:]
			continue
		}
		for len(spans) > 0 && i-from > spans[0].start {
			spans = spans[1:]
		}
		r, size := utf8.DecodeRuneInString(text[i:to])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '*' || r == '_' || r == '`':
			j, limit := i+size, to
			if len(spans) > 0 {
				limit = from + spans[0].start
			}
			for j < limit && text[j] == byte(r) {
				j++
			}
			if !emphasis(text[from:to], i-from, j-from) {
				t.add(text, text[i:j], i, j)
			}
			i = j
		case isWordRune(r):
			j := i + size
			limit := to
			if len(spans) > 0 {
				limit = from + spans[0].start
			}
			prev := r
			for j < limit {
				r2, s2 := utf8.DecodeRuneInString(text[j:limit])
				if !isWordRune(r2) || scriptBreak(prev, r2) {
					break
				}
				prev = r2
				j += s2
			}
			t.add(text, foldKey(text[i:j]), i, j)
			i = j
		default:
			t.add(text, punctKey(r), i, i+size)
			i += size
		}
	}
}

// span is a stretch of a line that is one token: a masked date, a URL or an
// e-mail address.
type span struct {
	start, end int
	key        string
}

// urlRE finds URLs and e-mail addresses, which read best as one word.
var urlRE = regexp.MustCompile(`(?:https?://|www\.)[^\s<>"'()\[\]{}|]+|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// spans returns the single-token stretches of a line, in order.
func (z tokenizer) spans(line string) []span {
	var out []span
	if z.mode == maskAll || (z.mode == maskLines && (len(z.dates) > 0 || z.dateLines[line])) {
		// The parser's date grammar: whatever it reads as a date, the diff
		// treats as one.
		wholeLine := z.mode == maskAll || z.dateLines[line]
		for _, d := range policy.ScanDates(line) {
			if wholeLine || z.dates[d.Date.String()] {
				out = append(out, span{d.Start, d.End, dateKey})
			}
		}
	}
	if strings.Contains(line, "@") || strings.Contains(line, "://") || strings.Contains(line, "www.") {
		for _, m := range urlRE.FindAllStringIndex(line, -1) {
			end := m[1]
			for end > m[0] && strings.IndexByte(".,;:!?", line[end-1]) >= 0 {
				end--
			}
			if overlaps(out, m[0], end) {
				continue
			}
			out = append(out, span{m[0], end, line[m[0]:end]})
		}
		slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	}
	if marks := inlineList(line); len(marks) > 0 {
		for _, m := range marks {
			if !overlaps(out, m.start, m.end) {
				out = insertSpan(out, m)
			}
		}
	}
	return out
}

// inlineList returns the list markers inside a line that runs a numbered
// list on ("수집 항목: 1. 이름 2. 연락처", "1) 이름 2) 연락처"): markers of the
// parser's numbering grammar after a space, in a run of at least two of one
// shape whose numbers go up by one (the line's own leading marker may open
// the run). They are spans with no key: written inline or one item per line,
// a list compares the same, as leading markers never count. Only plain list
// shapes take part ("1.", "2)", "(3)", "[4]", "<5>", "가.", "나)", "(다)",
// "Ⅰ."): never circled numbers or 제N조, which inside a line are references
// ("①항", "제3조(목적)에 따라"), nor dotted levels ("2.0"), which may be
// versions, nor the parts of a written date ("2024. 1. 2.").
func inlineList(line string) []span {
	if !strings.Contains(line, " ") {
		return nil
	}
	type mark struct {
		span
		shape string
		n     int
	}
	var marks []mark
	lead := markerLen(line)
	add := func(at int, leading bool) {
		m := policy.NumberingLen(line[at:], false)
		if m == 0 {
			return
		}
		shape, n, ok := listShape(line[at : at+m])
		if !ok {
			return
		}
		end := at + m
		if !leading {
			end = skipSpaces(line, end)
		}
		marks = append(marks, mark{span{at, end, ""}, shape, n})
	}
	// The leading marker, after any bullets, may open a run; it is never a
	// span (markerLen skips it already).
	if start := bulletsLen(line); start < lead {
		add(start, true)
	}
	for i := max(lead, 1); i < len(line); i++ {
		if line[i-1] == ' ' && line[i] != ' ' {
			add(i, false)
		}
	}
	if len(marks) < 2 {
		return nil
	}
	// A written date is no list, masked or not ("2024. 1. 2.").
	for _, d := range policy.ScanDates(line) {
		marks = slices.DeleteFunc(marks, func(m mark) bool { return m.start < d.End && d.Start < m.end })
	}
	var out []span
	for i := 0; i < len(marks); {
		j := i + 1
		for j < len(marks) && marks[j].shape == marks[i].shape && marks[j].n == marks[j-1].n+1 {
			j++
		}
		if j-i >= 2 {
			for _, m := range marks[i:j] {
				if m.start >= lead {
					out = append(out, m.span)
				}
			}
		}
		i = j
	}
	return out
}

// listShape returns the shape of a numbering marker with its number taken
// out ("(3)" is "(#)", kind d; "나." is "#.", kind h) and the number, for
// the plain list shapes inlineList accepts.
func listShape(marker string) (shape string, n int, ok bool) {
	r, size := utf8.DecodeRuneInString(marker)
	open := ""
	if r == '(' || r == '[' || r == '<' {
		open, marker = marker[:size], marker[size:]
		r, size = utf8.DecodeRuneInString(marker)
	}
	var kind string
	switch {
	case r >= '0' && r <= '9':
		k := 0
		for k < len(marker) && marker[k] >= '0' && marker[k] <= '9' {
			n = n*10 + int(marker[k]-'0')
			k++
			if n > 1000 {
				return "", 0, false
			}
		}
		kind, marker = "d", marker[k:]
	case policy.ListLetterIndex(r) > 0:
		n = policy.ListLetterIndex(r)
		kind, marker = "h", marker[size:]
	case r >= 'Ⅰ' && r <= 'Ⅻ':
		n = int(r - 'Ⅰ')
		kind, marker = "r", marker[size:]
	default:
		return "", 0, false
	}
	closing := strings.TrimRight(marker, " ")
	switch open + "#" + closing {
	case "#.", "#)", "(#)", "[#]", "<#>":
		return kind + open + "#" + closing, n, true
	}
	return "", 0, false
}

// straddles reports whether a span begins before off and ends after it.
func straddles(spans []span, off int) bool {
	for _, s := range spans {
		if s.start < off && off < s.end {
			return true
		}
	}
	return false
}

func overlaps(spans []span, start, end int) bool {
	for _, s := range spans {
		if start < s.end && s.start < end {
			return true
		}
	}
	return false
}

// scriptBreak reports a change between Latin letters and Hangul inside a
// word: "visionOS를" is the word visionOS and the particle 를, so removing a
// list item before the particle does not rewrite the last word. Digits stay
// with either side ("1년", "ISO27001").
func scriptBreak(a, b rune) bool {
	return isLatin(a) && unicode.Is(unicode.Hangul, b) || unicode.Is(unicode.Hangul, a) && isLatin(b)
}

func isLatin(r rune) bool { return r < 0x250 && unicode.IsLetter(r) || r >= 0xff21 && r <= 0xff5a }

// add appends a token whose proper text is text[ks:ke]. Its display starts
// where the previous token's proper text ended, or, when a line break stands
// between them, at the start of its own line: a line keeps its marker, the
// line before keeps its line break.
func (t *tokenized) add(text, key string, ks, ke int) {
	start := 0
	if n := len(t.toks); n > 0 {
		start = t.toks[n-1].keyEnd
		if i := strings.LastIndexByte(text[start:ks], '\n'); i >= 0 {
			start += i + 1
		}
	}
	t.toks = append(t.toks, token{key: key, start: start, keyStart: ks, keyEnd: ke})
}

func isWordRune(r rune) bool {
	// ㆍ (U+318D) is a letter in Unicode, but Korean text uses it as a middle dot.
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) && r != 'ㆍ'
}

// emphasis reports whether the run line[i:j] of '*', '_' or '`' is Markdown
// formatting, which is not text. As in CommonMark, a run with spaces (or the
// line's ends) on both sides is a literal character ("보관: 1년 *"), and so is
// an underscore inside a word ("A_B").
func emphasis(line string, i, j int) bool {
	prev, _ := utf8.DecodeLastRuneInString(line[:i])
	next, _ := utf8.DecodeRuneInString(line[j:])
	prevSpace := i == 0 || unicode.IsSpace(prev)
	nextSpace := j == len(line) || unicode.IsSpace(next)
	if prevSpace && nextSpace {
		return false
	}
	return !(line[i] == '_' && isWordRune(prev) && isWordRune(next))
}

// isRule reports a line that is only a horizontal rule or decoration.
func isRule(line string) bool {
	if len(line) < 3 {
		return false
	}
	for _, r := range line {
		switch r {
		case '-', '*', '_', '=', '~', ' ', '─', '━', '—':
		default:
			return false
		}
	}
	return true
}

// foldKey folds a word for comparison: full-width Latin letters and digits
// and half-width Hangul become their usual forms.
func foldKey(s string) string {
	for _, r := range s {
		if r >= 0xff00 && r <= 0xffef {
			return width.Fold.String(s)
		}
	}
	return s
}

// punctKey unifies punctuation that people use interchangeably.
func punctKey(r rune) string {
	if r >= 0xff00 && r <= 0xffef {
		if f := width.LookupRune(r).Folded(); f != 0 {
			r = f
		}
	}
	switch r {
	case '·', 'ㆍ', '•', '∙', '‧', '・', '․', '⋅':
		return "·"
	case '“', '”', '„', '‟', '″', '«', '»':
		return `"`
	case '‘', '’', '‚', '‛', '′':
		return "'"
	case '‐', '‑', '‒', '–', '—', '―', '−', '﹣':
		return "-"
	case '∼', '〜', '～':
		return "~"
	case '〈', '＜':
		return "<"
	case '〉', '＞':
		return ">"
	}
	return string(r)
}

// markerLen returns the length in bytes of the list marker at the start of a
// body line, spaces after it included, so that renumbering and re-bulleting
// are not changes: bullets and heading marks ("- ", "■ ", "## ") and then at
// most one numbering marker ("1. ", "(가) ", "① ", "제3조"). Only the first
// numbering is a marker: in "제15조 제1항 제1호에 따라" or "1. ① 이름" what
// follows it is text.
func markerLen(line string) int {
	n := bulletsLen(line)
	if m := policy.NumberingLen(line[n:], false); m > 0 {
		n = skipSpaces(line, n+m)
	}
	return n
}

// bulletsLen returns the length of the bullets and heading marks at the
// start of line, spaces after them included.
func bulletsLen(line string) int {
	n := 0
	for {
		m := bulletMarker(line[n:])
		if m == 0 {
			return n
		}
		n = skipSpaces(line, n+m)
	}
}

// headingMarkerLen is markerLen for a heading's title, where numbering may
// be chained ("제1장 제2절 ...") and an article number may be followed by its
// title ("제3조 목적"): titles carry no legal references.
func headingMarkerLen(line string) int {
	n := 0
	for {
		m := bulletMarker(line[n:])
		if m == 0 {
			m = policy.NumberingLen(line[n:], true)
		}
		if m == 0 {
			return n
		}
		n = skipSpaces(line, n+m)
	}
}

func skipSpaces(s string, n int) int {
	for n < len(s) && s[n] == ' ' {
		n++
	}
	return n
}

// bulletMarker returns the length of a bullet or heading mark at the start
// of s ("-", "•", "■", "o", "##", ">"), or 0.
func bulletMarker(s string) int {
	if s == "" {
		return 0
	}
	r, size := utf8.DecodeRuneInString(s)
	rest := s[size:]
	spaceOrEnd := func(x string) bool { return x == "" || x[0] == ' ' }
	switch {
	case r == '#' || r == '>':
		n := size
		for n < len(s) && (s[n] == '#' || s[n] == '>') {
			n++
		}
		if spaceOrEnd(s[n:]) {
			return n
		}
	case strings.ContainsRune("-+•·∙ㆍ○●◦◎■□▪▫◆◇▶▷►▸※→ㅇ", r) || r == 'o' || r == '*':
		if spaceOrEnd(rest) {
			return size
		}
		if r != 'o' && r != 'ㅇ' && r != '-' && r != '+' && r != '*' {
			return size // symbol bullets need no space after them
		}
	}
	return 0
}

// titleKey is the alignment key of a heading: the title without numbering,
// markers, spaces and punctuation, width folded, in lower case.
func titleKey(title string) string {
	line := normLine(title)
	line = line[headingMarkerLen(line):]
	var b strings.Builder
	for _, r := range line {
		if r >= 0xff00 && r <= 0xffef {
			if f := width.LookupRune(r).Folded(); f != 0 {
				r = f
			}
		}
		if isWordRune(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// equivalent reports whether two display texts differ only cosmetically.
func equivalent(z tokenizer, a, b string) bool {
	if a == b {
		return true
	}
	x, y := z.tokenize(a), z.tokenize(b)
	return x.compact(0, len(x.toks)) == y.compact(0, len(y.toks))
}
