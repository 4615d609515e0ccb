package extract

import (
	"bytes"
	"errors"
	"io"
	"sync"

	nethtml "golang.org/x/net/html"
)

// The page key reads a page's tokens from one of two sources (tokenSource):
// golang.org/x/net/html's Tokenizer itself, or tokenScanner, which gives
// the same tokens for the pages real sites serve at half the cost: it finds
// the next '<' with bytes.IndexByte where the Tokenizer calls readByte for
// every byte (BenchmarkPageKey: 827 against 403 µs for a 60 KB page).
//
// tokenScanner is a transcription of the Tokenizer's states (token.go: Next,
// readTag, readTagAttrKey, readTagAttrVal, readRawOrRCDATA, readScript,
// readComment, readDoctype) for what pages are made of: text, tags with
// attributes in any quoting, comments, a doctype, scripts (with the
// "<!-- ... //-->" of old sites) and the other raw-text elements. Where the
// Tokenizer takes a rarer path, the scanner stops and says so (errDecline),
// and the key is read again with the Tokenizer:
//
//   - a NUL anywhere in the page;
//   - "</>", "</" not followed by a letter, "<?", and "<!" other than a
//     comment or a doctype (the bogus comments);
//   - plaintext;
//   - the end of the page inside a tag, a comment or a doctype;
//   - a character reference in an attribute value other than a numeric one
//     or one of safeRefs (the Tokenizer unescapes attribute values unlike
//     UnescapeString only for the others).
//
// Same tokens means: the same token types, the same Raw bytes (so the same
// offsets), Text, tag names and attributes, token for token, up to the end
// of the page. FuzzScanner holds tokenScanner to this against the Tokenizer
// on any input and on every prefix of a short one; TestScannerPages on the
// fixtures and the real pages in ../shared, where it must not decline.
type tokenSource interface {
	Next() nethtml.TokenType
	Raw() []byte
	// Text is the Tokenizer's Text of a text, comment or doctype token.
	Text() []byte
	// Name is the lower-cased name of a tag token (see tagName).
	Name(tt nethtml.TokenType) []byte
	// TagAttr is the Tokenizer's: a nil key when there is no attribute left.
	TagAttr() (key, val []byte, more bool)
	Err() error
}

// errDecline: tokenScanner met what it leaves to the Tokenizer.
var errDecline = errors.New("extract: the page needs the full tokenizer")

// netTokens is the Tokenizer as a tokenSource.
type netTokens struct{ *nethtml.Tokenizer }

func (z netTokens) Name(tt nethtml.TokenType) []byte { return tagName(z.Tokenizer, tt) }

// tokenScanner reads the tokens of b, as the Tokenizer would (see tokenSource).
type tokenScanner struct {
	b               []byte
	pos             int // where the next token starts
	start           int // the current token is b[start:pos]
	tt              nethtml.TokenType
	data            [2]int // a text token's text, a tag's name, a comment's data
	rawTag          string // the raw-text element whose text comes next, if any
	textIsRaw       bool   // the text is not unescaped (script, style, ...)
	attrs           [][4]int
	nAttr           int // attributes returned by TagAttr
	err             error
	name, key, text []byte // scratch
}

var scanners = sync.Pool{New: func() any { return new(tokenScanner) }}

// newScanner returns a scanner of page, from a pool: put it back with free.
// It reads a copy of page (its Raw is a []byte).
func newScanner(page string) *tokenScanner {
	s := scanners.Get().(*tokenScanner)
	*s = tokenScanner{b: append(s.b[:0], page...), attrs: s.attrs[:0],
		name: s.name[:0], key: s.key[:0], text: s.text[:0]}
	if bytes.IndexByte(s.b, 0) >= 0 {
		s.err = errDecline
	}
	return s
}

func (s *tokenScanner) free() {
	if cap(s.b) <= 1<<20 {
		scanners.Put(s)
	}
}

func (s *tokenScanner) Err() error  { return s.err }
func (s *tokenScanner) Raw() []byte { return s.b[s.start:s.pos] }

func (s *tokenScanner) decline() nethtml.TokenType {
	s.err = errDecline
	s.tt = nethtml.ErrorToken
	return s.tt
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// Next is the Tokenizer's Next.
func (s *tokenScanner) Next() nethtml.TokenType {
	s.start = s.pos
	s.attrs, s.nAttr = s.attrs[:0], 0
	if s.err != nil {
		s.tt = nethtml.ErrorToken
		return s.tt
	}
	if tag := s.rawTag; tag != "" {
		s.rawTag = ""
		end, ok := s.rawEnd(tag)
		if !ok {
			return s.decline()
		}
		if end > s.pos {
			s.data = [2]int{s.pos, end}
			s.pos = end
			s.textIsRaw = tag != "textarea" && tag != "title"
			s.tt = nethtml.TextToken
			return s.tt
		}
	}
	s.textIsRaw = false
	b := s.b
	for i := s.pos; ; {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 || i+j+1 >= len(b) {
			// The text runs to the end (a last '<' is text too).
			return s.textTo(len(b))
		}
		lt := i + j
		c := b[lt+1]
		if !isLetter(c) && c != '/' && c != '!' && c != '?' {
			i = lt + 1 // the '<' is text
			continue
		}
		if lt > s.pos {
			return s.textTo(lt)
		}
		switch {
		case isLetter(c):
			return s.tag(true)
		case c == '/':
			if lt+2 < len(b) && isLetter(b[lt+2]) {
				return s.tag(false)
			}
			return s.decline() // "</>", "</ x>", "</" at the end
		case c == '!':
			return s.markup()
		default:
			return s.decline() // "<?": a bogus comment
		}
	}
}

func (s *tokenScanner) textTo(end int) nethtml.TokenType {
	if end == s.pos {
		s.tt = nethtml.ErrorToken
		s.err = io.EOF
		return s.tt
	}
	s.data = [2]int{s.pos, end}
	s.pos = end
	s.tt = nethtml.TextToken
	return s.tt
}

// rawEnd returns where the text of the raw-text element tag ends: at the
// first "</tag" followed by a space, '/' or '>' (readRawEndTag), or at the
// end of the page; a script's by scriptEnd. ok is false for plaintext,
// which the scanner leaves to the Tokenizer.
func (s *tokenScanner) rawEnd(tag string) (end int, ok bool) {
	if tag == "plaintext" {
		return 0, false
	}
	if tag == "script" {
		return scriptEnd(s.b, s.pos), true
	}
	b := s.b
	for i := s.pos; ; {
		j := bytes.Index(b[i:], []byte("</"))
		if j < 0 {
			end = len(b)
			break
		}
		at := i + j
		if rawEndTag(b[at+2:], tag) {
			end = at
			break
		}
		i = at + 1
	}
	return end, true
}

// scriptEnd returns where the text of a script starting at b[i:] ends: a
// transcription of readScript, the script data states with their escapes
// ("<!--" ... "-->", and "<script>" inside them), over b with an index
// where readScript reads bytes and backs up (i--). The end of the page ends
// the text.
func scriptEnd(b []byte, i int) int {
	var c byte
	// read reads the next byte; false at the end of the page.
	read := func() bool {
		if i >= len(b) {
			return false
		}
		c = b[i]
		i++
		return true
	}
	// endTag is readRawEndTag for "script" after "</": true with i back at
	// the "</" when the end tag is there. At the end of the page, eof.
	eof := false
	endTag := func() bool {
		for k := 0; k < len("script"); k++ {
			if !read() {
				eof = true
				return false
			}
			if c != "script"[k] && c != "SCRIPT"[k] {
				i--
				return false
			}
		}
		if !read() {
			eof = true
			return false
		}
		if isSpace(c) || c == '/' || c == '>' {
			i -= 3 + len("script")
			return true
		}
		i--
		return false
	}

scriptData:
	if !read() {
		return i
	}
	if c == '<' {
		goto scriptDataLessThanSign
	}
	goto scriptData

scriptDataLessThanSign:
	if !read() {
		return i
	}
	switch c {
	case '/':
		goto scriptDataEndTagOpen
	case '!':
		goto scriptDataEscapeStart
	}
	i--
	goto scriptData

scriptDataEndTagOpen:
	if endTag() || eof {
		return i
	}
	goto scriptData

scriptDataEscapeStart:
	if !read() {
		return i
	}
	if c == '-' {
		goto scriptDataEscapeStartDash
	}
	i--
	goto scriptData

scriptDataEscapeStartDash:
	if !read() {
		return i
	}
	if c == '-' {
		goto scriptDataEscapedDashDash
	}
	i--
	goto scriptData

scriptDataEscaped:
	if !read() {
		return i
	}
	switch c {
	case '-':
		goto scriptDataEscapedDash
	case '<':
		goto scriptDataEscapedLessThanSign
	}
	goto scriptDataEscaped

scriptDataEscapedDash:
	if !read() {
		return i
	}
	switch c {
	case '-':
		goto scriptDataEscapedDashDash
	case '<':
		goto scriptDataEscapedLessThanSign
	}
	goto scriptDataEscaped

scriptDataEscapedDashDash:
	if !read() {
		return i
	}
	switch c {
	case '-':
		goto scriptDataEscapedDashDash
	case '<':
		goto scriptDataEscapedLessThanSign
	case '>':
		goto scriptData
	}
	goto scriptDataEscaped

scriptDataEscapedLessThanSign:
	if !read() {
		return i
	}
	if c == '/' {
		goto scriptDataEscapedEndTagOpen
	}
	if isLetter(c) {
		goto scriptDataDoubleEscapeStart
	}
	i--
	goto scriptData

scriptDataEscapedEndTagOpen:
	if endTag() || eof {
		return i
	}
	goto scriptDataEscaped

scriptDataDoubleEscapeStart:
	i--
	for k := 0; k < len("script"); k++ {
		if !read() {
			return i
		}
		if c != "script"[k] && c != "SCRIPT"[k] {
			i--
			goto scriptDataEscaped
		}
	}
	if !read() {
		return i
	}
	if isSpace(c) || c == '/' || c == '>' {
		goto scriptDataDoubleEscaped
	}
	i--
	goto scriptDataEscaped

scriptDataDoubleEscaped:
	if !read() {
		return i
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedDash:
	if !read() {
		return i
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDashDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedDashDash:
	if !read() {
		return i
	}
	switch c {
	case '-':
		goto scriptDataDoubleEscapedDashDash
	case '<':
		goto scriptDataDoubleEscapedLessThanSign
	case '>':
		goto scriptData
	}
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapedLessThanSign:
	if !read() {
		return i
	}
	if c == '/' {
		goto scriptDataDoubleEscapeEnd
	}
	i--
	goto scriptDataDoubleEscaped

scriptDataDoubleEscapeEnd:
	if endTag() {
		i += len("</script>")
		goto scriptDataEscaped
	}
	if eof {
		return i
	}
	goto scriptDataDoubleEscaped
}

// rawEndTag reports whether b starts with tag (lower case, matched in any
// case) and then a space, '/' or '>'.
func rawEndTag(b []byte, tag string) bool {
	if len(b) <= len(tag) {
		return false
	}
	for i := 0; i < len(tag); i++ {
		if c := b[i]; c != tag[i] && c != tag[i]-('a'-'A') {
			return false
		}
	}
	c := b[len(tag)]
	return isSpace(c) || c == '/' || c == '>'
}

// skipSpace returns the first offset from p that is not a space; ok is
// false at the end of the page.
func (s *tokenScanner) skipSpace(p int) (int, bool) {
	for p < len(s.b) && isSpace(s.b[p]) {
		p++
	}
	return p, p < len(s.b)
}

// tag reads a start (start) or end tag at s.pos, as readStartTag and
// readTag do. The end of the page inside the tag declines.
func (s *tokenScanner) tag(start bool) nethtml.TokenType {
	b := s.b
	p := s.pos + 1
	if !start {
		p++
	}
	// readTagName: the name runs from its first letter to a space
	// (consumed), '/' or '>'.
	s.data[0] = p
	for p++; ; p++ {
		if p >= len(b) {
			return s.decline()
		}
		if c := b[p]; isSpace(c) {
			s.data[1] = p
			p++
			break
		} else if c == '/' || c == '>' {
			s.data[1] = p
			break
		}
	}
	var ok bool
	if p, ok = s.skipSpace(p); !ok {
		return s.decline()
	}
	for {
		c := b[p]
		p++
		if c == '>' {
			break
		}
		p--
		// readTagAttrKey
		k0 := p
		for ; ; p++ {
			if p >= len(b) {
				return s.decline()
			}
			c := b[p]
			if c == '=' && p == k0 {
				continue // a leading '=' is part of the name
			}
			if c == '=' || isSpace(c) || c == '/' || c == '>' {
				break
			}
		}
		k1 := p
		// readTagAttrVal
		v0, v1 := p, p
		if p, ok = s.skipSpace(p); !ok {
			return s.decline()
		}
		switch c := b[p]; {
		case c == '/':
			p++
		case c != '=':
		default:
			if p, ok = s.skipSpace(p + 1); !ok {
				return s.decline()
			}
			switch q := b[p]; q {
			case '>':
			case '\'', '"':
				e := bytes.IndexByte(b[p+1:], q)
				if e < 0 {
					return s.decline()
				}
				v0, v1 = p+1, p+1+e
				p = v1 + 1
			default:
				v0 = p
				for p++; ; p++ {
					if p >= len(b) {
						return s.decline()
					}
					if c := b[p]; isSpace(c) {
						v1 = p
						p++
						break
					} else if c == '>' {
						v1 = p
						break
					}
				}
			}
		}
		if start && k0 != k1 && !s.seen(k0, k1) {
			s.attrs = append(s.attrs, [4]int{k0, k1, v0, v1})
		}
		if p, ok = s.skipSpace(p); !ok {
			return s.decline()
		}
	}
	s.pos = p
	if !start {
		s.tt = nethtml.EndTagToken
		return s.tt
	}
	if tag := rawTagOf(b[s.data[0]:s.data[1]]); tag != "" {
		s.rawTag = tag
	}
	if n := len(s.attrs); b[p-2] == '/' && (n == 0 || p-2 != s.attrs[n-1][3]-1) {
		s.tt = nethtml.SelfClosingTagToken
	} else {
		s.tt = nethtml.StartTagToken
	}
	return s.tt
}

// seen reports whether a saved attribute has the name b[k0:k1], in any
// case (the Tokenizer keeps the first of a name).
func (s *tokenScanner) seen(k0, k1 int) bool {
	for _, a := range s.attrs {
		if asciiEqualFold(s.b[a[0]:a[1]], s.b[k0:k1]) {
			return true
		}
	}
	return false
}

// asciiEqualFold reports whether a and b are equal once their ASCII
// letters are lower-cased, as the Tokenizer lower-cases names (not
// bytes.EqualFold, which folds other letters too).
func asciiEqualFold[T string | []byte](a []byte, b T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// rawTags are the elements whose start tag makes the Tokenizer read the
// next text raw (readStartTag).
var rawTags = []string{"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"}

func rawTagOf(name []byte) string {
	for _, t := range rawTags {
		if asciiEqualFold(name, t) {
			return t
		}
	}
	return ""
}

// markup reads "<!": a comment (readComment) or a doctype (readDoctype).
func (s *tokenScanner) markup() nethtml.TokenType {
	b := s.b
	p := s.pos + 2
	if p+2 > len(b) {
		return s.decline()
	}
	if b[p] == '-' && b[p+1] == '-' {
		return s.comment(p + 2)
	}
	const doctype = "DOCTYPE"
	if p+len(doctype) > len(b) {
		return s.decline()
	}
	for i := 0; i < len(doctype); i++ {
		if c := b[p+i]; c != doctype[i] && c != doctype[i]+('a'-'A') {
			return s.decline() // a bogus comment
		}
	}
	p, ok := s.skipSpace(p + len(doctype))
	if !ok {
		return s.decline()
	}
	e := bytes.IndexByte(b[p:], '>')
	if e < 0 {
		return s.decline()
	}
	s.data = [2]int{p, p + e}
	s.pos = p + e + 1
	s.tt = nethtml.DoctypeToken
	return s.tt
}

// comment reads a comment whose data starts at p, as readComment does.
func (s *tokenScanner) comment(p int) nethtml.TokenType {
	b := s.b
	s.data[0] = p
	dashes, beginning := 0, true
	for {
		if p >= len(b) {
			return s.decline()
		}
		c := b[p]
		p++
		switch c {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return s.commentEnd(p, p-len("-->"))
			}
		case '!':
			if dashes >= 2 {
				if p >= len(b) {
					return s.decline()
				}
				c = b[p]
				p++
				if c == '>' {
					return s.commentEnd(p, p-len("--!>"))
				} else if c == '-' {
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
}

func (s *tokenScanner) commentEnd(pos, end int) nethtml.TokenType {
	s.data[1] = max(end, s.data[0])
	s.pos = pos
	s.tt = nethtml.CommentToken
	return s.tt
}

// Text is the Tokenizer's Text: newlines converted, and character
// references unescaped except in raw text. (No NUL is left to replace:
// a page with one is declined.)
func (s *tokenScanner) Text() []byte {
	switch s.tt {
	case nethtml.TextToken, nethtml.CommentToken, nethtml.DoctypeToken:
	default:
		return nil
	}
	t := s.b[s.data[0]:s.data[1]]
	if bytes.IndexByte(t, '\r') >= 0 {
		s.text = convertNewlines(append(s.text[:0], t...))
		t = s.text
	}
	if (s.tt != nethtml.TextToken || !s.textIsRaw) && bytes.IndexByte(t, '&') >= 0 {
		t = []byte(nethtml.UnescapeString(string(t)))
	}
	return t
}

// Name returns the lower-cased tag name.
func (s *tokenScanner) Name(nethtml.TokenType) []byte {
	return s.lower(&s.name, s.b[s.data[0]:s.data[1]])
}

func (s *tokenScanner) lower(buf *[]byte, b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			out := append((*buf)[:0], b...)
			for j := i; j < len(out); j++ {
				if c := out[j]; 'A' <= c && c <= 'Z' {
					out[j] = c + 'a' - 'A'
				}
			}
			*buf = out
			return out
		}
	}
	return b
}

// TagAttr is the Tokenizer's TagAttr. A value it cannot unescape as the
// Tokenizer does (see attrValue) declines: no attribute is returned and the
// next token is an ErrorToken.
func (s *tokenScanner) TagAttr() (key, val []byte, more bool) {
	if s.nAttr >= len(s.attrs) || s.err != nil || (s.tt != nethtml.StartTagToken && s.tt != nethtml.SelfClosingTagToken) {
		return nil, nil, false
	}
	a := s.attrs[s.nAttr]
	s.nAttr++
	val, ok := s.attrValue(s.b[a[2]:a[3]])
	if !ok {
		s.err = errDecline
		return nil, nil, false
	}
	return s.lower(&s.key, s.b[a[0]:a[1]]), val, s.nAttr < len(s.attrs)
}

// attrValue unescapes an attribute value as the Tokenizer does
// (convertNewlines, then unescape in attribute mode). Attribute mode differs
// from nethtml.UnescapeString's text mode only for a named reference without
// its semicolon or unknown to the table, so a value whose references are
// all numeric or one of safeRefs is unescaped by UnescapeString; for
// any other, ok is false.
func (s *tokenScanner) attrValue(v []byte) (val []byte, ok bool) {
	if bytes.IndexByte(v, '\r') >= 0 {
		v = convertNewlines(append(s.text[:0], v...))
		s.text = v
	}
	if bytes.IndexByte(v, '&') < 0 {
		return v, true
	}
	for rest := v; ; {
		i := bytes.IndexByte(rest, '&')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
		if len(rest) > 0 && rest[0] == '#' {
			continue
		}
		known := false
		for _, r := range safeRefs {
			if bytes.HasPrefix(rest, []byte(r)) {
				known = true
				break
			}
		}
		if !known {
			return nil, false
		}
	}
	return []byte(nethtml.UnescapeString(string(v))), true
}

// safeRefs are named references (with their semicolon) that the entity
// table holds as they are: both of x/net/html's modes decode them alike.
var safeRefs = []string{"amp;", "lt;", "gt;", "quot;", "apos;", "nbsp;"}

// convertNewlines converts "\r\n" and "\r" in s to "\n", in place (the
// Tokenizer's).
func convertNewlines(s []byte) []byte {
	out := s[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}
