package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// rawOp is an edit over token ranges: old tokens [oi, oj), new tokens [ni, nj).
type rawOp struct {
	kind           string
	oi, oj, ni, nj int
}

// diffSection returns the hunks that turn section text a into b. Tokens are
// mapped to runes (one rune per distinct key, the DiffLinesToRunes trick at
// word level) so go-diff works on words, not characters: Korean then reads
// "보유기간: ~~1년~~ **3년**", not a soup of syllables.
func diffSection(a, b *tokenized, o Options) []Hunk {
	ops := diffTokens(a, b, o)
	return hunks(a, b, ops, o.context())
}

// diffTokens returns the token-level edits from a to b, with edits that are
// cosmetic only (same keys once spacing is ignored) turned into equal ops.
func diffTokens(a, b *tokenized, o Options) []rawOp {
	ids := make(map[string]rune, len(a.toks))
	next := rune(0x100)
	runes := func(t *tokenized) []rune {
		rs := make([]rune, len(t.toks))
		for i, tk := range t.toks {
			r, ok := ids[tk.key]
			if !ok {
				r = next
				ids[tk.key] = r
				next++
				if next == 0xd800 {
					next = 0xe000 // skip surrogates: they are not valid runes
				}
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb := runes(a), runes(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = o.timeout()
	diffs := dmp.DiffMainRunes(ra, rb, false)
	diffs = dmp.DiffCleanupSemantic(diffs)

	var ops []rawOp
	push := func(kind string, oi, oj, ni, nj int) {
		if oi == oj && ni == nj {
			return
		}
		if n := len(ops); n > 0 && ops[n-1].kind == kind {
			ops[n-1].oj, ops[n-1].nj = oj, nj
			return
		}
		ops = append(ops, rawOp{kind, oi, oj, ni, nj})
	}
	i, j := 0, 0
	for _, d := range diffs {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			push(OpEqual, i, i+n, j, j+n)
			i, j = i+n, j+n
		case diffmatchpatch.DiffDelete:
			push(OpDelete, i, i+n, j, j)
			i += n
		case diffmatchpatch.DiffInsert:
			push(OpInsert, i, i, j, j+n)
			j += n
		}
	}
	return cosmetic(a, b, ops)
}

// cosmetic turns each run of edits whose old and new sides have the same
// keys once concatenated (a spacing change: "보유 기간" → "보유기간") into an
// equal op, and merges neighbouring equal ops.
func cosmetic(a, b *tokenized, ops []rawOp) []rawOp {
	var out []rawOp
	emit := func(op rawOp) {
		if n := len(out); n > 0 && out[n-1].kind == op.kind && op.kind == OpEqual {
			out[n-1].oj, out[n-1].nj = op.oj, op.nj
			return
		}
		out = append(out, op)
	}
	for k := 0; k < len(ops); {
		if ops[k].kind == OpEqual {
			emit(ops[k])
			k++
			continue
		}
		e := k
		for e < len(ops) && ops[e].kind != OpEqual {
			e++
		}
		oi, ni := ops[k].oi, ops[k].ni
		oj, nj := ops[e-1].oj, ops[e-1].nj
		if a.compact(oi, oj) == b.compact(ni, nj) {
			emit(rawOp{OpEqual, oi, oj, ni, nj})
		} else {
			for _, op := range ops[k:e] {
				emit(op)
			}
		}
		k = e
	}
	return out
}

// hunks groups edits into hunks: edits separated by at most ctx runes of
// unchanged text share a hunk.
func hunks(a, b *tokenized, ops []rawOp, ctx int) []Hunk {
	var out []Hunk
	gap := max(ctx, 8)
	for k := 0; k < len(ops); {
		if ops[k].kind == OpEqual {
			k++
			continue
		}
		// Extend over edits and short equal runs between edits.
		e := k + 1
		for e < len(ops) {
			if ops[e].kind != OpEqual {
				e++
				continue
			}
			if e+1 < len(ops) && utf8.RuneCountInString(b.span(ops[e].ni, ops[e].nj)) <= gap {
				e += 2
				continue
			}
			break
		}
		group := ops[k:e]
		// A hunk takes in the separators (spaces, line breaks, markers) on
		// both of its ends, so that applying it never glues two lines.
		oldFirst, oldLast, newFirst, newLast := -1, -1, -1, -1
		for g, op := range group {
			if op.kind != OpInsert {
				if oldFirst < 0 {
					oldFirst = g
				}
				oldLast = g
			}
			if op.kind != OpDelete {
				if newFirst < 0 {
					newFirst = g
				}
				newLast = g
			}
		}
		last := group[len(group)-1]
		h := Hunk{
			OldStart: a.sepStart(group[0].oi), OldEnd: a.sepEnd(last.oj),
			NewStart: b.sepStart(group[0].ni), NewEnd: b.sepEnd(last.nj),
		}
		for g, op := range group {
			t, i, j, first, lastOnSide := b, op.ni, op.nj, newFirst, newLast
			if op.kind == OpDelete {
				t, i, j, first, lastOnSide = a, op.oi, op.oj, oldFirst, oldLast
			}
			start, end := t.off(i), t.off(j)
			if g == first {
				start = t.sepStart(i)
			}
			if g == lastOnSide {
				end = t.sepEnd(j)
			}
			h.Ops = append(h.Ops, Op{Kind: op.kind, Text: t.text[start:end]})
		}
		h.Before = contextBefore(b.text[:h.NewStart], ctx)
		h.After = contextAfter(b.text[h.NewEnd:], ctx)
		out = append(out, h)
		k = e
	}
	return out
}

// contextBefore returns the end of s, from the start of its last sentence (or
// line), at most ctx runes; "…" marks a cut.
func contextBefore(s string, ctx int) string {
	if ctx <= 0 {
		return ""
	}
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if i := lastSentenceEnd(s); i >= 0 {
		s = s[i:]
	}
	s = strings.TrimLeft(s, " ")
	if utf8.RuneCountInString(s) <= ctx {
		return s
	}
	rs := []rune(s)
	cut := rs[len(rs)-ctx:]
	// Start at a word when one begins within the window.
	for i := 0; i < len(cut)/2; i++ {
		if cut[i] == ' ' {
			cut = cut[i+1:]
			break
		}
	}
	return "…" + string(cut)
}

// contextAfter returns the start of s up to the end of its first sentence
// (or line), at most ctx runes; "…" marks a cut.
func contextAfter(s string, ctx int) string {
	if ctx <= 0 {
		return ""
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if i := firstSentenceEnd(s); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, " ")
	if utf8.RuneCountInString(s) <= ctx {
		return s
	}
	rs := []rune(s)
	cut := rs[:ctx]
	for i := len(cut) - 1; i > len(cut)/2; i-- {
		if cut[i] == ' ' {
			cut = cut[:i]
			break
		}
	}
	return string(cut) + "…"
}

// lastSentenceEnd returns the byte index just after the last sentence end in
// s that is followed by more text, or -1.
func lastSentenceEnd(s string) int {
	for i := len(s) - 2; i >= 0; i-- {
		if isSentenceEnd(s, i) {
			return i + 1
		}
	}
	return -1
}

// firstSentenceEnd returns the byte index just after the first sentence end
// in s, or -1.
func firstSentenceEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if isSentenceEnd(s, i) {
			return i + 1
		}
	}
	return -1
}

// isSentenceEnd reports a '.', '?' or '!' at s[i] followed by a space or the
// end, and not part of a number ("1.5").
func isSentenceEnd(s string, i int) bool {
	c := s[i]
	if c != '.' && c != '?' && c != '!' {
		return false
	}
	if i+1 < len(s) && s[i+1] != ' ' {
		return false
	}
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
