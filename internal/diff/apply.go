package diff

import (
	"errors"
	"fmt"
	"strings"

	"github.com/monitord/monitord/internal/policy"
)

// Text is one section as the diff sees it: the display title and the body in
// display form (NFC, whitespace collapsed, empty lines dropped, lines joined
// by "\n"). Hunk offsets index Body.
type Text struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Texts returns the sections of d as the diff compares them.
func Texts(d *policy.Document) []Text {
	ps := prepare(d)
	out := make([]Text, len(ps))
	for i, p := range ps {
		out[i] = Text{Title: p.title, Body: p.text}
	}
	return out
}

// ErrMismatch means a Change does not fit the document it is applied to.
var ErrMismatch = errors.New("diff: change does not apply to this document")

// Apply rebuilds the new version's sections from the old document and c, in
// the new page order: unchanged sections come from old, changed ones from
// their hunks applied to the old text. It is how tests prove that a Change
// says all there is to say; a Change applied to a document other than the
// one it was computed from fails with ErrMismatch.
//
// The result equals Texts(new) up to cosmetic differences, and up to the
// dates on date lines (which Compare reports as DateChanges, not hunks).
func (c *Change) Apply(old *policy.Document) ([]Text, error) {
	olds := Texts(old)
	used := make([]bool, len(olds))
	n := len(olds)
	for _, s := range c.Sections {
		switch s.Kind {
		case KindAdded:
			n++
		case KindRemoved:
			n--
		}
	}
	if n < 0 {
		return nil, fmt.Errorf("%w: more sections removed than the document has", ErrMismatch)
	}
	out := make([]Text, n)
	filled := make([]bool, n)
	for _, s := range c.Sections {
		var base string
		if s.Kind != KindAdded {
			if s.OldIndex < 0 || s.OldIndex >= len(olds) || used[s.OldIndex] {
				return nil, fmt.Errorf("%w: section %q: old index %d", ErrMismatch, s.OldTitle, s.OldIndex)
			}
			used[s.OldIndex] = true
			base = olds[s.OldIndex].Body
		}
		if s.Kind == KindRemoved {
			continue
		}
		if s.NewIndex < 0 || s.NewIndex >= n || filled[s.NewIndex] {
			return nil, fmt.Errorf("%w: section %q: new index %d", ErrMismatch, s.NewTitle, s.NewIndex)
		}
		body, err := applyHunks(base, s.Hunks)
		if err != nil {
			return nil, fmt.Errorf("%w: section %q: %w", ErrMismatch, s.NewTitle, err)
		}
		out[s.NewIndex] = Text{Title: s.NewTitle, Body: body}
		filled[s.NewIndex] = true
	}
	// Unchanged sections keep their relative order: fill the free slots.
	k := 0
	for i := range olds {
		if used[i] {
			continue
		}
		for k < n && filled[k] {
			k++
		}
		if k == n {
			return nil, fmt.Errorf("%w: no place left for section %q", ErrMismatch, olds[i].Title)
		}
		out[k] = olds[i]
		filled[k] = true
	}
	for i, f := range filled {
		if !f {
			return nil, fmt.Errorf("%w: nothing for new section %d", ErrMismatch, i)
		}
	}
	return out, nil
}

// applyHunks applies hunks to a section text. Each hunk must fit the old
// text: within its range, every deletion must be found, in order, as
// written. (Equal runs carry the new version's text, which may differ from
// the old one cosmetically, so they are not matched.)
func applyHunks(old string, hunks []Hunk) (string, error) {
	var b strings.Builder
	pos := 0
	for _, h := range hunks {
		if h.OldStart < pos || h.OldEnd < h.OldStart || h.OldEnd > len(old) {
			return "", fmt.Errorf("hunk at %d-%d out of order or range", h.OldStart, h.OldEnd)
		}
		b.WriteString(old[pos:h.OldStart])
		span := old[h.OldStart:h.OldEnd]
		at := 0
		for _, op := range h.Ops {
			switch op.Kind {
			case OpEqual, OpInsert:
				b.WriteString(op.Text)
			case OpDelete:
				i := strings.Index(span[at:], op.Text)
				if i < 0 {
					return "", fmt.Errorf("hunk at %d-%d: deleted text %q is not in the old text", h.OldStart, h.OldEnd, op.Text)
				}
				at += i + len(op.Text)
			default:
				return "", fmt.Errorf("unknown op kind %q", op.Kind)
			}
		}
		pos = h.OldEnd
	}
	b.WriteString(old[pos:])
	return b.String(), nil
}
