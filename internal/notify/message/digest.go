package message

import (
	"slices"
	"strings"
)

// Digest is the words of one message about several first snapshots (the
// baselines of a first run), which chat formats send instead of one message
// per target. Targets with a violation come first.
type Digest struct {
	Lang     string
	Headline string
	Body     string
	Items    []DigestItem
	Footer   string
}

// DigestItem is one target of a digest.
type DigestItem struct {
	EventID   string
	Name      string
	Site      string
	Link      Link
	Dates     string
	Verdict   string // "위반 없음", or the violations' phrases
	Violation bool
}

// NewDigest derives the words of a digest of es in lang.
func NewDigest(es []Event, lang string) Digest {
	l := tr(lang)
	d := Digest{Lang: string(l), Headline: l.T("chat.headline.digest", len(es)), Body: l.T("chat.digest.body", len(es))}
	for _, e := range es {
		v := NewView(e, string(l))
		it := DigestItem{EventID: e.ID, Name: v.Name, Site: v.Site, Link: v.Link, Dates: v.Dates, Verdict: l.T("chat.digest.ok")}
		if len(v.Violations) > 0 {
			phrases := make([]string, len(v.Violations))
			for i, x := range v.Violations {
				phrases[i] = x.Phrase
			}
			it.Verdict, it.Violation = strings.Join(phrases, l.T("chat.summary.vsep")), true
		}
		d.Items = append(d.Items, it)
	}
	slices.SortStableFunc(d.Items, func(a, b DigestItem) int {
		switch {
		case a.Violation == b.Violation:
			return 0
		case a.Violation:
			return -1
		}
		return 1
	})
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	d.Footer = l.T("chat.footer", strings.Join(ids, ", "))
	if len(ids) > 3 {
		d.Footer = l.T("chat.footer", strings.Join(ids[:3], ", ")+" "+l.T("chat.more", len(ids)-3))
	}
	return d
}

// More says how many targets a format left out of its digest.
func (d Digest) More(n int) string { return tr(d.Lang).T("chat.more", n) }

// Lines renders the first max items with line (one item in the service's
// own markup), then, when items were left out, one line saying how many,
// escaped with esc: the shape every chat digest shares.
func (d Digest) Lines(max int, esc func(string) string, line func(DigestItem) string) []string {
	out := make([]string, 0, min(len(d.Items), max+1))
	for i, it := range d.Items {
		if i == max {
			out = append(out, esc(d.More(len(d.Items)-max)))
			break
		}
		out = append(out, line(it))
	}
	return out
}
