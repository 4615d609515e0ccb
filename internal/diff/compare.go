package diff

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/policy"
)

// Section change kinds.
const (
	KindAdded    = "added"
	KindRemoved  = "removed"
	KindModified = "modified"
	KindMoved    = "moved"
)

// Op kinds.
const (
	OpEqual  = "equal"
	OpInsert = "insert"
	OpDelete = "delete"
)

// Date fields of a DateChange.
const (
	FieldAnnounced = "announced"
	FieldEffective = "effective"
	FieldRevised   = "revised"
)

// Defaults for Options.
const (
	DefaultTimeout = 100 * time.Millisecond
	DefaultContext = 40
)

// Options tune Compare. The zero value is ready to use.
type Options struct {
	// Timeout bounds go-diff's work on one section (DiffTimeout); past it the
	// diff is still correct but coarser. Zero means DefaultTimeout.
	Timeout time.Duration
	// Context is the number of runes of context kept around each hunk, cut
	// back to the start or end of the sentence when one is within reach. Zero
	// means DefaultContext; negative means none.
	Context int
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

func (o Options) context() int {
	switch {
	case o.Context == 0:
		return DefaultContext
	case o.Context < 0:
		return 0
	}
	return o.Context
}

// Change is what changed from one version of a policy to the next.
type Change struct {
	Dates    []DateChange    `json:"dates"`
	Sections []SectionChange `json:"sections"`
	Counts   Counts          `json:"counts"`
}

// DateChange is a 공고일자, 시행일자 or 개정일 that changed, appeared or
// disappeared.
type DateChange struct {
	Field string       `json:"field"` // FieldAnnounced, FieldEffective or FieldRevised
	Old   *policy.Date `json:"old"`   // nil when the old version had none
	New   *policy.Date `json:"new"`   // nil when the new version has none
}

// SectionChange is one section that was added, removed, modified or moved.
//
// A renamed section is a paired section whose title changed: Kind is
// "modified" (or "moved") and OldTitle differs from NewTitle. A moved section
// may also carry hunks when its text changed too.
type SectionChange struct {
	Kind        string          `json:"kind"`
	OldTitle    string          `json:"old_title"`
	NewTitle    string          `json:"new_title"`
	Key         string          `json:"key"`
	Category    policy.Category `json:"category"`
	OldCategory policy.Category `json:"old_category,omitempty"` // set when it differs from Category
	OldIndex    int             `json:"old_index"`              // index in the old document's sections, -1 when added
	NewIndex    int             `json:"new_index"`              // index in the new document's sections, -1 when removed
	Hunks       []Hunk          `json:"hunks,omitempty"`
}

// Renamed reports whether the section's title changed (beyond numbering and
// spacing).
func (s SectionChange) Renamed() bool {
	return (s.Kind == KindModified || s.Kind == KindMoved) && titleKey(s.OldTitle) != titleKey(s.NewTitle)
}

// Hunk is one run of edits inside a section, with a little context.
//
// Its Ops cover exactly the old text [OldStart, OldEnd) (equal and delete
// ops) and the new text [NewStart, NewEnd) (equal and insert ops) of the
// section, as byte offsets into the texts Texts returns. Text of an equal op
// is the new version's.
type Hunk struct {
	Before   string `json:"before"` // context before the hunk, from the new text
	After    string `json:"after"`  // context after the hunk, from the new text
	Ops      []Op   `json:"ops"`
	OldStart int    `json:"old_start"`
	OldEnd   int    `json:"old_end"`
	NewStart int    `json:"new_start"`
	NewEnd   int    `json:"new_end"`
}

// Op is an edit: text kept (equal), added (insert) or taken out (delete).
type Op struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Counts sums up a Change. Added, Removed, Modified and Moved count section
// changes by kind and add up to len(Sections); Renamed counts the modified or
// moved sections whose title changed.
type Counts struct {
	Added    int `json:"added"`
	Removed  int `json:"removed"`
	Modified int `json:"modified"`
	Moved    int `json:"moved"`
	Renamed  int `json:"renamed"`
}

// Empty reports whether nothing changed: no date and no section.
func (c *Change) Empty() bool {
	return c == nil || (len(c.Dates) == 0 && len(c.Sections) == 0)
}

// Substantive reports whether the text changed: any section change, whatever
// the dates did.
func (c *Change) Substantive() bool {
	return c != nil && len(c.Sections) > 0
}

// Categories returns the categories of the changed sections, old and new
// sides, deduplicated, in order of first appearance.
func (c *Change) Categories() []policy.Category {
	if c == nil {
		return nil
	}
	var out []policy.Category
	add := func(cat policy.Category) {
		if cat != "" && !slices.Contains(out, cat) {
			out = append(out, cat)
		}
	}
	for _, s := range c.Sections {
		add(s.OldCategory)
		add(s.Category)
	}
	return out
}

// Compare returns the changes from old to new. Either may be nil (an empty
// document). It is pure: same inputs, same Change, apart from where go-diff's
// timeout strikes on pathological sections.
func Compare(old, new *policy.Document, o Options) *Change {
	c := &Change{Dates: compareDates(old, new), Sections: []SectionChange{}}
	olds, news := prepare(old), prepare(new)
	pairs := align(olds, news)

	type placed struct {
		sc       SectionChange
		pos, sub int
	}
	var out []placed
	pairedOld := make([]int, len(olds)) // old index -> new index, or -1
	for i := range pairedOld {
		pairedOld[i] = -1
	}
	pairedNew := make([]bool, len(news))
	for _, p := range pairs {
		pairedOld[p.old] = p.new
		pairedNew[p.new] = true
		op, np := olds[p.old], news[p.new]
		renamed := op.tkey != np.tkey
		var hunks []Hunk
		if op.text != np.text && op.compact() != np.compact() {
			hunks = diffSection(op.body(), np.body(), o)
		}
		if !p.moved && !renamed && len(hunks) == 0 {
			continue
		}
		kind := KindModified
		if p.moved {
			kind = KindMoved
		}
		sc := SectionChange{
			Kind: kind, OldTitle: op.title, NewTitle: np.title, Key: np.key,
			Category: np.sec.Category, OldIndex: p.old, NewIndex: p.new, Hunks: hunks,
		}
		if op.sec.Category != np.sec.Category {
			sc.OldCategory = op.sec.Category
		}
		out = append(out, placed{sc, p.new, 0})
	}
	for _, np := range news {
		if pairedNew[np.idx] {
			continue
		}
		sc := SectionChange{
			Kind: KindAdded, NewTitle: np.title, Key: np.key, Category: np.sec.Category,
			OldIndex: -1, NewIndex: np.idx,
		}
		if np.text != "" {
			sc.Hunks = []Hunk{{Ops: []Op{{OpInsert, np.text}}, NewEnd: len(np.text)}}
		}
		out = append(out, placed{sc, np.idx, 0})
	}
	// A removed section stands where it stood: after the new position of
	// the nearest paired section before it.
	anchor := -1
	for _, op := range olds {
		if j := pairedOld[op.idx]; j >= 0 {
			anchor = j
			continue
		}
		sc := SectionChange{
			Kind: KindRemoved, OldTitle: op.title, Key: op.key, Category: op.sec.Category,
			OldIndex: op.idx, NewIndex: -1,
		}
		if op.text != "" {
			sc.Hunks = []Hunk{{Ops: []Op{{OpDelete, op.text}}, OldEnd: len(op.text)}}
		}
		out = append(out, placed{sc, anchor, 1 + op.idx})
	}
	// Between two sections that did not change, the sections on each side
	// that hold the same words in the same order differ only in where the
	// lines broke (a paragraph re-wrapped, split in two or joined, blank
	// lines, a title line that became a heading or body): that is the
	// layout, not the policy.
	if wrapped := rewrapped(olds, news, pairs, out, func(p placed) (int, int) { return p.sc.OldIndex, p.sc.NewIndex }); wrapped != nil {
		out = slices.DeleteFunc(out, func(p placed) bool { return wrapped[sides{p.sc.OldIndex, p.sc.NewIndex}] })
	}
	slices.SortStableFunc(out, func(a, b placed) int {
		if c := cmp.Compare(a.pos, b.pos); c != 0 {
			return c
		}
		return cmp.Compare(a.sub, b.sub)
	})
	for _, p := range out {
		c.Sections = append(c.Sections, p.sc)
		switch p.sc.Kind {
		case KindAdded:
			c.Counts.Added++
		case KindRemoved:
			c.Counts.Removed++
		case KindModified:
			c.Counts.Modified++
		case KindMoved:
			c.Counts.Moved++
		}
		if p.sc.Renamed() {
			c.Counts.Renamed++
		}
	}
	return c
}

// compareDates reports the dates that differ.
func compareDates(old, new *policy.Document) []DateChange {
	out := []DateChange{}
	get := func(d *policy.Document, f string) *policy.Date {
		if d == nil {
			return nil
		}
		var r *policy.DateRef
		switch f {
		case FieldAnnounced:
			r = d.Announced
		case FieldEffective:
			r = d.Effective
		case FieldRevised:
			r = d.Revised
		}
		if r == nil || r.Date.IsZero() {
			return nil
		}
		v := r.Date
		return &v
	}
	for _, f := range []string{FieldAnnounced, FieldEffective, FieldRevised} {
		a, b := get(old, f), get(new, f)
		switch {
		case a == nil && b == nil:
		case a != nil && b != nil && *a == *b:
		default:
			out = append(out, DateChange{Field: f, Old: a, New: b})
		}
	}
	return out
}

// sides are the old and new index of a section change (-1 for no side).
type sides struct{ o, n int }

// rewrapped returns the section changes that only re-broke lines: the
// sections between two consecutive unchanged pairs, taken together on each
// side, have the same tokens in the same order (see prep.full). The
// unchanged pairs are those not among changes; a run that holds a moved
// section's other side is left alone.
func rewrapped[T any](olds, news []*prep, pairs []pair, changes []T, of func(T) (int, int)) map[sides]bool {
	if len(changes) == 0 {
		return nil
	}
	changed := make(map[sides]bool, len(changes))
	for _, c := range changes {
		o, n := of(c)
		changed[sides{o, n}] = true
	}
	type anchor struct{ o, n int }
	anchors := []anchor{{-1, -1}}
	for _, p := range pairs {
		if changed[sides{p.old, p.new}] {
			continue
		}
		if last := anchors[len(anchors)-1]; p.old > last.o && p.new > last.n {
			anchors = append(anchors, anchor{p.old, p.new})
		}
	}
	anchors = append(anchors, anchor{len(olds), len(news)})
	var out map[sides]bool
	for k := 1; k < len(anchors); k++ {
		a, b := anchors[k-1], anchors[k]
		if b.o-a.o == 1 && b.n-a.n == 1 {
			continue // nothing between them
		}
		var in []sides
		ok := true
		for _, c := range changes {
			o, n := of(c)
			inOld, inNew := o > a.o && o < b.o, n > a.n && n < b.n
			switch {
			case inOld && (inNew || n < 0), inNew && o < 0:
				in = append(in, sides{o, n})
			case inOld || inNew:
				ok = false // a moved section crosses the run
			}
		}
		if !ok || len(in) == 0 {
			continue
		}
		var ow, nw strings.Builder
		for i := a.o + 1; i < b.o; i++ {
			ow.WriteString(olds[i].full())
		}
		for i := a.n + 1; i < b.n; i++ {
			nw.WriteString(news[i].full())
		}
		if ow.String() != nw.String() {
			continue
		}
		if out == nil {
			out = map[sides]bool{}
		}
		for _, x := range in {
			out[x] = true
		}
	}
	return out
}
