package policy

import (
	"math/bits"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pline is one non-blank line of the input.
type pline struct {
	num   int    // 1-based line number in the input
	text  string // normalized
	c     cand   // the line as a heading candidate
	digit bool   // text has an ASCII digit
	dd    bool   // text has two ASCII digits in a row (hasDateDigits)
	emph  bool   // text has '*', '_' or '`' (dateText changes it)
	esc   bool   // text has a '\\'
	title bool   // a '#' line that is the document's own title
}

func (l *pline) setFacts(f facts) {
	l.digit, l.dd, l.emph, l.esc = f&factDigit != 0, f&factDateDigits != 0, f&factEmphasis != 0, f&factBackslash != 0
}

// frame is one open heading level: its style, the last number used at that
// level, and the last number of a list of the same style running inside it.
type frame struct {
	st    style
	last  int
	list  int
	hash  int
	level int // the Section.Level of the headings at this frame
}

type parser struct {
	ls    []pline
	secOf []int // section index of each line, -1 for table-of-contents lines
	secs  []Section
	// bodies backs the sections' Body slices: the lines of a pass go to
	// it in order, and only the last section ever grows, so each Body is a
	// window of it (see newBody); nbody is how much of it is used.
	bodies []string
	nbody  int
	// titleKeys holds the Key of each section's title (categorize finds
	// them, keys uses them): section i's is titleKeys[titleKey[i]:titleKey[i+1]].
	titleKeys []byte
	titleKey  []int
	stack     []frame
	toc       []string
	front     []pline // the lines of a front matter block, set aside
	started   bool    // a heading was accepted
	// depths has bit d set when the document has '#' headings of depth d
	// (the document title left out): a '#' heading's level is its rank
	// among them.
	depths uint8
}

// Parse splits the extracted text of a policy into a Document: sections with
// levels, keys and categories; the 공고일자, 시행일자 and 개정일 with the
// line each came from; the versions the page lists as history; and the
// notice period the policy promises in its change section.
//
// The input is one block per line (headings, paragraphs, list items, table
// rows), as the extractor writes it: a line that starts with "#"×N and a
// space is a heading the page itself marked (<hN> or a Markdown heading);
// see hashDepths for its level. Blank lines and NBSPs are tolerated. Parse
// never fails: a text without headings becomes paragraph sections.
func Parse(text string) *Document {
	p := &parser{}
	p.split(text)
	p.hashDepths()
	p.sections()
	p.categorize()
	p.keys()
	for i := range p.secs {
		// A Body is a window of p.bodies: it must not grow into the next.
		b := p.secs[i].Body
		p.secs[i].Body = b[:len(b):len(b)]
	}
	doc := &Document{Sections: p.secs, TOC: p.toc}
	p.dates(doc)
	p.promise(doc)
	if doc.Sections == nil {
		doc.Sections = []Section{}
	}
	return doc
}

// newBody returns the empty Body of a section opened after every other.
func (p *parser) newBody() []string {
	if p.nbody < len(p.bodies) {
		return p.bodies[p.nbody:p.nbody]
	}
	return []string{}
}

// addBody appends text to the Body of s, the last section.
func (p *parser) addBody(s *Section, text string) {
	s.Body = append(s.Body, text)
	p.nbody++
}

// resetSections drops every section, to start another pass.
func (p *parser) resetSections() {
	p.secs = p.secs[:0]
	p.nbody = 0
}

// Text returns the body of s joined by newlines.
func (s Section) Text() string { return strings.Join(s.Body, "\n") }

func (p *parser) split(text string) {
	n := strings.Count(text, "\n") + 1
	p.ls = make([]pline, 0, n)
	num := 0
	for len(text) > 0 || num == 0 {
		num++
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		t, f := normalize(line)
		if t == "" || (strings.HasPrefix(t, "{:") && t[len(t)-1] == '}') {
			continue // blank, or a kramdown attribute list ("{: .toc-list}")
		}
		p.ls = append(p.ls, pline{num: num, text: t, c: classifyEsc(t, f&factBackslash != 0)})
		p.ls[len(p.ls)-1].setFacts(f)
	}
	p.frontMatter()
	p.joinMarkers()
	p.secOf = make([]int, len(p.ls))
	// Each line is at most one Body line; a section needs a heading
	// candidate that decide may accept (shaped, numbered or 부칙) or is
	// the preamble, short of the fallbacks.
	p.bodies = make([]string, len(p.ls))
	heads := 1
	for i := range p.ls {
		if c := &p.ls[i].c; c.st.kind != kNone && (c.shaped || c.st.kind.numbered() || c.st.kind == kAddenda) {
			heads++
		}
	}
	p.secs = make([]Section, 0, heads)
}

// frontMatter sets aside a YAML front matter block at the top of the text
// ("---", "key: value" lines, then "---" or "..."; the extractor keeps the
// dated keys of a Markdown page's, and a text/plain body may hold one
// whole): it is the page's metadata, not the policy's text, so it is no
// section; its dates are read by key (see frontDate).
func (p *parser) frontMatter() {
	if len(p.ls) < 3 || p.ls[0].num != 1 || p.ls[0].text != "---" {
		return
	}
	keyed := false
	for k := 1; k < len(p.ls) && k < 100; k++ {
		t := p.ls[k].text
		if t == "---" || t == "..." {
			if !keyed {
				return
			}
			p.front = append([]pline(nil), p.ls[1:k]...)
			p.ls = append(p.ls[:0], p.ls[k+1:]...)
			return
		}
		if i := strings.IndexByte(t, ':'); i > 0 && !strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "#") {
			keyed = true
			continue
		}
		if !strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "#") {
			return // not YAML: a rule at the top, then text
		}
	}
}

// joinMarkers joins a line that is only a numbering marker ("3.", "제3조",
// "가.", "## 4.") with the line after it, which holds its title ("제3조" then
// "(개인정보의 보유기간)"): pages that set the number and the title in
// separate cells or blocks mean one heading. The line after must be text of
// its own, not another numbered or marked line, a table row or a sentence
// that ends the thought before it ("1." then "2." is a list of nothing).
func (p *parser) joinMarkers() {
	out := 0 // the lines kept so far; a line moves down only after a join
	for i := 0; i < len(p.ls); i++ {
		k, l := i, &p.ls[i]
		if i+1 < len(p.ls) {
			if j, ok := joinMarker(l.text, l.esc, p.ls[i+1].text); ok {
				l.text = j
				l.c = classify(j)
				l.setFacts(factsOf(j))
				i++
			}
		}
		if out != k {
			p.ls[out] = *l
		}
		out++
	}
	p.ls = p.ls[:out]
}

// joinMarker returns marker and next as one heading line when marker is a
// numbering marker alone (see joinMarkers).
// esc false says marker has no backslash.
func joinMarker(marker string, esc bool, next string) (string, bool) {
	s, hash := stripMarkdownEsc(marker, esc)
	if s == "" || len(s) > 16 || NumberingLen(s, true) != len(s) || !strings.ContainsAny(s, "0123456789.)조") {
		return "", false
	}
	if strings.HasPrefix(next, "#") || strings.IndexByte(next, '|') >= 0 || classify(next).st.kind != kNone {
		return "", false
	}
	// A line that states a date ("개정일 2000-01-02") is no title: joined to
	// the marker it would make a heading whose key changes with the date.
	if len(ScanDates(next)) > 0 {
		return "", false
	}
	if _, h := stripMarkdown(next); h > 0 {
		return "", false
	}
	if hash > 0 && !shaped(next, 2*maxTitleRunes, true) {
		return "", false
	}
	sep := " "
	if next[0] == '(' || strings.HasPrefix(next, "（") || next[0] == '[' || strings.HasPrefix(next, "【") {
		sep = "" // 제3조(개인정보의 보유기간)
	}
	return marker + sep + next, true
}

// sections is the one pass that decides, line by line, what is a heading.
func (p *parser) sections() {
	for i := 0; i < len(p.ls); i++ {
		if p.toc == nil && (!p.started || isTOCLabel(p.ls[i].text)) {
			if end, entries := p.tocRun(i); end > i {
				p.toc = entries
				for j := i; j < end; j++ {
					p.secOf[j] = -1
				}
				i = end - 1
				continue
			}
			if entries := inlineTOC(p.ls[i].text); entries != nil && !p.started {
				p.toc = entries
				p.secOf[i] = -1
				continue
			}
		}
		if level, ok := p.decide(i); ok {
			p.open(i, level)
			continue
		}
		p.body(i, p.ls[i].text)
	}
	if !p.started && !p.plainHeadings() {
		p.paragraphs()
	}
}

// plainHeadings is the fallback for a text without a single marked heading:
// pages that set their titles in bold paragraphs or plain lines (not <hN>),
// and texts from the extractor before it marked headings, give them as bare
// lines. A bare line is a top-level heading when it is short
// and shaped like a title, and either names a standard topic (and the next
// line is not another such title: two topical titles in a row are a list)
// or is followed by a paragraph at least twice its length. It reports
// whether it found at least two headings; if not, nothing is changed.
func (p *parser) plainHeadings() bool {
	heads := make([]bool, len(p.ls))
	n := 0
	for i := 0; i+1 < len(p.ls); i++ {
		if i == 0 || p.secOf[i] < 0 || !p.plainTitle(i) || p.tableCaption(i) || captionLine(p.ls[i].text) {
			continue // the first line is the document's own title; a caption names a table
		}
		t, next := p.ls[i].text, p.ls[i+1].text
		topical := Classify(t) != CategoryOther
		nextTitle := p.plainTitle(i + 1)
		prevTopical := i > 0 && p.plainTitle(i-1) && Classify(p.ls[i-1].text) != CategoryOther
		switch {
		case topical && !prevTopical && !(nextTitle && Classify(next) != CategoryOther):
		case !nextTitle && utf8.RuneCountInString(next) >= 30 && len(next) >= 2*len(t) && isParagraph(next):
		default:
			continue
		}
		heads[i] = true
		n++
	}
	if n < 2 {
		return false
	}
	p.resetSections()
	for i := range p.ls {
		if p.secOf[i] < 0 {
			continue
		}
		if heads[i] {
			p.ls[i].c = cand{title: p.ls[i].text, shaped: true}
			p.open(i, 1)
			continue
		}
		p.body(i, p.ls[i].text)
	}
	return true
}

// isParagraph reports whether s reads as running text: it ends a sentence.
func isParagraph(s string) bool {
	return endsSentence(s) || strings.HasSuffix(s, ".")
}

// plainTitle reports whether line i, which has no heading marker, is shaped
// like a title: short, not a sentence, no "key: value", no table row, and
// not ending in sentence punctuation.
func (p *parser) plainTitle(i int) bool {
	l := &p.ls[i]
	if l.c.st.kind != kNone || len(l.text) > 3*maxSymbolRunes || strings.IndexByte(l.text, '|') >= 0 {
		return false
	}
	switch l.text[len(l.text)-1] {
	case '.', ',', ':', ';':
		return false
	}
	return shaped(l.text, maxSymbolRunes, false)
}

func (p *parser) open(i, level int) {
	l := &p.ls[i]
	p.started = true
	s := Section{
		Level:   level,
		Marker:  l.c.marker,
		Title:   l.c.title,
		Heading: l.text,
		Body:    p.newBody(),
		Start:   l.num,
		End:     l.num,
	}
	if l.c.rest != "" {
		p.addBody(&s, l.c.rest)
	}
	p.secs = append(p.secs, s)
	p.secOf[i] = len(p.secs) - 1
}

func (p *parser) body(i int, text string) {
	l := &p.ls[i]
	if len(p.secs) == 0 {
		p.secs = append(p.secs, Section{Level: 0, Category: CategoryPreamble, Body: p.newBody(), Start: l.num})
	}
	s := &p.secs[len(p.secs)-1]
	p.addBody(s, text)
	s.End = l.num
	p.secOf[i] = len(p.secs) - 1
}

// paragraphs splits a text without headings into paragraph sections: lines
// separated by a blank line (or each line, when the text has no blank lines)
// form one section.
func (p *parser) paragraphs() {
	p.resetSections()
	for i := range p.ls {
		if p.secOf[i] < 0 {
			continue
		}
		l := &p.ls[i]
		if len(p.secs) > 0 {
			if s := &p.secs[len(p.secs)-1]; s.End == l.num-1 && p.hasBlankLines() {
				p.addBody(s, l.text)
				s.End = l.num
				p.secOf[i] = len(p.secs) - 1
				continue
			}
		}
		p.secs = append(p.secs, Section{Level: 0, Category: CategoryOther, Body: p.newBody(), Start: l.num, End: l.num})
		p.addBody(&p.secs[len(p.secs)-1], l.text)
		p.secOf[i] = len(p.secs) - 1
	}
}

func (p *parser) hasBlankLines() bool {
	return len(p.ls) > 0 && p.ls[len(p.ls)-1].num-p.ls[0].num+1 > len(p.ls)
}

// decide reports whether line i is a heading and at which level, keeping the
// stack of open levels up to date. The evidence, in order:
//   - the document's own title before the first heading is preamble.
//   - a '#' heading (marked by the page) is one when its title has a
//     reasonable length; its level is its depth's rank (hashDepths), except
//     that a number continuing the sequence of the nearest '#' heading of
//     its style makes it that heading's sibling. Unmarked headings below it
//     nest one level deeper, and numbering joins marked and unmarked
//     headings of one style ("<h3>제1조</h3>" then "<b>제2조</b>").
//   - consecutive short numbered lines (1. 2. 3. with nothing between) are a list.
//   - bullets (- ○ o ▶) are headings only when short, alone (no sibling bullet
//     right before or after) and followed by text.
//   - a numbered line continues its level's sequence (N = last+1); "1." again
//     inside a section starts a list, whose items are body; when a number fits
//     both the list and the level, it is a heading only if its title names a
//     standard topic. Duplicates and small gaps are headings when the title is
//     heading-shaped and names a standard topic (seed 001 has two "5." and
//     two "6.").
func (p *parser) decide(i int) (int, bool) {
	c := &p.ls[i].c
	if c.st.kind == kNone {
		return 0, false
	}
	if !p.started && c.n == 0 && (isDocTitle(c.title) || p.ls[i].title) {
		return 0, false
	}
	if c.st.kind == kAddenda {
		// 부칙 closes the body of the policy: it is always top-level.
		p.stack = append(p.stack[:0], frame{st: c.st})
		return 1, true
	}
	if c.hash > 0 {
		if !c.shaped {
			return 0, false
		}
		level := p.hashLevel(c.hash)
		if c.st.kind.numbered() {
			// A number that continues the sequence of the nearest '#'
			// heading of its style makes a sibling, whatever its depth:
			// "### 3." after "## 2." is an author's slip, not a level.
			for k := len(p.stack) - 1; k >= 0; k-- {
				if f := &p.stack[k]; f.hash > 0 && f.st == c.st {
					if c.n == f.last+1 {
						level = f.level
					}
					break
				}
			}
		}
		k := len(p.stack)
		for k > 0 && p.stack[k-1].level >= level {
			k--
		}
		p.stack = append(p.stack[:k], frame{st: c.st, last: c.n, hash: c.hash, level: level})
		return level, true
	}
	idx := p.find(c.st)
	if c.st.kind.numbered() && p.inRun(i) {
		if idx >= 0 {
			p.stack[idx].list = c.n
		}
		return 0, false
	}
	if !c.st.kind.numbered() {
		if !c.shaped || (c.st.kind == kBullet && !p.bulletHeading(i)) || p.tableCaption(i) {
			return 0, false
		}
		return p.accept(idx, c), true
	}
	// A long numbered line that begins with a standard title is a heading
	// merged with its first sentence; it is split only when its number fits.
	merge := func() bool {
		if c.shaped || c.merged || c.st.kind == kCircled {
			return c.merged
		}
		if title, after, ok := splitMerged(c.title); ok {
			c.title, c.rest, c.merged = title, after, true
		}
		return c.merged
	}
	if idx < 0 {
		if !(c.shaped || (c.n == 1 && merge())) || (len(p.stack) > 0 && c.n != 1) {
			return 0, false
		}
		return p.accept(idx, c), true
	}
	f := &p.stack[idx]
	next := c.n == f.last+1
	topical := func() bool { return c.shaped && Classify(c.title) != CategoryOther }
	switch {
	case f.list > 0 && c.n == f.list+1:
		if next && (topical() || merge()) {
			return p.accept(idx, c), true
		}
		f.list = c.n
	case c.n == 1 && f.last >= 1:
		f.list = 1
	case next && (c.shaped || merge()):
		return p.accept(idx, c), true
	case f.list == 0 && c.n <= f.last && topical():
		return p.accept(idx, c), true
	case c.n > f.last+1 && c.n <= f.last+3 && c.shaped:
		return p.accept(idx, c), true
	}
	return 0, false
}

func (p *parser) accept(idx int, c *cand) int {
	if idx < 0 {
		level := 1
		if k := len(p.stack); k > 0 {
			level = p.stack[k-1].level + 1
		}
		p.stack = append(p.stack, frame{st: c.st, last: c.n, level: level})
		return level
	}
	p.stack = p.stack[:idx+1]
	p.stack[idx].last = c.n
	p.stack[idx].list = 0
	return p.stack[idx].level
}

// find returns the open level of headings in style st, or -1. A '#'
// heading's frame counts: pages mark some headings and not others
// ("<h3>제1조</h3>" then "<p><b>제2조</b></p>"), and the numbering joins
// them.
func (p *parser) find(st style) int {
	for k := range p.stack {
		if p.stack[k].st == st {
			return k
		}
	}
	return -1
}

// hashDepths finds the '#' headings (the extractor marks HTML <h1>–<h6> and
// Markdown headings with "#"×N and a space) before the pass that decides
// the rest, so that their levels come from the whole document:
//
//   - a '#' heading's level is the rank of its depth among the depths of the
//     document's '#' headings: the shallowest present is level 1, the next
//     level 2, and so on, whatever the depths are ("###" sections under an
//     "#" page title are level 1, and "####" under them level 2);
//   - the document's own title is left out of that count and read as part of
//     the preamble when it comes before any heading: the first '#' heading
//     when it is unnumbered and either names the whole policy
//     ("# 개인정보처리방침") or is the only heading of the shallowest depth
//     (the page's one <h1>), stands in the first lines and names no
//     standard topic; and any '#' heading right after it that names the
//     whole policy too ("# 개인정보처리방침" then "## 개인정보 정책").
func (p *parser) hashDepths() {
	var heads []int // the '#' headings
	var count [7]int
	for i := range p.ls {
		c := &p.ls[i].c
		if c.hash == 0 || !c.shaped {
			continue
		}
		heads = append(heads, i)
		count[c.hash]++
	}
	if len(heads) == 0 {
		return
	}
	for k, i := range heads {
		c := &p.ls[i].c
		if c.n != 0 || c.st.kind == kAddenda {
			break
		}
		title := isDocTitle(c.title)
		if k == 0 && !title && i < maxTitleLine && count[c.hash] == 1 && Classify(c.title) == CategoryOther {
			title = true // the one heading of the shallowest depth
			for d := 1; d < c.hash; d++ {
				title = title && count[d] == 0
			}
		}
		if !title {
			break
		}
		p.ls[i].title = true
		count[c.hash]--
	}
	for d := 1; d <= 6; d++ {
		if count[d] > 0 {
			p.depths |= 1 << d
		}
	}
}

// maxTitleLine bounds how far down the page an unnamed document title may
// stand: a "Back" link or a logo line may come first, a section cannot.
const maxTitleLine = 5

// hashLevel returns the level of a '#' heading of the given depth: one more
// than the number of shallower depths among the document's '#' headings.
func (p *parser) hashLevel(depth int) int {
	return 1 + bits.OnesCount8(p.depths&(1<<depth-1))
}

// inRun reports whether line i is one of consecutive short numbered lines of
// one style (1. 2. 3. with nothing between): a list, not headings.
//
// A line whose heading carries its first sentence ("제1조(목적) 회사는 …",
// split at the closing bracket) is no list item: the sentence after the
// title is the section's body.
func (p *parser) inRun(i int) bool {
	c := &p.ls[i].c
	if !c.shaped || c.rest != "" {
		return false
	}
	if i > 0 {
		if q := &p.ls[i-1].c; q.hash == 0 && q.shaped && q.rest == "" && q.st == c.st && q.n == c.n-1 {
			return true
		}
	}
	if i+1 < len(p.ls) {
		if q := &p.ls[i+1].c; q.hash == 0 && q.shaped && q.rest == "" && q.st == c.st && q.n == c.n+1 {
			return true
		}
	}
	return false
}

// bulletHeading decides a bullet line from its neighbours: "○ 파기절차"
// followed by a paragraph is a subheading; "○ …" among sibling bullets is an
// item. Markdown list markers (- * +) need a plain line on both sides.
func (p *parser) bulletHeading(i int) bool {
	c := &p.ls[i].c
	if i+1 >= len(p.ls) {
		return false
	}
	var prev cand
	if i > 0 {
		prev = p.ls[i-1].c
	}
	next := p.ls[i+1].c
	if prev.st == c.st || next.st == c.st || next.hash > 0 {
		return false
	}
	switch next.st.kind {
	case kHash, kArticle, kSymbol, kAddenda:
		return false
	}
	switch c.st.sub {
	case '-', '*', '+', '–':
		if prev.st.kind == kBullet || next.st.kind != kNone {
			return false
		}
	}
	return true
}

func isDocTitle(t string) bool {
	k := squeeze(t)
	for _, w := range []string{"처리방침", "취급방침", "privacypolicy", "개인정보보호정책", "개인정보보호방침", "개인정보정책", "개인보호정책"} {
		if strings.Contains(k, w) {
			return Classify(t) == CategoryOther
		}
	}
	return false
}

// tocRun recognises a table of contents starting at line i: at least three
// consecutive short numbered lines 1, 2, 3, … whose first title comes back
// later as a heading. It returns the end of the run and its titles.
//
// A run of three or more bare title lines (an HTML list whose numbers were
// markup) is a table of contents on the same evidence.
func (p *parser) tocRun(i int) (int, []string) {
	c := &p.ls[i].c
	j := i + 1
	if isTOCLabel(p.ls[i].text) {
		// "목차", "## 목차", "**목차**", "[목차]", "■ 목차": the label of a
		// table of contents is no section, and it may stand anywhere.
		if i+1 == len(p.ls) {
			return i, nil
		}
		end, titles := p.tocRun(i + 1)
		if titles == nil {
			end, titles = p.tocBlock(i)
		}
		if titles == nil {
			return i, nil
		}
		p.secOf[i] = -1 // the label belongs to the table
		return end, titles
	}
	switch {
	case c.st.kind == kNone:
		if !p.plainTitle(i) {
			return i, nil
		}
		// The table ends where its first entry comes back as a heading.
		first := Key(p.ls[i].text)
		for j < len(p.ls) && p.plainTitle(j) && Key(p.ls[j].text) != first {
			j++
		}
	case c.st.kind.numbered() && c.n == 1 && c.shaped && c.hash == 0:
		for j < len(p.ls) {
			q := &p.ls[j].c
			if q.st != c.st || q.n != p.ls[j-1].c.n+1 || !q.shaped || q.hash > 0 {
				break
			}
			j++
		}
	default:
		return i, nil
	}
	if j-i < 3 {
		return i, nil
	}
	if c.st.kind == kNone {
		for m := i; m < j; m++ {
			p.ls[m].c.title = p.ls[m].text
		}
	}
	first := Key(p.ls[i].c.title)
	for k := j; k < len(p.ls); k++ {
		q := &p.ls[k].c
		if q.st.kind == kNone && c.st.kind == kNone && p.plainTitle(k) && Key(p.ls[k].text) == first {
			q = &cand{st: style{kind: kBold}, title: p.ls[k].text} // a bare heading repeats it
		}
		if q.st.kind != kNone && Key(q.title) == first {
			titles := make([]string, 0, j-i)
			for m := i; m < j; m++ {
				titles = append(titles, p.ls[m].c.title)
			}
			return j, titles
		}
	}
	return i, nil
}

// maxTOCLines bounds a labelled table of contents.
const maxTOCLines = 80

// tocBlock recognises the table of contents under the label at line i when
// its entries are not a plain numbered run: headings the page marked ("###
// 1. 목적" under "## 목차"), entries with page numbers or leaders ("1. 목적
// …… 3"), two entries on a line or in the cells of a row. The table is every
// line from the label to where its first entry comes back as a heading,
// provided each is an entry (short, not a sentence) and there are two or
// more; it returns the end and the entries' titles. The first entry that
// comes back ends it, whichever it is: a table may list a section the body
// names otherwise ("1. 총칙").
func (p *parser) tocBlock(i int) (int, []string) {
	if i+2 >= len(p.ls) {
		return i, nil
	}
	var titles []string
	keys := map[string]bool{}
	for k := i + 1; k < len(p.ls) && k <= i+maxTOCLines; k++ {
		l := &p.ls[k]
		if k > i+1 && (l.c.st.kind != kNone || p.plainTitle(k)) {
			t := l.c.title
			if l.c.st.kind == kNone {
				t = l.text
			}
			if keys[Key(t)] {
				// An entry comes back as a heading: the body starts.
				if len(titles) < 2 {
					return i, nil
				}
				return k, titles
			}
		}
		if r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(l.text, " .!?")); r == '다' || r == '요' || r == '까' || utf8.RuneCountInString(l.text) > 4*maxTitleRunes {
			return i, nil // running text: not a table of contents
		}
		for _, t := range p.entryTitles(k) {
			if key := Key(t); key != "" {
				titles = append(titles, t)
				keys[key] = true
			}
		}
	}
	return i, nil
}

// entryTitles returns the titles of the table-of-contents entries on line
// k: one per cell of a row and per number of an inline run ("1. 목적 2.
// 항목"), without markers, page numbers or leaders.
func (p *parser) entryTitles(k int) []string {
	var out []string
	for cell := range strings.SplitSeq(p.ls[k].text, "|") {
		cell = strings.TrimSpace(cell)
		for cell != "" {
			piece := cell
			cell = ""
			// "1. 목적 2. 항목": cut before the next " N. ", after the
			// entry's own marker.
			from := strings.IndexFunc(piece, func(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 || unicode.IsLetter(r) })
			for m := max(from, 1); from >= 0 && m < len(piece); m++ {
				if piece[m-1] != ' ' || !isDigit(piece[m]) {
					continue
				}
				e := m
				for e < len(piece) && isDigit(piece[e]) {
					e++
				}
				if e-m <= 2 && e+1 < len(piece) && piece[e] == '.' && piece[e+1] == ' ' {
					piece, cell = strings.TrimSpace(piece[:m]), piece[m:]
					break
				}
			}
			t := piece
			if c := classify(piece); c.st.kind != kNone && c.title != "" {
				t = c.title
				if n := NumberingLen(t, true); n > 0 && n < len(t) {
					t = t[n:] // "- 1. 목적": a bullet before the number
				}
			}
			if t = trimLeaders(t); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// trimLeaders removes the page number and dot leaders that end a
// table-of-contents entry ("개인정보의 처리 목적 …… 3").
func trimLeaders(t string) string {
	u := strings.TrimRight(t, "0123456789")
	if u != t && u != "" && !strings.HasSuffix(u, " ") && !strings.HasSuffix(u, ".") && !strings.HasSuffix(u, "…") && !strings.HasSuffix(u, "·") {
		return strings.TrimSpace(t) // a number that is part of the title ("제3자", "개인정보 14")
	}
	return strings.TrimSpace(strings.TrimRight(u, " .·…-─_"))
}

// isTOCLabel reports whether a line only announces a table of contents.
func isTOCLabel(s string) bool {
	// Each label's key holds 차 or c, which only 차, c and C key to.
	if !containsSyllables(s, "차") && strings.IndexByte(s, 'c') < 0 && strings.IndexByte(s, 'C') < 0 {
		return false
	}
	// The longest label's key has 15 bytes: a line whose key is longer
	// is read only that far.
	var buf [32]byte
	switch string(appendKeyUpTo(buf[:0], s, len("tableofcontents"))) {
	case "목차", "차례", "contents", "tableofcontents":
		return true
	}
	return false
}

// inlineTOC recognises a table of contents written on one line:
// "1. 수집하는 개인정보의 항목 2. 개인정보의 수집 및 이용목적 3. … |".
func inlineTOC(s string) []string {
	if !strings.HasPrefix(s, "1. ") {
		return nil
	}
	var entries []string
	rest := s[3:]
	for k := 2; ; k++ {
		sep := " " + strconv.Itoa(k) + ". "
		i := strings.Index(rest, sep)
		if i < 0 {
			entries = append(entries, tocEntry(rest))
			break
		}
		entries = append(entries, tocEntry(rest[:i]))
		rest = rest[i+len(sep):]
	}
	if len(entries) < 3 {
		return nil
	}
	return entries
}

func tocEntry(s string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "|"))
}

// categorize gives each section its category from its title; a subsection
// takes its parent's category (a part of "파기" is about 파기, whatever its
// own words say) unless the parent's is other.
func (p *parser) categorize() {
	type anc struct {
		level int
		cat   Category
	}
	var chain []anc
	p.titleKeys = make([]byte, 0, 32*len(p.secs))
	p.titleKey = make([]int, len(p.secs)+1)
	for i := range p.secs {
		s := &p.secs[i]
		if s.Category == CategoryPreamble || (s.Level == 0 && s.Title == "") {
			if s.Category == "" {
				s.Category = CategoryOther
			}
			p.titleKey[i+1] = len(p.titleKeys)
			continue
		}
		p.titleKeys = appendKey(p.titleKeys, s.Title)
		p.titleKey[i+1] = len(p.titleKeys)
		own := classifyKey(p.titleKeys[p.titleKey[i]:])
		for len(chain) > 0 && chain[len(chain)-1].level >= s.Level {
			chain = chain[:len(chain)-1]
		}
		if len(chain) > 0 {
			if parent := chain[len(chain)-1].cat; parent != CategoryOther && !(marked(s.Heading) && nestedSection(s.Title, own, parent)) {
				own = parent
			}
		}
		s.Category = own
		chain = append(chain, anc{s.Level, own})
	}
}

// marked reports a heading the page marked itself ("## …").
func marked(heading string) bool {
	return strings.HasPrefix(heading, "#")
}

// nestedSection reports whether a marked subsection titled t is a whole
// standard section that its author nested under another (callisto puts "###
// 개인정보의 보유 및 이용기간", "### 개인정보의 파기" and "### … 변경 시 고지
// 의무" under "## 개인정보의 수집 및 이용목적"), so that it keeps its own
// category own rather than its parent's: t names 개인정보 or holds a standard
// title phrase, and own is a more specific topic than the parent's
// (categoryRules order). A part of a section ("### 파기 절차", "### 쿠키 사용
// 목적", "### 1.6 문의" under 수집하는 정보) still takes its parent's, and so
// does every unmarked subsection: there the nesting is the parser's own
// inference from numbering, not the author's word.
func nestedSection(t string, own, parent Category) bool {
	if own == CategoryOther || own == parent || specificity(own) > specificity(parent) {
		return false
	}
	if strings.Contains(squeeze(t), "개인정보") {
		return true
	}
	return phraseEnd(t) >= 0
}

// specificity is the rank of c's rule in categoryRules: lower is more
// specific.
func specificity(c Category) int {
	for i, r := range categoryRules {
		if r.cat == c {
			return i
		}
	}
	return len(categoryRules)
}

// keys sets each section's Key, unique within the document: a repeated key
// gets "~2", "~3", … in page order.
//
// The keys are built in one buffer and cut from one string, not allocated
// one by one. categorize runs first: it keys the titles.
func (p *parser) keys() {
	ends := make([]int, len(p.secs)) // the end of each key in buf
	buf := make([]byte, 0, 32*len(p.secs))
	for i := range p.secs {
		s := &p.secs[i]
		start := len(buf)
		switch {
		case s.Category == CategoryPreamble:
			buf = append(buf, "preamble"...)
		case s.Title == "":
			// The key of the body (its lines joined: the newlines have
			// no key) cut to 24 runes, which 4*24 bytes always hold.
			const runes = 24
			for _, line := range s.Body {
				if len(buf)-start > 4*runes {
					break
				}
				buf = appendKeyUpTo(buf, line, 4*runes-(len(buf)-start))
			}
			n := 0
			for i := range string(buf[start:]) { // its first 24 runes
				if n == runes {
					buf = buf[:start+i]
					break
				}
				n++
			}
		default:
			// Key(s.Title), which categorize found (it keys every titled
			// section but the preamble).
			buf = append(buf, p.titleKeys[p.titleKey[i]:p.titleKey[i+1]]...)
		}
		if len(buf) == start {
			buf = append(buf, "section"...)
		}
		ends[i] = len(buf)
	}
	all := string(buf)
	seen := make(map[string]int, len(p.secs))
	buf = buf[:0]
	var again []int // the sections whose key takes a "~n"
	for i := range p.secs {
		k := all[:ends[i]]
		if i > 0 {
			k = all[ends[i-1]:ends[i]]
		}
		seen[k]++
		if n := seen[k]; n > 1 {
			buf = append(append(append(buf, k...), '~'), strconv.Itoa(n)...)
			again = append(again, i, len(buf))
		}
		p.secs[i].Key = k
	}
	if len(again) == 0 {
		return
	}
	more := string(buf)
	from := 0
	for k := 0; k < len(again); k += 2 {
		p.secs[again[k]].Key = more[from:again[k+1]]
		from = again[k+1]
	}
}
