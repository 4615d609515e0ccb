package diff

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/monitord/monitord/internal/policy"
)

// prep is a section made ready for comparison.
type prep struct {
	idx      int
	sec      *policy.Section
	title    string // display title
	tkey     string // title key ("" for untitled sections)
	key      string // alignment key
	text     string // body in display form
	z        tokenizer
	toks     *tokenized // body tokens, made on first use
	compactK string     // all token keys of the body, made on first use
	bigrams  []uint64
	bgTitle  []uint64
	haveBigs bool
}

// prepare turns a document's sections into preps. Dates on the lines the
// parser took a 공고일자/시행일자/개정일 from are masked: they are reported as
// date changes, not as text.
func prepare(d *policy.Document) []*prep {
	if d == nil {
		return nil
	}
	lines, dates := dateLines(d)
	z := tokenizer{mode: maskLines, dateLines: lines, dates: dates}
	titled := false
	for i := range d.Sections {
		if titleOf(&d.Sections[i]) != "" {
			titled = true
			break
		}
	}
	out := make([]*prep, len(d.Sections))
	untitled := 0
	for i := range d.Sections {
		s := &d.Sections[i]
		p := &prep{idx: i, sec: s, title: titleOf(s)}
		p.tkey = titleKey(p.title)
		p.text, p.z = normText(s.Body), z
		switch {
		case p.tkey != "":
			p.key = "h:" + p.tkey
		case titled:
			// Preamble and epilogue of a document with headings: matched by
			// their rank among the untitled sections.
			untitled++
			p.key = "u:" + strconv.Itoa(untitled)
		default:
			// A document with no headings is a list of paragraphs, matched
			// by their text.
			p.key = "p:" + p.compact()
		}
		out[i] = p
	}
	return out
}

// body returns the body's tokens. Tokenizing is most of the work, and
// sections whose text did not change never need it.
func (p *prep) body() *tokenized {
	if p.toks == nil {
		p.toks = p.z.tokenize(p.text)
		p.compactK = p.toks.compact(0, len(p.toks.toks))
	}
	return p.toks
}

// full returns the keys of the heading's and the body's tokens, in order,
// each token followed by a space: what the section says, however its lines
// broke. The heading's '#' marks and numbering are not tokens, as the
// numbering at the start of a body line is not.
func (p *prep) full() string {
	var b strings.Builder
	if h := strings.TrimLeft(normLine(p.sec.Heading), "# "); h != "" {
		t := p.z.tokenize(h)
		for _, tk := range t.toks {
			b.WriteString(tk.key)
			b.WriteByte(' ')
		}
	}
	for _, tk := range p.body().toks {
		b.WriteString(tk.key)
		b.WriteByte(' ')
	}
	return b.String()
}

// compact returns the keys of all body tokens.
func (p *prep) compact() string {
	p.body()
	return p.compactK
}

// titleOf returns the display title of a section.
func titleOf(s *policy.Section) string {
	if t := normLine(s.Title); t != "" {
		return t
	}
	return normLine(s.Heading)
}

// dateLines returns the display lines that state dates (the lines the
// parser took the document's dates from and every other line it reads as a
// date line, see policy.DateLine), and the document's dates: a 시행일자 is
// often written twice ("시행일자: 2024-03-01" at the top, "이 방침은 2024년 3월
// 1일부터 시행합니다" at the end), and both are the date, not text.
func dateLines(d *policy.Document) (map[string]bool, map[string]bool) {
	lines, dates := map[string]bool{}, map[string]bool{}
	for i := range d.Sections {
		for _, l := range d.Sections[i].Body {
			if policy.DateLine(l) {
				lines[normLine(l)] = true
			}
		}
	}
	for _, r := range []*policy.DateRef{d.Announced, d.Effective, d.Revised} {
		if r == nil {
			continue
		}
		if r.Text != "" {
			lines[normLine(r.Text)] = true
		}
		if !r.Date.IsZero() {
			dates[r.Date.String()] = true
		}
	}
	return lines, dates
}

// pair is an old section matched with a new one.
type pair struct {
	old, new int
	moved    bool
}

// align matches old sections with new ones: first by key, then the leftovers
// by similarity of title and body. It returns the pairs sorted by new index,
// with moved set on pairs outside a longest increasing run of old indices.
func align(olds, news []*prep) []pair {
	byKey := map[string][]int{}
	for _, o := range olds {
		byKey[o.key] = append(byKey[o.key], o.idx)
	}
	pairedOld := make([]bool, len(olds))
	pairedNew := make([]bool, len(news))
	var pairs []pair
	for _, n := range news {
		q := byKey[n.key]
		if len(q) == 0 {
			continue
		}
		byKey[n.key] = q[1:]
		pairs = append(pairs, pair{old: q[0], new: n.idx})
		pairedOld[q[0]] = true
		pairedNew[n.idx] = true
	}
	pairs = append(pairs, similar(olds, news, pairedOld, pairedNew)...)
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Compare(a.new, b.new) })
	markMoved(pairs)
	return pairs
}

// maxSimilarityWork bounds the pairwise similarity work (pairs × runes) so a
// pathological document cannot make alignment quadratic without limit.
const maxSimilarityWork = 50_000_000

// similar pairs leftover sections whose title and body are alike (renamed or
// edited sections), greedily from the most similar pair.
func similar(olds, news []*prep, pairedOld, pairedNew []bool) []pair {
	var lo, ln []*prep
	for _, o := range olds {
		if !pairedOld[o.idx] {
			lo = append(lo, o)
		}
	}
	for _, n := range news {
		if !pairedNew[n.idx] {
			ln = append(ln, n)
		}
	}
	if len(lo) == 0 || len(ln) == 0 {
		return nil
	}
	sumO, sumN := 0, 0
	for _, p := range lo {
		p.ensureBigrams()
		sumO += len(p.bigrams) + len(p.bgTitle)
	}
	for _, p := range ln {
		p.ensureBigrams()
		sumN += len(p.bigrams) + len(p.bgTitle)
	}
	if len(ln)*sumO+len(lo)*sumN > maxSimilarityWork {
		return nil
	}
	type cand struct {
		o, n  int
		score float64
	}
	var cands []cand
	for _, o := range lo {
		for _, n := range ln {
			if s, ok := similarity(o, n); ok {
				cands = append(cands, cand{o.idx, n.idx, s})
			}
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.o, b.o); c != 0 {
			return c
		}
		return cmp.Compare(a.n, b.n)
	})
	var out []pair
	for _, c := range cands {
		if pairedOld[c.o] || pairedNew[c.n] {
			continue
		}
		pairedOld[c.o], pairedNew[c.n] = true, true
		out = append(out, pair{old: c.o, new: c.n})
	}
	return out
}

// similarity scores how alike two sections are and whether they are alike
// enough to be the same section.
func similarity(o, n *prep) (float64, bool) {
	titled := o.tkey != "" && n.tkey != ""
	if o.tkey == "" && n.tkey == "" {
		b := dice(o.bigrams, n.bigrams)
		return b, b >= 0.5
	}
	t := dice(o.bgTitle, n.bgTitle)
	if len(o.bigrams) == 0 && len(n.bigrams) == 0 {
		return t, titled && t >= 0.5
	}
	b := dice(o.bigrams, n.bigrams)
	s := 0.35*t + 0.65*b
	return s, s >= 0.5 && b >= 0.4
}

func (p *prep) ensureBigrams() {
	if p.haveBigs {
		return
	}
	p.haveBigs = true
	p.bigrams = bigrams(p.compact())
	p.bgTitle = bigrams(p.tkey)
}

// bigrams returns the sorted rune bigrams of s (unigrams for one-rune text).
func bigrams(s string) []uint64 {
	rs := []rune(s)
	if len(rs) > 4000 {
		rs = rs[:4000]
	}
	if len(rs) == 1 {
		return []uint64{uint64(rs[0])}
	}
	out := make([]uint64, 0, len(rs))
	for i := 1; i < len(rs); i++ {
		out = append(out, uint64(rs[i-1])<<32|uint64(rs[i]))
	}
	slices.Sort(out)
	return out
}

// dice is the Dice coefficient of two sorted multisets.
func dice(a, b []uint64) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// markMoved marks the pairs (sorted by new index) that are not in a longest
// increasing subsequence of old indices: one inserted or moved section must
// not make every section after it look moved.
func markMoved(pairs []pair) {
	n := len(pairs)
	if n < 2 {
		return
	}
	// Patience sorting with predecessor links.
	tails := make([]int, 0, n) // indices into pairs
	prev := make([]int, n)
	for i, p := range pairs {
		k, _ := slices.BinarySearchFunc(tails, p.old, func(t int, target int) int {
			return cmp.Compare(pairs[t].old, target)
		})
		if k > 0 {
			prev[i] = tails[k-1]
		} else {
			prev[i] = -1
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	keep := make([]bool, n)
	for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
		keep[i] = true
	}
	for i := range pairs {
		pairs[i].moved = !keep[i]
	}
}
