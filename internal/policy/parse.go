package policy

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// pline is one non-blank line of the input.
type pline struct {
	num   int    // 1-based line number in the input
	text  string // normalized
	c     cand   // the line as a heading candidate
	digit bool   // text has an ASCII digit
}

// frame is one open heading level: its style, the last number used at that
// level, and the last number of a list of the same style running inside it.
type frame struct {
	st   style
	last int
	list int
	hash int
}

type parser struct {
	ls      []pline
	secOf   []int // section index of each line, -1 for table-of-contents lines
	secs    []Section
	stack   []frame
	toc     []string
	started bool // a heading was accepted
}

// Parse splits the extracted text of a policy into a Document: sections with
// levels, keys and categories; the 공고일자, 시행일자 and 개정일 with the
// line each came from; the versions the page lists as history; and the
// notice period the policy promises in its change section.
//
// The input is one block per line (headings, paragraphs, list items, table
// rows); blank lines, NBSPs and markdown '#' headings are tolerated. Parse
// never fails: a text without headings becomes paragraph sections.
func Parse(text string) *Document {
	p := &parser{}
	p.split(text)
	p.sections()
	p.categorize()
	p.keys()
	doc := &Document{Sections: p.secs, TOC: p.toc}
	p.dates(doc)
	p.promise(doc)
	if doc.Sections == nil {
		doc.Sections = []Section{}
	}
	return doc
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
		t, digit := normalize(line)
		if t == "" || (strings.HasPrefix(t, "{:") && t[len(t)-1] == '}') {
			continue // blank, or a kramdown attribute list ("{: .toc-list}")
		}
		p.ls = append(p.ls, pline{num: num, text: t, c: classify(t), digit: digit})
	}
	p.secOf = make([]int, len(p.ls))
}

// sections is the one pass that decides, line by line, what is a heading.
func (p *parser) sections() {
	for i := 0; i < len(p.ls); i++ {
		if !p.started && p.toc == nil {
			if end, entries := p.tocRun(i); end > i {
				p.toc = entries
				for j := i; j < end; j++ {
					p.secOf[j] = -1
				}
				i = end - 1
				continue
			}
			if entries := inlineTOC(p.ls[i].text); entries != nil {
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
// the extractor drops Markdown '#' and HTML <h2> markup, so such headings
// arrive as bare lines. A bare line is a top-level heading when it is short
// and shaped like a title, and either names a standard topic (and the next
// line is not another such title: two topical titles in a row are a list)
// or is followed by a paragraph at least twice its length. It reports
// whether it found at least two headings; if not, nothing is changed.
func (p *parser) plainHeadings() bool {
	heads := make([]bool, len(p.ls))
	n := 0
	for i := 0; i+1 < len(p.ls); i++ {
		if i == 0 || p.secOf[i] < 0 || !p.plainTitle(i) {
			continue // the first line is the document's own title
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
	p.secs = p.secs[:0]
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
		Body:    []string{},
		Start:   l.num,
		End:     l.num,
	}
	if l.c.rest != "" {
		s.Body = append(s.Body, l.c.rest)
	}
	p.secs = append(p.secs, s)
	p.secOf[i] = len(p.secs) - 1
}

func (p *parser) body(i int, text string) {
	l := &p.ls[i]
	if len(p.secs) == 0 {
		p.secs = append(p.secs, Section{Level: 0, Category: CategoryPreamble, Body: []string{}, Start: l.num})
	}
	s := &p.secs[len(p.secs)-1]
	s.Body = append(s.Body, text)
	s.End = l.num
	p.secOf[i] = len(p.secs) - 1
}

// paragraphs splits a text without headings into paragraph sections: lines
// separated by a blank line (or each line, when the text has no blank lines)
// form one section.
func (p *parser) paragraphs() {
	p.secs = p.secs[:0]
	for i := range p.ls {
		if p.secOf[i] < 0 {
			continue
		}
		l := &p.ls[i]
		if len(p.secs) > 0 {
			if s := &p.secs[len(p.secs)-1]; s.End == l.num-1 && p.hasBlankLines() {
				s.Body = append(s.Body, l.text)
				s.End = l.num
				p.secOf[i] = len(p.secs) - 1
				continue
			}
		}
		p.secs = append(p.secs, Section{Level: 0, Category: CategoryOther, Body: []string{l.text}, Start: l.num, End: l.num})
		p.secOf[i] = len(p.secs) - 1
	}
}

func (p *parser) hasBlankLines() bool {
	return len(p.ls) > 0 && p.ls[len(p.ls)-1].num-p.ls[0].num+1 > len(p.ls)
}

// decide reports whether line i is a heading and at which level, keeping the
// stack of open levels up to date. The evidence, in order:
//   - a markdown '#' heading is one; its '#' count only decides siblings.
//   - the document's own title before the first heading is preamble.
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
	if !p.started && c.n == 0 && isDocTitle(c.title) {
		return 0, false
	}
	if c.st.kind == kAddenda {
		// 부칙 closes the body of the policy: it is always top-level.
		p.stack = append(p.stack[:0], frame{st: c.st})
		return 1, true
	}
	idx := p.find(c.st)
	if c.hash > 0 {
		if !c.shaped {
			return 0, false
		}
		j := -1
		for k, f := range p.stack {
			if f.hash > 0 && f.hash >= c.hash {
				j = k
				break
			}
		}
		if idx >= 0 && (j < 0 || idx < j) {
			j = idx
		}
		if j >= 0 {
			p.stack = p.stack[:j]
		}
		p.stack = append(p.stack, frame{st: c.st, last: c.n, hash: c.hash})
		return len(p.stack), true
	}
	if c.st.kind.numbered() && p.inRun(i) {
		if idx >= 0 {
			p.stack[idx].list = c.n
		}
		return 0, false
	}
	if !c.st.kind.numbered() {
		if !c.shaped || (c.st.kind == kBullet && !p.bulletHeading(i)) {
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
		p.stack = append(p.stack, frame{st: c.st, last: c.n})
		return len(p.stack)
	}
	p.stack = p.stack[:idx+1]
	p.stack[idx].last = c.n
	p.stack[idx].list = 0
	return idx + 1
}

func (p *parser) find(st style) int {
	for k := range p.stack {
		if p.stack[k].st == st {
			return k
		}
	}
	return -1
}

// inRun reports whether line i is one of consecutive short numbered lines of
// one style (1. 2. 3. with nothing between): a list, not headings.
func (p *parser) inRun(i int) bool {
	c := &p.ls[i].c
	if !c.shaped {
		return false
	}
	if i > 0 {
		if q := &p.ls[i-1].c; q.hash == 0 && q.shaped && q.st == c.st && q.n == c.n-1 {
			return true
		}
	}
	if i+1 < len(p.ls) {
		if q := &p.ls[i+1].c; q.hash == 0 && q.shaped && q.st == c.st && q.n == c.n+1 {
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
	if prev.st == c.st || next.st == c.st {
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
	for _, w := range []string{"처리방침", "취급방침", "privacypolicy", "개인정보보호정책", "개인정보보호방침"} {
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
	switch {
	case c.st.kind == kNone:
		if !p.plainTitle(i) {
			return i, nil
		}
		if isTOCLabel(p.ls[i].text) {
			if i+1 == len(p.ls) {
				return i, nil
			}
			end, titles := p.tocRun(i + 1)
			if titles == nil {
				return i, nil
			}
			p.secOf[i] = -1 // the "목차" label belongs to the table
			return end, titles
		}
		// The table ends where its first entry comes back as a heading.
		first := Key(p.ls[i].text)
		for j < len(p.ls) && p.plainTitle(j) && Key(p.ls[j].text) != first {
			j++
		}
	case c.st.kind.numbered() && c.n == 1 && c.shaped:
		for j < len(p.ls) {
			q := &p.ls[j].c
			if q.st != c.st || q.n != p.ls[j-1].c.n+1 || !q.shaped {
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

// isTOCLabel reports whether a line only announces a table of contents.
func isTOCLabel(s string) bool {
	switch Key(s) {
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
	for i := range p.secs {
		s := &p.secs[i]
		if s.Category == CategoryPreamble || (s.Level == 0 && s.Title == "") {
			if s.Category == "" {
				s.Category = CategoryOther
			}
			continue
		}
		own := Classify(s.Title)
		for len(chain) > 0 && chain[len(chain)-1].level >= s.Level {
			chain = chain[:len(chain)-1]
		}
		if len(chain) > 0 {
			if parent := chain[len(chain)-1].cat; parent != CategoryOther {
				own = parent
			}
		}
		s.Category = own
		chain = append(chain, anc{s.Level, own})
	}
}

// keys sets each section's Key, unique within the document: a repeated key
// gets "~2", "~3", … in page order.
func (p *parser) keys() {
	seen := make(map[string]int, len(p.secs))
	for i := range p.secs {
		s := &p.secs[i]
		k := Key(s.Title)
		switch {
		case s.Category == CategoryPreamble:
			k = "preamble"
		case k == "" && s.Title == "" && len(s.Body) > 0:
			k = truncateRunes(Key(s.Text()), 24)
		}
		if k == "" {
			k = "section"
		}
		seen[k]++
		if n := seen[k]; n > 1 {
			k += "~" + strconv.Itoa(n)
		}
		s.Key = k
	}
}

func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
