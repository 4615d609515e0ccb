package extract

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A Page is an HTML page read once for all its readers: the extractor
// (Extract), the readers of its links (Links: the notice board's discovery,
// the past versions) and the check that skips extraction when the text
// cannot have changed (Key).
//
// # The page key
//
// Key is a SHA-256 of what extraction reads of the page: its token stream
// (golang.org/x/net/html's tokenizer, the parser's own, or tokenScanner,
// which gives the same tokens faster: see tokenSource) with two kinds of
// content left out, and the Rules' fingerprint. Two pages with the same key
// extract to the same text — Extract of the one gives the other's — so a
// check whose key equals the one stored with the current version (made by
// Extract on that version's page) need not build the tree at all.
//
// What is left out, masked:
//
//   - the values of attributes that neither the extractor, the rules'
//     selectors nor the tree builder read (a per-request CSRF token in a
//     hidden input's value, a nonce). Attribute names are kept, and so are
//     every value of a formatting element (a, b, font, ...: the tree builder
//     compares them when it reopens such elements);
//   - the text of text tokens that a simple model of the tree (a stack of
//     open elements) places inside an excluded element, outside the selected
//     one, or inside a script or style (a coupon code in a popup the rules
//     exclude, a timestamp in an inline script). Such a token counts only by
//     its shape: its whitespace, its NULs and its runs of other characters,
//     each run as one mark (maskRune). That is all of a text token the tree
//     builder looks at (it trims leading whitespace, drops all-whitespace
//     text in tables, keeps only whitespace in framesets, strips NULs, drops
//     a leading newline in <pre>): pages equal but for masked text build the
//     same tree but for the text of the masked runs.
//
// The model can be wrong (tags the tree builder closes or moves, an element
// the selector matches only in context): Extract therefore reads the page
// with every masked run replaced by its mark, and keeps the key only when no
// mark reaches the text (and the page's own text holds none). Then no masked
// run is in the text — its place in the tree is what the stored page showed,
// and the same in any page with the same key — and what was read is the
// page's own text. When a mark does reach the text, Extract reads the page
// itself and the page has no key.
//
// There is no key (Key returns "") for pages with foreign content (svg,
// math: the tree builder tokenizes them differently), with rules whose
// selectors hold a pseudo-class (":contains" reads text) and for a page
// whose tokens do not cover its bytes. Text is masked only when the rules
// have a selector: without one the extractor weighs all text to choose the
// policy's element.
type Page struct {
	src   string
	rules Rules
	key   string // "" when the page has none (yet: see Extract)
	spans []span // the masked runs, in page order; none when nothing is masked
	root  *html.Node
	links *html.Node
	used  bool // Extract consumed root
	keyed bool // key and masked are computed
	err   error
}

// maskRune stands for a run of masked text. A page whose own text holds it
// is read as it is, without a key.
const maskRune = '\uE000'

const maskMark = string(maskRune)

// keyVersion is part of every key: bump it when what a key covers changes,
// or when the extractor or the caller's checks of the text change (the
// extractor's Version is part of the rules fingerprint already).
const keyVersion = 1

// NewPage reads page (HTML, already UTF-8) for rules r. It tokenizes the
// page once to compute its key; the tree is built on first use.
func NewPage(page string, r Rules) *Page {
	return &Page{src: page, rules: r}
}

// tokenize computes the key, once.
func (p *Page) tokenize() {
	if !p.keyed {
		p.keyed = true
		p.key, p.spans = pageKey(p.src, p.rules)
	}
}

// masked reports whether any text of the page is masked.
func (p *Page) masked() bool { return len(p.spans) > 0 }

// Key returns the page key (see Page), or "" when the page has none. After
// Extract it is "" also when the masked text reached the extracted text.
func (p *Page) Key() string {
	p.tokenize()
	return p.key
}

// parsed returns the tree of the page as Extract reads it: with masked runs
// marked, if any.
func (p *Page) parsed() (*html.Node, error) {
	p.tokenize()
	if p.root == nil && !p.used && p.err == nil {
		src := p.src
		if p.masked() {
			// Built only now: a check whose key matches never needs it.
			src = splice(p.src, p.spans)
		}
		p.root, p.err = parseTree(src)
	}
	return p.root, p.err
}

func parseTree(s string) (*html.Node, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		return nil, err
	}
	return doc.Nodes[0], nil
}

// Links returns the page's tree for readers of its links and their text
// (board discovery, past versions); call it before Extract to share the
// tree. The tree must not be changed. It holds the page's own text in every
// link (<a>) and <select>: when a masked run would show there, it is the
// tree of the page itself, parsed once more.
func (p *Page) Links() (*html.Node, error) {
	if p.links != nil {
		return p.links, nil
	}
	if root, err := p.parsed(); err == nil && root != nil && (!p.masked() || !markInLinks(root)) {
		p.links = root
		return root, nil
	}
	root, err := parseTree(p.src)
	if err != nil {
		return nil, err
	}
	p.links = root
	return root, nil
}

// markInLinks reports a masked run inside an <a>, <option> or <select>.
func markInLinks(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.Contains(c.Data, maskMark) {
				for a := c.Parent; a != nil; a = a.Parent {
					if a.Type == html.ElementNode && (a.DataAtom == atom.A || a.DataAtom == atom.Option || a.DataAtom == atom.Select) {
						return true
					}
				}
			}
		case html.ElementNode:
			if markInLinks(c) {
				return true
			}
		}
	}
	return false
}

// Extract returns the policy text of the page, as HTML(page, rules) does.
// It may be called once.
func (p *Page) Extract() (string, error) {
	sel, excl, err := p.rules.compile()
	if err != nil {
		return "", err
	}
	root, err := p.parsed()
	if p.used {
		return "", errPageUsed
	}
	if err != nil {
		return "", fmt.Errorf("extract: parse html: %w", err)
	}
	if p.links == root {
		// The link readers are done with it (Links is called first).
		p.links = nil
	}
	p.used, p.root = true, nil
	out, err := extractTree(root, len(p.src), p.rules, sel, excl)
	if !p.masked() || !strings.Contains(out, maskMark) && (err == nil || !strings.Contains(err.Error(), maskMark)) {
		return out, err
	}
	// A masked run reached the text: the model was wrong for this page
	// (or the page holds the mark itself). Read the page as it is.
	p.key = ""
	if root, err = parseTree(p.src); err != nil {
		return "", fmt.Errorf("extract: parse html: %w", err)
	}
	return extractTree(root, len(p.src), p.rules, sel, excl)
}

var errPageUsed = errors.New("extract: the page was extracted already")

// formatting elements: the tree builder compares their attributes, values
// included (the "Noah's Ark" clause), so none of their values is masked.
func formatting(a atom.Atom) bool {
	switch a {
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr, atom.S, atom.Small,
		atom.Strike, atom.Strong, atom.Tt, atom.U:
		return true
	}
	return false
}

func void(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Keygen,
		atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// readAttrs are the attributes whose values the extractor (noise, headings),
// the tree builder (input type, annotation-xml encoding) or a selector may
// read.
var readAttrs = []string{"class", "id", "hidden", "aria-hidden", "style", "type", "open", "role", "aria-level", "encoding"}

// keyPlan is what pageKey needs of the rules.
type keyPlan struct {
	fingerprint string
	maskAttrs   bool
	read        map[string]bool
	maskText    bool
	sel         cascadia.Matcher // nil: the selector is not simple
	excl        []cascadia.Matcher
	ok          bool // the rules compile
}

var plans sync.Map // Rules fingerprint → *keyPlan

func planFor(r Rules) *keyPlan {
	fp := r.Fingerprint()
	if v, ok := plans.Load(fp); ok {
		return v.(*keyPlan)
	}
	kp := &keyPlan{fingerprint: fp, read: map[string]bool{}}
	for _, a := range readAttrs {
		kp.read[a] = true
	}
	sels := append([]string{strings.TrimSpace(r.Selector)}, r.excludes()...)
	pseudo := false
	for _, s := range sels {
		if strings.ContainsRune(s, ':') {
			pseudo = true
		}
		// Every name in a selector may be an attribute it reads.
		for _, w := range strings.FieldsFunc(s, func(c rune) bool {
			return !(c == '-' || c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9')
		}) {
			kp.read[strings.ToLower(w)] = true
		}
	}
	if _, _, err := r.compile(); err == nil {
		kp.ok = true
	}
	kp.maskAttrs = !pseudo
	kp.maskText = !pseudo && strings.TrimSpace(r.Selector) != ""
	if kp.maskText {
		kp.sel = simpleSel(r.Selector)
		for _, e := range r.excludes() {
			if m := simpleSel(e); m != nil {
				kp.excl = append(kp.excl, m)
			}
		}
	}
	plans.Store(fp, kp)
	return kp
}

// simpleSel compiles s when it is a group of compound selectors without
// combinators (".popup", "div#policy", "p, td"), which match an element
// on its own name and attributes; nil otherwise.
func simpleSel(s string) cascadia.Matcher {
	s = strings.TrimSpace(s)
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" || strings.ContainsAny(part, " \t\n\r\f>+~()|\\\"'") {
			return nil
		}
	}
	m, err := cascadia.ParseGroup(s)
	if err != nil {
		return nil
	}
	return m
}

// keyBuf holds the canonical token stream while it is hashed.
var keyBuf = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

type openElem struct {
	name               string
	excluded, selected bool
	noise, link        bool
}

// pageKey returns the key of page under r ("" when it has none) and the
// masked runs (see splice), in page order. It reads the tokens with
// tokenScanner, and again with the Tokenizer when the scanner declines.
func pageKey(page string, r Rules) (key string, masked []span) {
	kp := planFor(r)
	if !kp.ok {
		return "", nil
	}
	s := newScanner(page)
	key, masked, err := streamKey(s, len(page), kp)
	s.free()
	if errors.Is(err, errDecline) {
		key, masked, _ = streamKey(netTokens{html.NewTokenizer(strings.NewReader(page))}, len(page), kp)
	}
	return key, masked
}

// streamKey is pageKey on the tokens of z, a page of size bytes. Its error
// is errDecline when z declined.
func streamKey(z tokenSource, size int, kp *keyPlan) (key string, masked []span, err error) {
	bp := keyBuf.Get().(*[]byte)
	buf := (*bp)[:0]
	defer func() {
		if cap(buf) <= 1<<20 {
			*bp = buf[:0]
			keyBuf.Put(bp)
		}
	}()
	buf = append(buf, "monitord/page-key\x00v"...)
	buf = strconv.AppendInt(buf, keyVersion, 10)
	buf = append(buf, 0)
	buf = append(buf, kp.fingerprint...)
	buf = append(buf, 0)

	var (
		stack                   []openElem
		excluded, noise, inLink int // open elements of each kind
		selected                int
		spans                   []span // masked runs, in page order
		pos                     int    // offset of the current token in page
		scratch                 []byte // the shape of a masked token
		node                    = &html.Node{Type: html.ElementNode}
	)
	for {
		tt := z.Next()
		rawLen := len(z.Raw())
		rawLT := rawLen > 0 && z.Raw()[0] == '<'
		start := pos
		pos += rawLen
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF || pos != size {
				if errors.Is(err, errDecline) {
					return "", nil, err
				}
				return "", nil, nil
			}
			sum := sha256.Sum256(buf)
			return hex.EncodeToString(sum[:]), spans, nil
		case html.TextToken:
			mask := kp.maskText && !rawLT && inLink == 0 &&
				(excluded > 0 || noise > 0 || (kp.sel != nil && selected == 0))
			if !mask {
				// The raw bytes: after the same tokens, they decide the
				// text (unescaping, newlines) and are cheaper to take.
				buf = appendField(buf, 'r', z.Raw())
				continue
			}
			d := z.Text()
			scratch = canon(scratch[:0], d)
			c := scratch
			buf = appendField(buf, 'm', c)
			if string(c) != string(d) {
				spans = append(spans, span{start, pos, string(c)})
			}
		case html.CommentToken:
			buf = appendField(buf, 'c', z.Text())
		case html.DoctypeToken:
			buf = appendField(buf, 'd', z.Text())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name := z.Name(tt)
			a := atom.Lookup(name)
			if tt != html.EndTagToken && (a == atom.Svg || a == atom.Math) {
				return "", nil, nil // foreign content: see Page
			}
			kind := byte('s')
			switch tt {
			case html.SelfClosingTagToken:
				kind = 'S'
			case html.EndTagToken:
				kind = 'e'
			}
			buf = appendField(buf, kind, name)
			sname := a.String()
			if a == 0 {
				sname = string(name)
			}
			node.Data, node.DataAtom, node.Attr = sname, a, node.Attr[:0]
			// Not TagName's hasAttr: TagAttr itself says there is none
			// (a nil key: a saved attribute's key is never empty).
			for more := true; more; {
				var k, v []byte
				if k, v, more = z.TagAttr(); k == nil {
					break
				}
				buf = appendField(buf, 'k', k)
				read := kp.read[string(k)]
				if !kp.maskAttrs || read || formatting(a) {
					buf = appendField(buf, 'v', v)
				}
				if read && tt != html.EndTagToken {
					node.Attr = append(node.Attr, html.Attribute{Key: string(k), Val: string(v)})
				}
			}
			if !kp.maskText {
				continue
			}
			if tt == html.EndTagToken {
				for i := len(stack) - 1; i >= 0; i-- {
					if stack[i].name == sname {
						for _, e := range stack[i:] {
							excluded -= b2i(e.excluded)
							selected -= b2i(e.selected)
							noise -= b2i(e.noise)
							inLink -= b2i(e.link)
						}
						stack = stack[:i]
						break
					}
				}
				continue
			}
			if tt == html.SelfClosingTagToken || void(a) {
				continue
			}
			e := openElem{name: sname}
			for _, m := range kp.excl {
				if m.Match(node) {
					e.excluded = true
					break
				}
			}
			e.selected = kp.sel != nil && kp.sel.Match(node)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				e.noise = true
			case atom.A, atom.Option, atom.Select:
				e.link = true
			}
			excluded += b2i(e.excluded)
			selected += b2i(e.selected)
			noise += b2i(e.noise)
			inLink += b2i(e.link)
			stack = append(stack, e)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// span is a masked text token: page[start:end] is replaced by mark.
type span struct {
	start, end int
	mark       string
}

func splice(page string, spans []span) string {
	var b strings.Builder
	b.Grow(len(page))
	at := 0
	for _, s := range spans {
		b.WriteString(page[at:s.start])
		b.WriteString(s.mark)
		at = s.end
	}
	b.WriteString(page[at:])
	return b.String()
}

// canon appends to out the shape of a masked text token: its whitespace
// and NULs as they are, each run of other characters as one maskRune.
func canon(out, d []byte) []byte {
	run := false
	for _, c := range d {
		switch c {
		case ' ', '\t', '\n', '\f', '\r', 0:
			out = append(out, c)
			run = false
		default:
			if !run {
				out = append(out, maskMark...)
				run = true
			}
		}
	}
	return out
}

// appendField appends one field of the canonical stream: its kind, its
// length and its bytes.
func appendField(buf []byte, kind byte, b []byte) []byte {
	buf = append(buf, kind)
	buf = binary.AppendUvarint(buf, uint64(len(b)))
	return append(buf, b...)
}

// tagName returns the name of the tag token z is at, as z.TagName would,
// without TagName's copy where that is the raw name itself: the name
// starts right after "<" (or "</") and runs to the first space, "/" or
// ">" (html.Tokenizer's readTagName); TagName lower-cases it and replaces
// NUL, so a name with an upper-case letter or a NUL is left to TagName.
// The result is valid until z.Next. FuzzTagName holds it to TagName.
func tagName(z *html.Tokenizer, tt html.TokenType) []byte {
	raw := z.Raw()
	off := 1 + b2i(tt == html.EndTagToken)
scan:
	for i := off; i < len(raw); i++ {
		switch c := raw[i]; {
		case isSpace(c) || c == '/' || c == '>':
			return raw[off:i]
		case c == 0 || 'A' <= c && c <= 'Z':
			break scan
		}
	}
	name, _ := z.TagName()
	return name
}
