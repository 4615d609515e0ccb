package notice

import (
	"time"

	"github.com/monitord/monitord/internal/policy"
)

// Rule names, as they appear in events and the store.
const (
	RuleShortNotice   = "short_notice"
	RuleUndatedChange = "undated_change"
	RuleLateNotice    = "late_notice"
	RuleRetroactive   = "retroactive"
)

// Sources of the required notice period (Violation.RequiredBy).
const (
	ByConfig  = "config"  // the target's notice_days
	ByPolicy  = "policy"  // the period the policy itself promises
	ByDefault = "default" // [notice] days
)

// FallbackDays is the notice period used when DefaultDays is not positive.
const FallbackDays = 7

// Input is everything the rules need about one new version of a target.
type Input struct {
	Baseline     bool              // first snapshot of the target
	Old, New     *policy.Document  // Old is nil on a baseline
	Substantive  bool              // the section diff is not empty (text changed in substance)
	DatesChanged bool              // 공고일자 or 시행일자 changed between Old and New
	Changed      []policy.Category // categories of the changed sections
	PrevLastSeen time.Time         // last time the old text was served (evidence)
	FirstSeen    time.Time         // first time the new text was seen
	TargetDays   *int              // per-target notice_days, nil when unset
	DefaultDays  int               // [notice] days; not positive means FallbackDays
	Location     *time.Location    // zone of calendar days; nil means Asia/Seoul (UTC+9)
	Lang         string            // "ko" (default) or "en" for Violation.Detail
	// OldPage and NewPage are the stored pages of the old and the new text
	// (URL and SHA-256 of the bytes as fetched), quoted by the evidence.
	OldPage, NewPage Page
	// Board is what the target's notice board showed; nil when no board is
	// known (late_notice is then BasisUnconfirmed).
	Board *Board
}

// Violation is one broken notice rule with its evidence.
type Violation struct {
	Rule         string `json:"rule"`
	RequiredDays int    `json:"required_days"`
	RequiredBy   string `json:"required_by"` // config | policy | default
	ActualDays   *int   `json:"actual_days"` // nil when it cannot be known (undated_change)
	Detail       string `json:"detail"`
	// Basis says what proves the violation: BasisPage, BasisObserved or
	// BasisUnconfirmed (design.md, "Notice evidence").
	Basis string `json:"basis,omitempty"`
	// Evidence lists what the verdict rests on, oldest first.
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Bases of a verdict (design.md, "Notice evidence").
const (
	// BasisPage: the page's own dates prove it (short_notice).
	BasisPage = "page"
	// BasisObserved: what monitord saw, with the notice board watched and no
	// earlier announcement found (and always for undated_change, retroactive).
	BasisObserved = "observed"
	// BasisUnconfirmed: what monitord saw on the policy page alone; the
	// announcement may have been made elsewhere.
	BasisUnconfirmed = "unconfirmed"
)

// Kinds of evidence.
const (
	EvidencePageDates    = "page_dates"
	EvidenceOldLastSeen  = "old_last_seen"
	EvidenceNewFirstSeen = "new_first_seen"
	EvidenceBoardPost    = "board_post"
	EvidenceBoardChecked = "board_checked"
)

// Evidence is one fact a verdict rests on: what was seen, when, where, the
// SHA-256 of the stored page that backs it (when one does) and the quoted line.
type Evidence struct {
	Kind   string    `json:"kind"`
	At     time.Time `json:"at"`
	URL    string    `json:"url,omitempty"`
	SHA256 string    `json:"sha256,omitempty"`
	Text   string    `json:"text,omitempty"`
}

// seoul is Korea Standard Time. Korea has kept UTC+9 without daylight saving
// since 1988, so a fixed zone is exact for every date a policy can carry and
// spares a tzdata lookup in a pure package.
var seoul = time.FixedZone("KST", 9*60*60)

// Required returns the notice period in days that applies to in, which source
// set it (ByConfig, ByPolicy or ByDefault) and, for ByPolicy, the promise
// sentence as the policy wrote it.
//
// The order is: the target's notice_days; the policy's promise (its longer
// ImportantDays when a changed section's category is important, except on a
// baseline where nothing changed); [notice] days. For a change the promise of
// the old text is preferred, since that is the one readers were given when the
// change was announced; the new text's promise is used when the old has none
// and on a baseline.
func Required(in Input) (days int, by string, quote string) {
	if in.TargetDays != nil && *in.TargetDays > 0 {
		return *in.TargetDays, ByConfig, ""
	}
	for _, doc := range promiseDocs(in) {
		p := doc.Promise
		if !in.Baseline && p.ImportantDays > 0 && anyImportant(in.Changed) {
			return p.ImportantDays, ByPolicy, p.Text
		}
		if p.Days > 0 {
			return p.Days, ByPolicy, p.Text
		}
	}
	if in.DefaultDays > 0 {
		return in.DefaultDays, ByDefault, ""
	}
	return FallbackDays, ByDefault, ""
}

func promiseDocs(in Input) []*policy.Document {
	var docs []*policy.Document
	if !in.Baseline && in.Old != nil && in.Old.Promise != nil {
		docs = append(docs, in.Old)
	}
	if in.New != nil && in.New.Promise != nil {
		docs = append(docs, in.New)
	}
	return docs
}

func anyImportant(cs []policy.Category) bool {
	for _, c := range cs {
		if c.Important() {
			return true
		}
	}
	return false
}

// Evaluate applies the notice rules to one new version and returns the
// violations in a fixed order (short_notice, undated_change, late_notice,
// retroactive); nil when the version is compliant.
//
// A version that is neither a baseline, a substantive change nor a change of
// dates (a cosmetic change) raises nothing. Exactly the required number of
// days is compliant. Calendar days are counted in in.Location.
func Evaluate(in Input) []Violation {
	if in.New == nil {
		return nil
	}
	if !in.Baseline && !in.Substantive && !in.DatesChanged {
		return nil
	}
	loc := in.Location
	if loc == nil {
		loc = seoul
	}
	req := requirement{}
	req.days, req.by, req.quote = Required(in)
	t := texts(in.Lang)

	ann, eff := dateOf(in.New.Announced), dateOf(in.New.Effective)
	// A board post dated at least the required days before the 시행일자
	// answers both short_notice and late_notice: the announcement the
	// promise names was made in time (design.md, "Details").
	match := Announcement(in)
	answered := match != nil && match.Timely
	var out []Violation

	if !ann.IsZero() && !eff.IsZero() && !answered {
		if actual := ann.DaysUntil(eff); actual < req.days {
			v := req.violation(RuleShortNotice, &actual,
				t.shortNotice(ann, eff, actual, req.days)+" "+t.source(req))
			v.Basis, v.Evidence = BasisPage, pageDates(in)
			out = append(out, v)
		}
	}
	if in.Baseline {
		return out
	}

	var oldEff policy.Date
	if in.Old != nil {
		oldEff = dateOf(in.Old.Effective)
	}
	if in.Substantive && (!in.DatesChanged || eff.IsZero()) {
		v := req.violation(RuleUndatedChange, nil,
			t.undated(ann, eff, req.days)+" "+t.source(req))
		v.Basis = BasisObserved
		v.Evidence = append(pageDates(in), oldLastSeen(in), newFirstSeen(in))
		out = append(out, v)
		return out
	}
	if eff.IsZero() || eff == oldEff {
		// No new 시행일자 came with the change: nothing to measure the
		// observed notice against.
		return out
	}

	if !in.PrevLastSeen.IsZero() && !answered {
		last := policy.DateOf(in.PrevLastSeen, loc)
		if actual := last.DaysUntil(eff); actual < req.days {
			out = append(out, lateNotice(in, req, t, match, ann, eff, last, actual))
		}
	}
	if !in.FirstSeen.IsZero() {
		first := policy.DateOf(in.FirstSeen, loc)
		if eff.Before(first) {
			actual := first.DaysUntil(eff) // negative: days the change took effect before we saw it
			v := req.violation(RuleRetroactive, &actual,
				t.retroactive(eff, first, -actual)+" "+t.source(req))
			v.Basis = BasisObserved
			v.Evidence = append(pageDates(in), newFirstSeen(in))
			out = append(out, v)
		}
	}
	return out
}

// lateNotice is the late_notice verdict with its basis: observed when the
// board was read (silent, or holding a post too late or backdated),
// unconfirmed when no board is known or it could not be read.
func lateNotice(in Input, req requirement, t detailer, match *Match, ann, eff, last policy.Date, actual int) Violation {
	detail := t.late(ann, eff, last, actual, req.days)
	evidence := []Evidence{oldLastSeen(in), newFirstSeen(in)}
	basis := BasisUnconfirmed
	b := in.Board
	loc := location(in)
	switch {
	case match != nil:
		basis = BasisObserved
		p := match.Post
		if match.Backdated {
			detail += " " + t.l.T("notice.board.backdated", p.Title, p.Posted, policy.DateOf(p.FirstSeen, loc), policy.DateOf(p.AbsentAt, loc))
		} else {
			detail += " " + t.l.T("notice.board.post_short", p.Title, p.Posted, t.days(match.Days), t.days(req.days))
		}
		if match.Days > actual {
			actual = match.Days
		}
		evidence = append(evidence, Evidence{Kind: EvidenceBoardPost, At: p.FirstSeen, URL: p.URL, SHA256: p.SHA256, Text: postLine(p)})
		if match.Backdated {
			evidence = append(evidence, Evidence{Kind: EvidenceBoardChecked, At: p.AbsentAt, URL: b.URL, Text: t.l.T("evidence.board_checked", b.Listed)})
		}
	case b != nil && b.Read:
		basis = BasisObserved
		detail += " " + t.l.T("notice.board.silent", policy.DateOf(b.CheckedAt, loc))
		evidence = append(evidence, Evidence{Kind: EvidenceBoardChecked, At: b.CheckedAt, URL: b.URL, SHA256: b.SHA256, Text: t.l.T("evidence.board_checked", b.Listed)})
	case b != nil:
		detail += " " + t.l.T("notice.board.unreadable", b.Error)
		evidence = append(evidence, Evidence{Kind: EvidenceBoardChecked, At: b.CheckedAt, URL: b.URL, Text: t.l.T("evidence.board_unreadable", b.Error)})
	default:
		detail += " " + t.l.T("notice.board.none")
	}
	v := req.violation(RuleLateNotice, &actual, detail+" "+t.source(req))
	v.Basis = basis
	v.Evidence = append(pageDates(in), evidence...)
	return v
}

// pageDates quotes the lines of the new page that state its dates.
func pageDates(in Input) []Evidence {
	var out []Evidence
	seen := map[int]bool{}
	for _, r := range []*policy.DateRef{in.New.Announced, in.New.Effective} {
		if r == nil || (r.Line > 0 && seen[r.Line]) {
			continue
		}
		seen[r.Line] = true
		out = append(out, Evidence{Kind: EvidencePageDates, At: in.FirstSeen, URL: in.NewPage.URL, SHA256: in.NewPage.SHA256, Text: refLine(r)})
	}
	return out
}

func oldLastSeen(in Input) Evidence {
	e := Evidence{Kind: EvidenceOldLastSeen, At: in.PrevLastSeen, URL: in.OldPage.URL, SHA256: in.OldPage.SHA256}
	if in.Old != nil && in.Old.Effective != nil {
		e.Text = refLine(in.Old.Effective)
	}
	return e
}

func newFirstSeen(in Input) Evidence {
	e := Evidence{Kind: EvidenceNewFirstSeen, At: in.FirstSeen, URL: in.NewPage.URL, SHA256: in.NewPage.SHA256}
	if in.New.Effective != nil {
		e.Text = refLine(in.New.Effective)
	}
	return e
}

// refLine is the quoted line of a date: the page's own line when known.
func refLine(r *policy.DateRef) string {
	if s := quote(r.Text); s != "" {
		return s
	}
	return r.Label + " " + r.Date.String()
}

func postLine(p Post) string {
	if s := quote(p.Line); s != "" {
		return s
	}
	return quote(p.Title + " (" + p.Posted.String() + ")")
}

type requirement struct {
	days  int
	by    string
	quote string
}

func (r requirement) violation(rule string, actual *int, detail string) Violation {
	return Violation{Rule: rule, RequiredDays: r.days, RequiredBy: r.by, ActualDays: actual, Detail: detail}
}

func dateOf(r *policy.DateRef) policy.Date {
	if r == nil {
		return policy.Date{}
	}
	return r.Date
}
