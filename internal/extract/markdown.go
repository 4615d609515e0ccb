package extract

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Markdown extracts the text of a text/markdown body. Each source line
// stays a line (a soft line break is kept: policies are written one clause
// per line), with the markup removed:
//
//   - ATX headings ("## 제1조") and setext headings become heading lines
//     with their level's marker ("## 제1조", see the package documentation);
//     "##제1조" without a space is read as a heading too, and a setext
//     underline under a paragraph of several lines only ends it;
//   - bullet markers (-, *, +) and task boxes are dropped, ordered-list
//     numbers ("1.", "2)") are kept because they number the policy;
//   - block quote markers are dropped;
//   - links become their text, images and reference definitions disappear,
//     autolinks become their address;
//   - emphasis and strikethrough markers (*, _, **, __, ~~) are removed when
//     they pair up; a lone "*" or "~" (as in "09:00~18:00") stays;
//   - code spans and fenced code keep their content as text;
//   - tables become rows with cells joined by " | "; the delimiter row goes;
//   - thematic breaks and HTML comments go, and so does YAML front matter
//     but for its dated keys, kept between "---" lines at the top (see
//     frontMatter); HTML tags are
//     removed (<br> and block tags end a line, <h1>–<h6> start a heading
//     line); character references are decoded; backslash escapes are
//     resolved.
//
// The result follows the package's output contract (see Normalize).
func Markdown(body string) string {
	src := splitLines(body)
	front, src := frontMatter(src)
	m := mdState{refs: referenceLabels(src)}
	if len(front) > 0 {
		m.out = appendLine(m.out, "---")
		for _, l := range front {
			m.out = appendLine(m.out, l)
		}
		m.out = appendLine(m.out, "---")
	}
	for i := 0; i < len(src); i++ {
		line := src[i]
		if m.fence != "" {
			if closesFence(line, m.fence) {
				m.fence = ""
			} else {
				m.out = appendLine(m.out, line)
			}
			continue
		}
		if m.comment {
			end := strings.Index(line, "-->")
			if end < 0 {
				continue
			}
			line = line[end+3:]
			m.comment = false
		}
		line = m.stripComments(line)
		if blank(line) {
			m.endParagraph()
			m.para = false
			continue
		}
		if f := openFence(line); f != "" {
			m.endParagraph()
			m.fence, m.para = f, false
			continue
		}
		if m.para && setextUnderline(line) {
			if len(m.text) == 1 {
				// A one-line paragraph over "===" or "---" is a
				// setext heading of level 1 or 2.
				level := 2
				if strings.TrimSpace(line)[0] == '=' {
					level = 1
				}
				m.heading(level, m.text[0])
				m.text = m.text[:0]
			}
			m.endParagraph()
			m.para = false
			continue
		}
		if !m.para || !continuation(line) {
			m.endParagraph()
		}
		if thematicBreak(line) || referenceDefinition(line) {
			m.para = false
			continue
		}
		line = stripQuote(line)
		if tableRow(line) && i+1 < len(src) && delimiterRow(stripQuote(src[i+1])) {
			m.row(line)
			i += 2
			for ; i < len(src); i++ {
				r := stripQuote(src[i])
				if blank(r) || !strings.Contains(r, "|") {
					break
				}
				m.row(r)
			}
			i--
			m.para = false
			continue
		}
		if level, h := atxHeading(line); level > 0 {
			m.heading(level, h)
			m.para = false
			continue
		}
		if rest, ok := bulletItem(line); ok {
			m.add(rest)
			m.para = false
			continue
		}
		m.para = true
		m.text = append(m.text, line)
	}
	m.endParagraph()
	return nfc(m.out)
}

type mdState struct {
	out     []byte
	refs    map[string]bool
	fence   string // the opening fence while inside fenced code
	comment bool   // inside a multi-line HTML comment
	para    bool   // the previous line was paragraph text
	text    []string
}

// endParagraph adds the pending paragraph lines. They are processed
// together because emphasis may span a line break ("**제1조\\\n목적**").
func (m *mdState) endParagraph() {
	if len(m.text) == 0 {
		return
	}
	m.add(strings.Join(m.text, "\n"))
	m.text = m.text[:0]
}

// add appends the inline-processed line; <br> and block tags in it split
// it into several lines.
func (m *mdState) add(line string) {
	s := m.inline(line)
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			m.addLine(s)
			return
		}
		m.addLine(s[:i])
		s = s[i+1:]
	}
}

// addLine appends one line, unless it is only the marker of an HTML
// heading tag with nothing in it ("<h2></h2>").
func (m *mdState) addLine(s string) {
	if t := strings.TrimSpace(s); t != "" && t[0] == '#' && len(t) <= len(hashes) && strings.Trim(t, "#") == "" {
		return
	}
	m.out = appendLine(m.out, s)
}

// heading appends a heading line: the level's marker ("##"), a space and
// the inline-processed text, on one line. An empty heading appends nothing.
func (m *mdState) heading(level int, text string) {
	t := cleanLine(strings.ReplaceAll(m.inline(text), "\n", " "))
	if t == "" {
		return
	}
	m.out = appendLine(m.out, hashes[:level]+" "+t)
}

// row appends a table row as one line, cells joined by " | ".
func (m *mdState) row(line string) {
	cells := splitCells(line)
	var b strings.Builder
	filled := false
	for i, c := range cells {
		c = cleanLine(strings.ReplaceAll(m.inline(c), "\n", " "))
		if c != "" {
			filled = true
		}
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(c)
	}
	if filled {
		m.out = appendLine(m.out, b.String())
	}
}

// stripComments removes complete HTML comments from line and, for a
// comment left open, the rest of the line.
func (m *mdState) stripComments(line string) string {
	for {
		i := strings.Index(line, "<!--")
		if i < 0 {
			return line
		}
		end := strings.Index(line[i+4:], "-->")
		if end < 0 {
			m.comment = true
			return line[:i]
		}
		line = line[:i] + " " + line[i+4+end+3:]
	}
}

// continuation reports a line that may continue a paragraph: one that
// starts no other block.
func continuation(line string) bool {
	if level, _ := atxHeading(line); level > 0 {
		return false
	}
	if _, ok := bulletItem(line); ok {
		return false
	}
	if openFence(line) != "" || thematicBreak(line) || strings.HasPrefix(strings.TrimLeft(line, " "), ">") {
		return false
	}
	return !tableRow(line)
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// frontMatter splits a YAML front matter block ("---" ... "---" or "...")
// from the body and returns the lines of it that may carry a date: a
// top-level "key: value" whose value has two digits in a row
// ("last_updated: 2025-03-01", "시행일: 2025년 3월 1일"). The rest of the block
// (title, layout, permalink, tags) is the site's metadata and goes. Which
// keys are dates, and of what, is the parser's to decide (policy.Parse sets
// the block aside and reads its dates by key): the extractor only keeps them
// from being lost.
func frontMatter(src []string) (front, rest []string) {
	first := 0
	if len(src) > 0 {
		src[0] = strings.TrimPrefix(src[0], "\uFEFF")
	}
	if len(src) == 0 || strings.TrimRight(src[first], " \t") != "---" {
		return nil, src
	}
	for i := 1; i < len(src) && i < 100; i++ {
		l := strings.TrimRight(src[i], " \t")
		if l == "---" || l == "..." {
			return front, src[i+1:]
		}
		if !blank(l) && !strings.Contains(l, ":") && !strings.HasPrefix(strings.TrimSpace(l), "-") && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "#") {
			return nil, src // not YAML: a thematic break at the top
		}
		if key, value, ok := strings.Cut(l, ":"); ok && key != "" && key[0] != ' ' && key[0] != '\t' && key[0] != '#' && key[0] != '-' && digitPair(value) {
			front = append(front, l)
		}
	}
	return nil, src
}

// digitPair reports whether s has two ASCII digits in a row.
func digitPair(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] >= '0' && s[i-1] <= '9' && s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// indent returns line without up to three leading spaces, and whether the
// line had at most three.
func indent(line string) (string, bool) {
	for i := 0; i < 4; i++ {
		if i == len(line) || line[i] != ' ' {
			return line[i:], true
		}
	}
	return line, false
}

func openFence(line string) string {
	l, ok := indent(line)
	if !ok || len(l) < 3 || (l[0] != '`' && l[0] != '~') {
		return ""
	}
	n := 0
	for n < len(l) && l[n] == l[0] {
		n++
	}
	if n < 3 || (l[0] == '`' && strings.Contains(l[n:], "`")) {
		return ""
	}
	return l[:n]
}

func closesFence(line, fence string) bool {
	l, ok := indent(line)
	if !ok || !strings.HasPrefix(l, fence) {
		return false
	}
	rest := strings.TrimLeft(l, fence[:1])
	return strings.TrimSpace(rest) == ""
}

func setextUnderline(line string) bool {
	l, ok := indent(line)
	l = strings.TrimRight(l, " \t")
	if !ok || l == "" {
		return false
	}
	return strings.Trim(l, "=") == "" || strings.Trim(l, "-") == ""
}

func thematicBreak(line string) bool {
	l, ok := indent(line)
	if !ok || l == "" {
		return false
	}
	c := l[0]
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	n := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

func referenceDefinition(line string) bool {
	l, ok := indent(line)
	if !ok || !strings.HasPrefix(l, "[") || strings.HasPrefix(l, "[^") {
		return false
	}
	end := strings.Index(l, "]:")
	if end <= 1 {
		return false
	}
	dest := strings.TrimSpace(l[end+2:])
	return dest != "" && !strings.ContainsAny(dest[:1], " ") &&
		(strings.Contains(dest, "/") || strings.Contains(dest, "."))
}

// referenceLabels collects the labels of reference definitions.
func referenceLabels(src []string) map[string]bool {
	var refs map[string]bool
	for _, line := range src {
		if !referenceDefinition(line) {
			continue
		}
		l, _ := indent(line)
		label := normLabel(l[1:strings.Index(l, "]:")])
		if refs == nil {
			refs = map[string]bool{}
		}
		refs[label] = true
	}
	return refs
}

func normLabel(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func stripQuote(line string) string {
	for {
		l, ok := indent(line)
		if !ok || !strings.HasPrefix(l, ">") {
			return line
		}
		line = strings.TrimPrefix(l[1:], " ")
	}
}

// atxHeading returns a heading's level (0 when line is not a heading) and
// text. One "#" needs a following space; two to six are read as a heading
// without one, as authors intend it.
func atxHeading(line string) (int, string) {
	l, ok := indent(line)
	if !ok || !strings.HasPrefix(l, "#") {
		return 0, ""
	}
	n := 0
	for n < len(l) && l[n] == '#' {
		n++
	}
	if n > 6 {
		return 0, ""
	}
	rest := l[n:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' && n == 1 {
		return 0, ""
	}
	rest = strings.TrimSpace(rest)
	// An optional closing sequence of #s preceded by a space.
	if t := strings.TrimRight(rest, "#"); t != rest && (t == "" || strings.HasSuffix(t, " ")) {
		rest = strings.TrimSpace(t)
	}
	return n, rest
}

// bulletItem strips a bullet list marker and a task box.
func bulletItem(line string) (string, bool) {
	l := strings.TrimLeft(line, " \t")
	if len(l) < 1 || (l[0] != '-' && l[0] != '*' && l[0] != '+') {
		return "", false
	}
	if len(l) > 1 && l[1] != ' ' && l[1] != '\t' {
		return "", false
	}
	rest := strings.TrimLeft(l[1:], " \t")
	for _, box := range []string{"[ ] ", "[x] ", "[X] "} {
		rest = strings.TrimPrefix(rest, box)
	}
	return rest, true
}

func tableRow(line string) bool {
	return strings.Contains(line, "|")
}

func delimiterRow(line string) bool {
	l := strings.TrimSpace(line)
	if !strings.Contains(l, "|") {
		return false
	}
	l = strings.TrimPrefix(strings.TrimSuffix(l, "|"), "|")
	cells := strings.Split(l, "|")
	for _, c := range cells {
		c = strings.TrimSpace(c)
		c = strings.TrimSuffix(strings.TrimPrefix(c, ":"), ":")
		if c == "" || strings.Trim(c, "-") != "" {
			return false
		}
	}
	return true
}

// splitCells splits a table row at unescaped pipes outside code spans,
// dropping the outer pipes.
func splitCells(line string) []string {
	l := strings.TrimSpace(line)
	var cells []string
	start, code := 0, false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '`':
			code = !code
		case '|':
			if !code {
				cells = append(cells, l[start:i])
				start = i + 1
			}
		}
	}
	cells = append(cells, l[start:])
	if len(cells) > 1 && strings.TrimSpace(cells[0]) == "" && strings.HasPrefix(l, "|") {
		cells = cells[1:]
	}
	if len(cells) > 1 && strings.TrimSpace(cells[len(cells)-1]) == "" && strings.HasSuffix(l, "|") {
		cells = cells[:len(cells)-1]
	}
	for i, c := range cells {
		cells[i] = strings.ReplaceAll(c, `\|`, "|")
	}
	return cells
}

// tok is a piece of inline output: literal text, or a run of emphasis
// delimiters that is removed when it pairs with another.
type tok struct {
	text              string
	delim             byte
	canOpen, canClose bool
	paired            bool
}

// inline removes inline markup from one line. The result may hold "\n"
// where a <br> or a block tag was.
func (m *mdState) inline(s string) string {
	var toks []tok
	lit := func(t string) {
		if t != "" {
			toks = append(toks, tok{text: t})
		}
	}
	start := 0
	flush := func(i int) { lit(s[start:i]) }
	var noTicks uint64 // run lengths (< 64) known to have no closing run
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '\\':
			// "\1." at the start of a line is how authors stop a
			// list; the number is meant as text.
			lineStart := i == 0 || s[i-1] == '\n'
			if i+1 < len(s) && (isASCIIPunct(s[i+1]) || (lineStart && s[i+1] >= '0' && s[i+1] <= '9')) {
				flush(i)
				lit(s[i+1 : i+2])
				i += 2
				start = i
				continue
			}
			if i+1 == len(s) || s[i+1] == '\n' { // hard line break
				flush(i)
				i++
				start = i
				continue
			}
		case '`':
			n := run(s, i, '`')
			if end := closingTicks(s, i+n, n, &noTicks); end >= 0 {
				flush(i)
				code := s[i+n : end]
				if len(code) > 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
					code = code[1 : len(code)-1]
				}
				lit(code)
				i = end + n
				start = i
				continue
			}
			i += n
			continue
		case '!', '[':
			at := i
			if c == '!' {
				if i+1 >= len(s) || s[i+1] != '[' {
					break
				}
				at = i + 1
			}
			if text, end, ok := m.link(s, at); ok {
				flush(i)
				if c == '[' {
					lit(m.inline(text))
				}
				i = end
				start = i
				continue
			}
		case '<':
			if text, end, ok := angle(s, i); ok {
				flush(i)
				lit(text)
				i = end
				start = i
				continue
			}
		case '&':
			if end := strings.IndexByte(s[i:min(len(s), i+33)], ';'); end > 1 {
				ref := s[i : i+end+1]
				if dec := html.UnescapeString(ref); dec != ref {
					flush(i)
					lit(dec)
					i += end + 1
					start = i
					continue
				}
			}
		case '*', '_', '~':
			n := run(s, i, c)
			if c == '~' && n != 2 {
				i += n
				continue
			}
			flush(i)
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+n:])
			if i == 0 {
				prev = ' '
			}
			if i+n == len(s) {
				next = ' '
			}
			t := tok{text: s[i : i+n], delim: c}
			if c == '_' && asciiAlnum(prev) && asciiAlnum(next) {
				// snake_case and the like: never emphasis.
			} else {
				// Lenient for Korean: "**「법」**에" and "_개인정보_를"
				// must pair, though CommonMark's flanking rules refuse.
				t.canOpen = !unicode.IsSpace(next)
				t.canClose = !unicode.IsSpace(prev)
			}
			toks = append(toks, t)
			i += n
			start = i
			continue
		}
		i++
	}
	flush(len(s))
	pairDelims(toks)
	var b strings.Builder
	b.Grow(len(s))
	for _, t := range toks {
		// A double run that pairs with nothing is an author's slip
		// ("**11. 열람청구" never closed): it is never meant as text.
		if !t.paired && !(t.delim != 0 && t.delim != '~' && len(t.text) >= 2) {
			b.WriteString(t.text)
		}
	}
	return b.String()
}

// pairDelims marks the emphasis delimiter runs that open and close a span.
func pairDelims(toks []tok) {
	var stack []int
	for i := range toks {
		t := &toks[i]
		if t.delim == 0 {
			continue
		}
		if t.canClose {
			found := -1
			// Bounded, so that a line of unmatched delimiters stays
			// linear.
			for j := len(stack) - 1; j >= 0 && j >= len(stack)-maxScan; j-- {
				if toks[stack[j]].delim == t.delim {
					found = j
					break
				}
			}
			if found >= 0 {
				toks[stack[found]].paired = true
				t.paired = true
				stack = stack[:found]
				continue
			}
		}
		if t.canOpen {
			stack = append(stack, i)
		}
	}
}

func run(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// closingTicks finds a run of exactly n backticks at or after i. A failed
// search is remembered in no, so that it is not repeated further on.
func closingTicks(s string, i, n int, no *uint64) int {
	if n < 64 && *no&(1<<n) != 0 {
		return -1
	}
	for i < len(s) {
		j := strings.IndexByte(s[i:], '`')
		if j < 0 {
			break
		}
		j += i
		k := run(s, j, '`')
		if k == n {
			return j
		}
		i = j + k
	}
	if n < 64 {
		*no |= 1 << n
	}
	return -1
}

// link parses "[text](dest)", "[text][ref]", "[text][]" or a "[text]"
// shortcut whose label is defined, starting at the "[" at i. It returns the
// raw text and the index after the link.
func (m *mdState) link(s string, i int) (string, int, bool) {
	end := closingBracket(s, i)
	if end < 0 {
		return "", 0, false
	}
	text := s[i+1 : end]
	j := end + 1
	if j < len(s) && s[j] == '(' {
		if k := closingParen(s, j); k >= 0 {
			return text, k + 1, true
		}
		return "", 0, false
	}
	if j < len(s) && s[j] == '[' {
		if k := closingBracket(s, j); k >= 0 {
			label := s[j+1 : k]
			if label == "" {
				label = text
			}
			if m.refs[normLabel(label)] {
				return text, k + 1, true
			}
		}
	}
	if m.refs[normLabel(text)] {
		return text, j, true
	}
	return "", 0, false
}

// maxScan bounds how far the inline parser looks for a closing bracket,
// parenthesis or '>' (CommonMark bounds link labels to 999 characters), so
// that hostile input cannot make it quadratic.
const maxScan = 1000

func closingBracket(s string, i int) int {
	if strings.IndexByte(s[i:min(len(s), i+maxScan)], ']') < 0 {
		return -1
	}
	depth := 0
	for j := i; j < len(s) && j < i+maxScan; j++ {
		switch s[j] {
		case '\\':
			j++
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

func closingParen(s string, i int) int {
	depth := 0
	for j := i; j < len(s) && j < i+maxScan; j++ {
		switch s[j] {
		case '\\':
			j++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// angle reads an autolink (<https://...>, <a@b.kr>) or an HTML tag at i.
// Tags of known HTML elements vanish; <br> and block tags become "\n".
// Anything else, such as "<하루>" or "<gomsanglab>", stays as text.
func angle(s string, i int) (string, int, bool) {
	end := strings.IndexByte(s[i:min(len(s), i+maxScan)], '>')
	if end < 0 {
		return "", 0, false
	}
	end += i
	inner := s[i+1 : end]
	if inner == "" {
		return "", 0, false
	}
	if !strings.ContainsAny(inner, " \t<") && (strings.Contains(inner, "://") || strings.HasPrefix(inner, "mailto:") ||
		(strings.Contains(inner, "@") && strings.Contains(inner, "."))) {
		return inner, end + 1, true
	}
	name := strings.TrimPrefix(inner, "/")
	n := 0
	for n < len(name) && (isASCIIAlpha(name[n]) || (n > 0 && name[n] >= '0' && name[n] <= '9')) {
		n++
	}
	if n == 0 || (n < len(name) && name[n] != ' ' && name[n] != '/' && name[n] != '\t') {
		return "", 0, false
	}
	tag := strings.ToLower(name[:n])
	if len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && name == inner {
		// An HTML heading's opening tag starts a heading line.
		return "\n" + hashes[:tag[1]-'0'] + " ", end + 1, true
	}
	if breakTag(tag) {
		return "\n", end + 1, true
	}
	if inlineTag(tag) {
		return "", end + 1, true
	}
	return "", 0, false
}

// breakTag reports HTML elements whose tags end a line.
func breakTag(tag string) bool {
	switch tag {
	case "br", "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
		"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "blockquote", "pre", "hr", "section",
		"article", "header", "footer", "main", "nav", "aside", "details", "summary", "figure", "figcaption",
		"center", "address", "option", "select":
		return true
	}
	return false
}

// inlineTag reports HTML elements whose tags vanish without a break.
func inlineTag(tag string) bool {
	switch tag {
	case "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i",
		"img", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
		"tt", "u", "var", "wbr", "label", "input", "picture", "source", "colgroup", "col", "html", "body", "head",
		"meta", "link", "title":
		return true
	}
	return false
}

func asciiAlnum(r rune) bool {
	return r < utf8.RuneSelf && (isASCIIAlpha(byte(r)) || (r >= '0' && r <= '9'))
}

func isASCIIAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isASCIIPunct(c byte) bool {
	return c > ' ' && c < 0x7F && !isASCIIAlpha(c) && (c < '0' || c > '9')
}
