package extract

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Tuning of the policy-box heuristic (see the package documentation).
const (
	// shareNeeded is the share of the page's keyword weight, in percent,
	// that the candidate element must hold. It must stay above 50.
	shareNeeded = 85
	// growLimit is how much text, in percent of the candidate's, its
	// ancestors may add while the candidate grows.
	growLimit = 15
	// A candidate is too small to be a policy box below minBytes of
	// text, or below tinyBytes when it is also under 1/tinyShare of the
	// page.
	minBytes  = 200
	tinyBytes = 1000
	tinyShare = 5
	// maxCellLines is the most lines a table cell may have before its
	// table is treated as page layout rather than data.
	maxCellLines = 8
)

// HTML extracts the policy text of an HTML page (already UTF-8).
//
// It drops script, style, noscript, template, svg, math, iframe, object,
// embed, canvas, audio, video, comments, hidden inputs, unopened dialogs and
// every element that is hidden (a hidden attribute, aria-hidden="true", or
// an inline style with display:none or visibility:hidden). It then removes
// the elements matching r.Exclude, and keeps the union of r.Selector's
// matches in document order (ErrNoContent when none match), or without a
// selector the policy element chosen as described in the package
// documentation. Headings are marked with "#"×level (see the package
// documentation). The output follows the package's output contract; an
// empty result is ErrNoContent.
//
// Text of buttons, labels and the options of a select (pages list past
// versions there) is kept; image alt text and attribute values are not.
// Content hidden by an inline style is dropped even when a script would
// reveal it (collapsed accordions).
func HTML(page string, r Rules) (string, error) {
	sel, excl, err := r.compile()
	if err != nil {
		return "", err
	}
	root, err := parseTree(page)
	if err != nil {
		return "", fmt.Errorf("extract: parse html: %w", err)
	}
	return extractTree(root, len(page), r, sel, excl)
}

// extractTree is HTML on the page's tree (which it changes), size the
// page's length.
func extractTree(root *html.Node, size int, r Rules, sel cascadia.Selector, excl []cascadia.Selector) (string, error) {
	doc := goquery.NewDocumentFromNode(root)
	var roles bool
	removeNoise(root, &roles)

	if len(excl) > 0 {
		// Match every exclude against the same tree before removing
		// anything, so that their order cannot matter.
		var drop []*html.Node
		for _, m := range excl {
			drop = append(drop, doc.FindMatcher(m).Nodes...)
		}
		for _, n := range drop {
			detach(n)
		}
	}

	var parts []*html.Node
	if sel != nil {
		parts = outermost(doc.FindMatcher(sel).Nodes)
		if len(parts) == 0 {
			return "", fmt.Errorf("%w: selector %q matched nothing; check the target's selector against the page", ErrNoContent, strings.TrimSpace(r.Selector))
		}
	} else {
		body := findBody(root)
		removeChrome(body, false)
		parts = []*html.Node{choose(body)}
	}

	bp := renderBuf.Get().(*renderBufs)
	defer bp.put()
	if cap(bp.out) < size/2 {
		bp.out = make([]byte, 0, size/2)
	}
	w := renderer{out: bp.out[:0], cur: bp.cur[:0], roles: roles}
	for _, n := range parts {
		w.node(n)
		w.flush()
	}
	bp.out, bp.cur = w.out, w.cur // grown: keep for the next page
	if len(w.out) == 0 {
		if sel != nil {
			return "", fmt.Errorf("%w: selector %q matched only empty or hidden elements", ErrNoContent, strings.TrimSpace(r.Selector))
		}
		return "", fmt.Errorf("%w: the page has no visible text", ErrNoContent)
	}
	if !w.unsafe {
		return string(w.out), nil
	}
	return nfc(w.out), nil
}

func detach(n *html.Node) {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}

// outermost keeps the nodes (in document order) that have no ancestor in
// the list, so nested matches are not rendered twice.
func outermost(nodes []*html.Node) []*html.Node {
	if len(nodes) < 2 {
		return nodes
	}
	in := make(map[*html.Node]bool, len(nodes))
	for _, n := range nodes {
		in[n] = true
	}
	out := nodes[:0:0]
	for _, n := range nodes {
		nested := false
		for p := n.Parent; p != nil; p = p.Parent {
			if in[p] {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, n)
		}
	}
	return out
}

func findBody(root *html.Node) *html.Node {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Html {
			for b := c.FirstChild; b != nil; b = b.NextSibling {
				if b.Type == html.ElementNode && b.DataAtom == atom.Body {
					return b
				}
			}
			return c
		}
	}
	return root
}

// removeNoise detaches, below n, every node that is never policy text. It
// sets *roles when an element has a role or aria-level that can make or
// unmake a heading, so that rendering looks at attributes only then.
func removeNoise(n *html.Node, roles *bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.CommentNode, html.DoctypeNode:
			n.RemoveChild(c)
		case html.ElementNode:
			if noise(c, roles) {
				n.RemoveChild(c)
			} else {
				removeNoise(c, roles)
			}
		}
		c = next
	}
}

func noise(n *html.Node, roles *bool) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Math,
		atom.Iframe, atom.Object, atom.Embed, atom.Canvas, atom.Audio, atom.Video,
		atom.Link, atom.Meta, atom.Base, atom.Datalist, atom.Param, atom.Source, atom.Track:
		return true
	}
	if n.Namespace != "" { // foreign content under an unknown root
		return true
	}
	hasOpen := false
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "style":
			if hiddenStyle(a.Val) {
				return true
			}
		case "type":
			if n.DataAtom == atom.Input && strings.EqualFold(strings.TrimSpace(a.Val), "hidden") {
				return true
			}
		case "open":
			hasOpen = true
		case "role":
			switch strings.ToLower(strings.TrimSpace(a.Val)) {
			case "heading", "presentation", "none":
				*roles = true
			}
		case "aria-level":
			*roles = true
		}
	}
	// A dialog without the open attribute is not rendered.
	return n.DataAtom == atom.Dialog && !hasOpen
}

// hiddenStyle reports an inline style declaring display:none or
// visibility:hidden (any case, any spacing, with or without !important).
func hiddenStyle(style string) bool {
	if !containsFold(style, "none") && !containsFold(style, "hidden") {
		return false
	}
	for decl := range strings.SplitSeq(style, ";") {
		prop, val, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		prop = strings.ToLower(strings.TrimSpace(prop))
		val = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(val), "!important")))
		if (prop == "display" && val == "none") || (prop == "visibility" && val == "hidden") {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII word w in
// any case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// removeChrome detaches page chrome below n: nav and aside always, and
// header and footer unless they belong to an article, section or main
// (where they hold that part's title or dates, not the site's).
func removeChrome(n *html.Node, sectioned bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if chrome(c, sectioned) {
				n.RemoveChild(c)
			} else {
				s := sectioned || c.DataAtom == atom.Article || c.DataAtom == atom.Section || c.DataAtom == atom.Main
				removeChrome(c, s)
			}
		}
		c = next
	}
}

func chrome(n *html.Node, sectioned bool) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside:
		return true
	case atom.Header, atom.Footer:
		if !sectioned {
			return true
		}
	}
	for _, a := range n.Attr {
		if a.Key == "role" {
			switch strings.ToLower(strings.TrimSpace(a.Val)) {
			case "navigation", "banner", "contentinfo":
				return true
			}
		}
	}
	return false
}

// stats aggregates the text below an element.
type stats struct {
	text int // bytes of text, without surrounding spaces
	ko   int // bytes of text nodes containing 개인정보
	en   int // bytes of text nodes containing "privacy"
}

func (s *stats) add(o stats) {
	s.text += o.text
	s.ko += o.ko
	s.en += o.en
}

func (s stats) minus(o stats) stats {
	return stats{text: s.text - o.text, ko: s.ko - o.ko, en: s.en - o.en}
}

// scanner computes text stats in document order. It remembers the end
// of the previous text node so that a keyword split across inline elements
// ("<b>개인</b>정보") still counts.
type scanner struct {
	tail [keyTail]byte
	n    int
}

// keyTail is enough bytes to hold "개인" and a few spaces.
const keyTail = 12

func (sc *scanner) text(s string) stats {
	t := strings.TrimSpace(s)
	if t == "" {
		return stats{}
	}
	n := len(t)
	st := stats{text: n}
	if hasKeyword(t) || sc.straddles(t) {
		st.ko = n
	}
	if strings.Contains(t, "rivacy") || strings.Contains(t, "RIVACY") {
		st.en = n
	}
	sc.remember(t)
	return st
}

// signal reports text below n, outside skip, that mentions 시행, 부칙, 공고
// or "effective": where a policy states its dates.
func signal(n, skip *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c == skip:
		case c.Type == html.TextNode:
			t := c.Data
			if strings.Contains(t, "시행") || strings.Contains(t, "부칙") || strings.Contains(t, "공고") ||
				strings.Contains(t, "ffective") || strings.Contains(t, "FFECTIVE") {
				return true
			}
		case c.Type == html.ElementNode:
			if signal(c, skip) {
				return true
			}
		}
	}
	return false
}

// straddles reports a keyword that starts in the previous text node and
// ends in s.
func (sc *scanner) straddles(s string) bool {
	// The keyword would end with 보 within the first bytes of s.
	if sc.n == 0 || !strings.Contains(s[:min(len(s), keyTail)], "보") {
		return false
	}
	var buf [2 * keyTail]byte
	k := copy(buf[:], sc.tail[:sc.n])
	k += copy(buf[k:], s)
	return hasKeyword(buf[:k])
}

func (sc *scanner) remember(s string) {
	if len(s) >= keyTail {
		sc.n = copy(sc.tail[:], s[len(s)-keyTail:])
		return
	}
	keep := min(sc.n, keyTail-len(s))
	copy(sc.tail[:], sc.tail[sc.n-keep:sc.n])
	sc.n = keep + copy(sc.tail[keep:], s)
}

// hasKeyword reports 개인정보, also written with spaces or NBSPs between
// 개인 and 정보 ("개인 정보"), as some policies do throughout.
func hasKeyword[T string | []byte](s T) bool {
	const first, second = "개인", "정보"
	for i := 0; ; {
		k := index(s[i:], first)
		if k < 0 {
			return false
		}
		j := i + k + len(first)
		for j < len(s) {
			if s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r' {
				j++
			} else if s[j] == 0xC2 && j+1 < len(s) && s[j+1] == 0xA0 {
				j += 2
			} else {
				break
			}
		}
		if j+len(second) <= len(s) && string(s[j:j+len(second)]) == second {
			return true
		}
		i += k + 1
	}
}

func index[T string | []byte](s T, sub string) int {
	switch v := any(s).(type) {
	case string:
		return strings.Index(v, sub)
	case []byte:
		return bytes.Index(v, []byte(sub))
	}
	return -1
}

// elemStats is an element with the stats of its subtree.
type elemStats struct {
	n  *html.Node
	st stats
}

// measure appends, in post-order (children before parents), every element
// below and including n that holds keyword text, with its stats, and
// returns n's stats. Elements without keyword text can be neither the
// candidate nor its ancestors.
func (sc *scanner) measure(n *html.Node, out *[]elemStats) stats {
	var st stats
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			st.add(sc.text(c.Data))
		case html.ElementNode:
			st.add(sc.measure(c, out))
		}
	}
	if st.ko > 0 || st.en > 0 {
		*out = append(*out, elemStats{n, st})
	}
	return st
}

// choose returns the element of body that holds the policy.
func choose(body *html.Node) *html.Node {
	var sc scanner
	elems := make([]elemStats, 0, 64)
	total := sc.measure(body, &elems)
	weight := func(s stats) int { return s.ko }
	switch {
	case total.ko > 0:
	case total.en > 0:
		weight = func(s stats) int { return s.en }
	default:
		return body
	}
	need := (weight(total)*shareNeeded + 99) / 100
	// In post-order the first element holding enough weight is the
	// smallest: everything that passes lies on one chain (need > half).
	ci := 0
	for weight(elems[ci].st) < need {
		ci++
	}
	cand := elems[ci]
	if cand.st.text < minBytes || (cand.st.text < tinyBytes && cand.st.text*tinyShare < total.text) {
		return body
	}
	// The ancestors up to body, each with its stats; they come later in
	// post-order.
	var chain []elemStats
	for i, p := ci+1, cand.n.Parent; p != nil && i < len(elems); i++ {
		if elems[i].n == p {
			chain = append(chain, elems[i])
			p = p.Parent
		}
	}
	if cand.n.DataAtom == atom.Article || cand.n.DataAtom == atom.Main {
		return cand.n
	}
	for _, a := range chain {
		if a.n.DataAtom == atom.Article {
			return a.n
		}
	}
	best := cand
	for _, a := range chain {
		extra := a.st.minus(best.st)
		if (a.st.text-cand.st.text)*100 > cand.st.text*growLimit {
			break
		}
		if extra.text > 0 && weight(extra)*2 < extra.text && !signal(a.n, best.n) {
			break
		}
		best = a
		if a.n.DataAtom == atom.Main {
			break
		}
	}
	return best.n
}

// renderer turns a tree into lines: one per block, cleaned as they are
// finished.
// renderBufs are the renderer's buffers, reused from page to page: the
// text leaves them as a string (a copy), so they are free after each page.
type renderBufs struct{ out, cur []byte }

var renderBuf = sync.Pool{New: func() any { return new(renderBufs) }}

// put returns the buffers to the pool, unless a rare huge page grew them.
func (b *renderBufs) put() {
	if cap(b.out) > 4<<20 || cap(b.cur) > 1<<20 {
		return
	}
	renderBuf.Put(b)
}

type renderer struct {
	out   []byte // finished lines, "\n"-separated
	cur   []byte // the line being built, raw
	pre   int    // depth of pre-formatted elements
	table bool   // a table was rendered
	// unsafe is set when a character outside stableNFC was written: only
	// then does the output need an NFC pass.
	unsafe bool
	// roles is set when the page has role or aria-level attributes:
	// only then can an element other than <hN> be a heading.
	roles bool
	// head is the level of the heading being rendered (0 outside one):
	// a heading is one line, so the blocks inside it only add spaces.
	head int
	// heads is set when a heading line was written.
	heads bool
	cell  *renderer
	cells []cell
}

// cell is a rendered table cell.
type cell struct {
	text  []byte
	heads bool // it holds a heading line
}

func (w *renderer) reset() {
	w.out, w.cur, w.pre, w.table, w.unsafe, w.head, w.heads = w.out[:0], w.cur[:0], 0, false, false, 0, false
}

// flush finishes the current line. Inside a heading it only separates
// words: the heading stays one line, whatever blocks, rows, <br> or <pre>
// lines it holds.
func (w *renderer) flush() {
	if len(w.cur) == 0 {
		return
	}
	if w.head > 0 {
		w.cur = append(w.cur, ' ')
		return
	}
	w.out = appendLineNFC(w.out, w.cur, &w.unsafe)
	w.cur = w.cur[:0]
}

// hashes holds the heading markers: hashes[:n] is the marker of level n.
const hashes = "######"

// heading renders n, a heading of the given level, as one line that starts
// with the level's marker ("## 제2조(수집 항목)"). A heading with no
// visible text writes nothing.
func (w *renderer) heading(n *html.Node, level int) {
	w.flush()
	w.cur = append(w.cur, hashes[:level]...)
	w.cur = append(w.cur, ' ')
	w.head = level
	w.children(n)
	w.head = 0
	before := len(w.out)
	w.flush()
	start := before
	if before > 0 {
		start++
	}
	if string(w.out[start:]) == hashes[:level] {
		w.out = w.out[:before] // only the marker: an empty heading
		return
	}
	w.heads = true
}

// headingAtom returns N for <hN>, else 0.
func headingAtom(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// roleLevel returns the heading level of n given its tag's level (N for
// <hN>, else 0) and its attributes: role="heading" makes any element a
// heading of level aria-level (default 2, as in WAI-ARIA); aria-level also
// sets the level of an <hN>, and role="presentation" or "none" takes the
// heading away. <b>/<strong> pseudo-headings stay level 0: nothing says the
// page calls them headings. It is only called when removeNoise saw such
// attributes on the page.
func roleLevel(n *html.Node, level int) int {
	aria := 0
	for i := range n.Attr {
		// Every element with attributes comes here: compare lengths
		// first, and do not copy the attributes.
		a := &n.Attr[i]
		switch {
		case len(a.Key) == len("role") && a.Key == "role":
			switch strings.ToLower(strings.TrimSpace(a.Val)) {
			case "heading":
				if level == 0 {
					level = 2
				}
			case "presentation", "none":
				return 0
			}
		case len(a.Key) == len("aria-level") && a.Key == "aria-level":
			if v, err := strconv.Atoi(strings.TrimSpace(a.Val)); err == nil && v >= 1 {
				aria = min(v, len(hashes))
			}
		}
	}
	if level > 0 && aria > 0 {
		level = aria
	}
	return level
}

func (w *renderer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
}

func (w *renderer) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
	case html.ElementNode:
		switch {
		case n.DataAtom == atom.Br:
			w.flush()
		case n.DataAtom == atom.Tr:
			w.row(n)
		case n.DataAtom == atom.Table:
			w.table = true
			w.flush()
			w.children(n)
			w.flush()
		case preformatted(n.DataAtom):
			w.flush()
			w.pre++
			w.children(n)
			w.pre--
			w.flush()
		case block(n.DataAtom):
			// <h1>–<h6> are blocks; so are most role="heading"
			// elements.
			level := headingAtom(n.DataAtom)
			if w.roles && len(n.Attr) > 0 {
				level = roleLevel(n, level)
			}
			if level > 0 && w.head == 0 {
				w.heading(n, level)
				break
			}
			w.flush()
			w.children(n)
			w.flush()
		default:
			if w.roles && len(n.Attr) > 0 && w.head == 0 {
				if level := roleLevel(n, 0); level > 0 {
					w.heading(n, level)
					break
				}
			}
			w.children(n)
		}
	case html.DocumentNode:
		w.children(n)
	}
}

func (w *renderer) text(s string) {
	if w.pre == 0 {
		w.cur = append(w.cur, s...)
		return
	}
	for {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			w.cur = append(w.cur, s...)
			return
		}
		w.cur = append(w.cur, s[:i]...)
		w.flush()
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
}

// row renders a table row as one line with its cells joined by " | ", a
// cell's own lines joined by spaces. A row whose cells hold tables or many
// lines is page layout: its cells' lines are kept as they are.
func (w *renderer) row(tr *html.Node) {
	w.flush()
	w.table = true
	if w.cell == nil {
		w.cell = &renderer{roles: w.roles}
	}
	cw := w.cell
	w.cells = w.cells[:0]
	layout, empty, filled := false, true, 0
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
			continue
		}
		cw.reset()
		cw.children(c)
		cw.flush()
		if (cw.table || lines(cw.out) > maxCellLines) && w.head == 0 {
			layout = true // (inside a heading, everything is one line)
		}
		if len(cw.out) > 0 {
			empty = false
			filled++
		}
		w.unsafe = w.unsafe || cw.unsafe
		w.cells = append(w.cells, cell{text: append([]byte(nil), cw.out...), heads: cw.heads})
	}
	if empty {
		return
	}
	if layout {
		for _, c := range w.cells {
			if len(c.text) == 0 {
				continue
			}
			if len(w.out) > 0 {
				w.out = append(w.out, '\n')
			}
			w.out = append(w.out, c.text...)
			w.heads = w.heads || c.heads
		}
		return
	}
	for i, c := range w.cells {
		if i > 0 {
			w.cur = append(w.cur, " | "...)
		}
		text := c.text
		if c.heads {
			// A row of cells is one line of data: a heading in one of
			// its cells is not a heading of the policy, unless the row
			// is that heading alone.
			if filled == 1 && w.head == 0 && bytes.IndexByte(text, '\n') < 0 {
				w.cur = w.cur[:0] // only the separators of empty cells
				w.out = appendLineNFC(w.out, text, &w.unsafe)
				w.heads = true
				return
			}
			text = stripMarkers(text)
		}
		for _, b := range text {
			if b == '\n' {
				b = ' '
			}
			w.cur = append(w.cur, b)
		}
	}
	w.flush()
}

// stripMarkers removes the heading marker at the start of each line of b.
func stripMarkers(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for line := range bytes.Lines(b) {
		if n := markerLen(line); n > 0 {
			line = line[n:]
		}
		out = append(out, line...)
	}
	return out
}

// markerLen returns the length of the heading marker ("#"×N and a space,
// N = 1..6) that line starts with, or 0.
func markerLen[T string | []byte](line T) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > len(hashes) || n == len(line) || line[n] != ' ' {
		return 0
	}
	return n + 1
}

func lines(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	n := 1
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n
}

func preformatted(a atom.Atom) bool {
	switch a {
	case atom.Pre, atom.Textarea, atom.Listing, atom.Plaintext, atom.Xmp:
		return true
	}
	return false
}

func block(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Body, atom.Caption,
		atom.Center, atom.Dd, atom.Details, atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Dt,
		atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hgroup,
		atom.Hr, atom.Html, atom.Legend, atom.Li, atom.Main, atom.Menu, atom.Nav, atom.Ol,
		atom.Optgroup, atom.Option, atom.P, atom.Section, atom.Select, atom.Summary,
		atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr, atom.Ul, atom.Frameset,
		atom.Noframes, atom.Search:
		return true
	}
	return false
}
