package diffview

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/policy"
)

// KindUnchanged is the Kind of a section that did not change.
const KindUnchanged = "unchanged"

// View is a change shown side by side. Build makes it; the "diffview"
// template renders it.
type View struct {
	Lang string // "ko" or "en", for the lang attribute
	// OldLabel and NewLabel head the two columns ("이전 (v1, 2026-11-02)").
	OldLabel, NewLabel string
	Dates              []Date
	Sections           []Section
	// Changed counts the sections that changed; Unchanged those folded.
	Changed, Unchanged int
	// Summary reads "추가 1 · 삭제 0 · 수정 2 · 이동 0".
	Summary string
	// Words are the fixed words of the template.
	Words Words
}

// Words are the labels the template prints.
type Words struct {
	Dates, NoDates, Unchanged, UnchangedCount, NoChange string
}

// Date is a 공고일자, 시행일자 or 개정일 that changed.
type Date struct {
	Field, Label string
	Old, New     string // YYYY-MM-DD, or the word for none
}

// Section is one section, both sides.
type Section struct {
	// ID is an HTML id for links to the section ("s1", "s2", ...).
	ID string
	// Kind is diff.KindAdded, KindRemoved, KindModified, KindMoved or
	// KindUnchanged; KindLabel says it in words.
	Kind, KindLabel string
	// Title is the section's name as people read it (renames read
	// "old → new"); Renamed is set then.
	Title    string
	Renamed  bool
	Category string // policy category id ("retention"), CategoryLabel in words
	// CategoryLabel names the category.
	CategoryLabel string
	// Old and New are the whole bodies, with the deleted (Old) and
	// inserted (New) words marked. A side the section does not have is nil.
	Old, New []diff.Segment
	HasOld   bool
	HasNew   bool
}

// Changed reports whether the section is not KindUnchanged.
func (s Section) Changed() bool { return s.Kind != KindUnchanged }

// Columns names the two versions: the labels of the columns.
type Columns struct{ Old, New string }

// Build returns the side-by-side view of c, the change from old to new
// (diff.Compare(old, new, ...)). cols labels the two columns.
func Build(old, new *policy.Document, c *diff.Change, lang i18n.Lang, cols Columns) *View {
	v := &View{
		Lang: string(lang), OldLabel: cols.Old, NewLabel: cols.New,
		Words: Words{
			Dates: lang.T("ui.diff.dates"), NoDates: lang.T("ui.diff.nodates"),
			Unchanged: lang.T("ui.diff.unchanged"), NoChange: lang.T("ui.diff.nochange"),
		},
	}
	if c == nil {
		c = &diff.Change{}
	}
	for _, d := range c.Dates {
		v.Dates = append(v.Dates, Date{Field: d.Field, Label: fieldLabel(lang, d.Field), Old: dateText(lang, d.Old), New: dateText(lang, d.New)})
	}
	olds, news := diff.Texts(old), diff.Texts(new)
	newCats := categories(new)

	// Which sections a change names; the rest are unchanged, and pair up in
	// order (as diff.Change.Apply pairs them).
	oldUsed := make([]bool, len(olds))
	newUsed := make([]bool, len(news))
	pairedOld := make([]int, len(olds)) // old index -> new index, -1 when removed
	for i := range pairedOld {
		pairedOld[i] = -1
	}
	for _, s := range c.Sections {
		if s.OldIndex >= 0 && s.OldIndex < len(olds) {
			oldUsed[s.OldIndex] = true
			if s.NewIndex >= 0 {
				pairedOld[s.OldIndex] = s.NewIndex
			}
		}
		if s.NewIndex >= 0 && s.NewIndex < len(news) {
			newUsed[s.NewIndex] = true
		}
	}
	type placed struct {
		s        Section
		pos, sub int
	}
	var out []placed
	j := 0
	for i := range olds {
		if oldUsed[i] {
			continue
		}
		for j < len(news) && newUsed[j] {
			j++
		}
		if j == len(news) {
			break
		}
		pairedOld[i] = j
		out = append(out, placed{Section{
			Kind: KindUnchanged, KindLabel: v.Words.Unchanged, Title: sectionName(lang, news[j].Title, newCats[j], j),
			Category: string(newCats[j]), CategoryLabel: categoryLabel(lang, newCats[j]),
			Old: plain(olds[i].Body), New: plain(news[j].Body), HasOld: true, HasNew: true,
		}, j, 0})
		j++
	}
	anchorOf := func(oldIdx int) int {
		for k := oldIdx - 1; k >= 0; k-- {
			if pairedOld[k] >= 0 {
				return pairedOld[k]
			}
		}
		return -1
	}
	for _, s := range c.Sections {
		sec := Section{
			Kind: s.Kind, KindLabel: lang.T("change." + s.Kind),
			Category: string(s.Category), CategoryLabel: categoryLabel(lang, s.Category),
			Renamed: s.Renamed(),
		}
		var oldBody, newBody string
		if s.OldIndex >= 0 && s.OldIndex < len(olds) {
			oldBody, sec.HasOld = olds[s.OldIndex].Body, true
		}
		if s.NewIndex >= 0 && s.NewIndex < len(news) {
			newBody, sec.HasNew = news[s.NewIndex].Body, true
		}
		switch s.Kind {
		case diff.KindAdded:
			sec.Title = sectionName(lang, s.NewTitle, s.Category, s.NewIndex)
			sec.New = marked(newBody, nil, false)
			for k := range sec.New {
				sec.New[k].Kind = diff.SegmentInsert
			}
		case diff.KindRemoved:
			sec.Title = sectionName(lang, s.OldTitle, s.Category, s.OldIndex)
			sec.Old = marked(oldBody, nil, true)
			for k := range sec.Old {
				sec.Old[k].Kind = diff.SegmentDelete
			}
		default:
			sec.Title = sectionName(lang, s.NewTitle, s.Category, s.NewIndex)
			if sec.Renamed {
				oc := s.Category
				if s.OldCategory != "" {
					oc = s.OldCategory
				}
				sec.Title = sectionName(lang, s.OldTitle, oc, s.OldIndex) + " → " + sec.Title
			}
			sec.Old = marked(oldBody, s.Hunks, true)
			sec.New = marked(newBody, s.Hunks, false)
		}
		pos, sub := s.NewIndex, 0
		if s.NewIndex < 0 {
			pos, sub = anchorOf(s.OldIndex), 1+s.OldIndex
		}
		out = append(out, placed{sec, pos, sub})
		v.Changed++
	}
	slices.SortStableFunc(out, func(a, b placed) int {
		if c := cmp.Compare(a.pos, b.pos); c != 0 {
			return c
		}
		return cmp.Compare(a.sub, b.sub)
	})
	for i, p := range out {
		p.s.ID = "s" + strconv.Itoa(i+1)
		v.Sections = append(v.Sections, p.s)
		if p.s.Kind == KindUnchanged {
			v.Unchanged++
		}
	}
	v.Words.UnchangedCount = lang.T("ui.diff.unchangedcount", v.Unchanged)
	v.Summary = lang.T("ui.diff.summary", c.Counts.Added, c.Counts.Removed, c.Counts.Modified, c.Counts.Moved)
	return v
}

// marked returns a section body as segments, with the words the hunks
// delete (old side) or insert (new side) marked. Hunk offsets index the
// body (diff.Texts); the edited words are found in order inside each
// hunk's span, as diff.Change.Apply finds them.
func marked(body string, hunks []diff.Hunk, oldSide bool) []diff.Segment {
	var segs []diff.Segment
	add := func(kind, text string) {
		text = diff.Unmark(text)
		if text == "" {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].Kind == kind {
			segs[n-1].Text += text
			return
		}
		segs = append(segs, diff.Segment{Kind: kind, Text: text})
	}
	want, mark := diff.OpInsert, diff.SegmentInsert
	if oldSide {
		want, mark = diff.OpDelete, diff.SegmentDelete
	}
	pos := 0
	for _, h := range hunks {
		start, end := h.NewStart, h.NewEnd
		if oldSide {
			start, end = h.OldStart, h.OldEnd
		}
		if start < pos || end < start || end > len(body) {
			continue // does not fit this body: show it unmarked rather than wrong
		}
		add(diff.SegmentEqual, body[pos:start])
		span, at := body[start:end], 0
		for _, op := range h.Ops {
			if op.Kind != want || op.Text == "" {
				continue
			}
			i := strings.Index(span[at:], op.Text)
			if i < 0 {
				continue
			}
			// Spaces and line breaks around an edit are not the edit.
			core := strings.TrimSpace(op.Text)
			lead := strings.Index(op.Text, core)
			add(diff.SegmentEqual, span[at:at+i+lead])
			add(mark, core)
			at += i + len(op.Text)
			add(diff.SegmentEqual, op.Text[lead+len(core):])
		}
		add(diff.SegmentEqual, span[at:])
		pos = end
	}
	add(diff.SegmentEqual, body[pos:])
	return segs
}

func plain(body string) []diff.Segment {
	return marked(body, nil, false)
}

func categories(d *policy.Document) []policy.Category {
	if d == nil {
		return nil
	}
	out := make([]policy.Category, len(d.Sections))
	for i, s := range d.Sections {
		out[i] = s.Category
	}
	return out
}

// sectionName is a section's title, or (머리말) / (문단 N) for an untitled one.
func sectionName(lang i18n.Lang, title string, cat policy.Category, index int) string {
	switch {
	case title != "":
		return title
	case cat == policy.CategoryPreamble:
		return "(" + lang.T("ui.diff.preamble") + ")"
	}
	return "(" + lang.T("ui.diff.paragraph", index+1) + ")"
}

// CategoryLabel names a policy category in lang ("" for none).
func CategoryLabel(lang i18n.Lang, c policy.Category) string { return categoryLabel(lang, c) }

func categoryLabel(lang i18n.Lang, c policy.Category) string {
	if c == "" {
		return ""
	}
	if k := "ui.category." + string(c); i18n.Has(k) {
		return lang.T(k)
	}
	return string(c)
}

func fieldLabel(lang i18n.Lang, field string) string {
	switch field {
	case diff.FieldAnnounced:
		return lang.T("date.announced")
	case diff.FieldEffective:
		return lang.T("date.effective")
	}
	return lang.T("ui.date.revised")
}

func dateText(lang i18n.Lang, d *policy.Date) string {
	if d == nil || d.IsZero() {
		return lang.T("ui.none")
	}
	return d.String()
}
