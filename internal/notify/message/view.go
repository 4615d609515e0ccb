package message

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/i18n"
)

// Verdicts: what a message says happened, which decides its headline and
// colour.
const (
	VerdictViolation = "violation" // a policy.* event with violations
	VerdictChanged   = "changed"   // changed, no violation
	VerdictBaseline  = "baseline"  // first seen, no violation
	VerdictReturned  = "returned"  // back to an earlier version's text
	VerdictCosmetic  = "cosmetic"  // changed without a changed section or date
	VerdictAnnounced = "announced" // a notice-board post announces a change
	VerdictFailing   = "failing"
	VerdictRecovered = "recovered"
	VerdictTest      = "test" // a `monitord notify test` message
)

// Line kinds of a SectionView.
const (
	LineChanged = "changed" // words replaced: a before and an after
	LineAdded   = "added"
	LineRemoved = "removed"
)

// View is what the chat and mail formats render: the event and the words
// derived from it in one language. Templates get it as their dot and can
// look up any catalogue message with {{.T "key" args}}.
type View struct {
	Event   Event
	Lang    string
	Verdict string
	// Headline names the verdict and the target once, e.g. "위반 · 사전 고지
	// 지연 — dabit 개인정보 처리방침 변경". Title is the same (older templates).
	Headline, Title string
	Summary         string // Event.Summary, or Summary(Event, Lang) when empty
	Name            string // the target's name
	Site            string // name and host, e.g. "rarelee(example.kr)"
	URL             string // the policy page (not the webhook)
	DiffURL         string // the web UI's diff page, when [server] base_url is set
	Link            Link   // the link to follow: the diff page, else the policy page
	Dates           string // "공고 2024-02-21, 시행 2024-02-21"
	PreviousDates   string // the replaced version's, "" when none
	Detected        string // detected_at in Asia/Seoul, "2006-01-02 15:04 KST"
	Note            string // a sentence for returns and cosmetic changes
	Error           string // a failing check's last error
	Violations      []ViolationView
	// Shared are sentences every violation's detail ends with (where the
	// notice period comes from, with the policy's promise quoted): said once,
	// and taken out of each ViolationView.Detail.
	Shared       []string
	Sections     []SectionView
	Announcement *AnnouncementView
}

// Link is a URL with the words to show for it.
type Link struct{ URL, Text string }

// ViolationView is one violation in words.
type ViolationView struct {
	Rule, Name, Phrase, Detail string
	Basis                      string // in words, "" when the event has none
	BasisCode                  string // page | observed | unconfirmed
	Evidence                   []EvidenceView
}

// EvidenceView is one fact of a verdict in words.
type EvidenceView struct {
	Kind, Name string
	At         string // YYYY-MM-DD (KST)
	URL, Text  string
}

// SectionView is one changed section in words, its edits as lines.
type SectionView struct {
	Title    string
	Renamed  string // "제목 변경: old → new", "" when not renamed
	Change   string // in words: 추가, 삭제, 수정, 이동
	Kind     string // added | removed | modified | moved
	Lines    []LineView
	Diff     string // the wire's marked-up text
	Category string
}

// LineView is one changed line: words replaced, or a line added or removed.
type LineView struct {
	Kind  string
	Spans []diff.Span
}

// AnnouncementView is the notice-board post of a change.
type AnnouncementView struct {
	Title, URL, Posted, Effective, Note string
}

// kst is Korea Standard Time (no daylight saving since 1988).
var kst = time.FixedZone("KST", 9*60*60)

// contextRunes bounds the unchanged text kept on each side of an edit.
const contextRunes = 40

// T looks up a catalogue message in the view's language.
func (v View) T(key string, args ...any) string { return tr(v.Lang).T(key, args...) }

// NewView derives the words of e in lang.
func NewView(e Event, lang string) View {
	l := tr(lang)
	v := View{
		Event: e, Lang: string(l), Name: e.Target.Name, Site: site(e.Target, l), URL: e.Target.URL, DiffURL: e.DiffURL,
		Dates: dates(e.Version, l), Summary: e.Summary, Error: e.Error,
	}
	if v.Name == "" {
		v.Name = v.Site
	}
	if v.Summary == "" {
		v.Summary = Summary(e, string(l))
	}
	if e.Previous != nil {
		v.PreviousDates = dates(&Version{Announced: e.Previous.Announced, Effective: e.Previous.Effective}, l)
	}
	if !e.DetectedAt.IsZero() {
		v.Detected = e.DetectedAt.In(kst).Format("2006-01-02 15:04 KST")
	}
	v.Link = Link{URL: e.Target.URL, Text: l.T("chat.link.page")}
	if e.DiffURL != "" {
		v.Link = Link{URL: e.DiffURL, Text: l.T("chat.link.diff")}
	}
	for _, x := range e.Violations {
		vv := ViolationView{Rule: x.Rule, Name: RuleName(x.Rule, string(l)), Phrase: ViolationPhrase(x, string(l)), Detail: x.Detail, BasisCode: x.Basis}
		if x.Basis != "" {
			vv.Basis = x.Basis
			if key := "basis." + x.Basis; i18n.Has(key) {
				vv.Basis = l.T(key)
			}
		}
		for _, ev := range x.Evidence {
			vv.Evidence = append(vv.Evidence, evidenceView(ev, l))
		}
		v.Violations = append(v.Violations, vv)
	}
	v.Shared = shareSentences(v.Violations)
	for _, s := range e.Sections {
		v.Sections = append(v.Sections, sectionView(s, l))
	}
	if a := e.Announcement; a != nil {
		v.Announcement = &AnnouncementView{Title: a.Title, URL: a.URL, Posted: deref(a.Posted), Effective: deref(a.Effective), Note: a.Note}
	}
	v.Verdict, v.Headline = headline(e, v, l)
	v.Title = v.Headline
	switch v.Verdict {
	case VerdictReturned:
		v.Note = l.T("chat.return_of", e.ReturnOf)
	case VerdictCosmetic:
		v.Note = l.T("chat.cosmetic")
	case VerdictTest:
		v.Note = v.Summary
	}
	return v
}

func headline(e Event, v View, l i18n.Lang) (verdict, text string) {
	var rules []string
	for _, x := range v.Violations {
		if !slices.Contains(rules, x.Name) {
			rules = append(rules, x.Name)
		}
	}
	ruleList := strings.Join(rules, l.T("chat.rule_join"))
	switch e.Type {
	case TypeBaseline:
		if len(rules) > 0 {
			return VerdictViolation, l.T("chat.headline.baseline_violation", v.Name, ruleList)
		}
		return VerdictBaseline, l.T("chat.headline.baseline", v.Name)
	case TypeChanged:
		switch {
		case e.ReturnOf != "":
			return VerdictReturned, l.T("chat.headline.returned", v.Name)
		case len(rules) > 0:
			return VerdictViolation, l.T("chat.headline.changed_violation", v.Name, ruleList)
		case len(e.Sections) == 0 && len(e.DateChanges) == 0:
			return VerdictCosmetic, l.T("chat.headline.cosmetic", v.Name)
		}
		return VerdictChanged, l.T("chat.headline.changed", v.Name)
	case TypeAnnounced:
		return VerdictAnnounced, l.T("chat.headline.announced", v.Name)
	case TypeFailing:
		return VerdictFailing, l.T("chat.headline.failing", v.Name, e.Failures)
	case TypeRecovered:
		return VerdictRecovered, l.T("chat.headline.recovered", v.Name)
	case TypeTest:
		return VerdictTest, l.T("chat.headline.test")
	}
	return VerdictChanged, l.T("chat.summary.other", v.Name, e.Type)
}

func evidenceView(ev Evidence, l i18n.Lang) EvidenceView {
	out := EvidenceView{Kind: ev.Kind, Name: ev.Kind, URL: ev.URL, Text: Truncate(oneLine(ev.Text), 160)}
	if key := "chat.evidence." + ev.Kind; i18n.Has(key) {
		out.Name = l.T(key)
	}
	if !ev.At.IsZero() {
		out.At = ev.At.In(kst).Format("2006-01-02")
	}
	return out
}

func sectionView(s Section, l i18n.Lang) SectionView {
	title := oneLine(s.Title)
	if title == "" {
		title = l.T("chat.untitled")
	}
	sv := SectionView{Title: title, Change: s.Change, Kind: s.Change, Diff: s.Diff, Category: s.Category}
	if key := "change." + s.Change; i18n.Has(key) {
		sv.Change = l.T(key)
	}
	if s.OldTitle != "" && s.OldTitle != s.Title {
		sv.Renamed = l.T("chat.renamed", oneLine(s.OldTitle), title)
	}
	for _, line := range diff.ParseSection(s.Change, s.Diff) {
		if !line.Changed() {
			continue
		}
		kind := LineChanged
		switch {
		case !hasOp(line.Spans, diff.OpDelete):
			kind = LineAdded
		case !hasOp(line.Spans, diff.OpInsert):
			kind = LineRemoved
		}
		sv.Lines = append(sv.Lines, LineView{Kind: kind, Spans: capSpans(trimContext(line.Spans), maxLineRunes)})
	}
	return sv
}

func hasOp(spans []diff.Span, op string) bool {
	return slices.ContainsFunc(spans, func(s diff.Span) bool { return s.Op == op })
}

// trimContext shortens long unchanged text at the start and end of a line,
// keeping what is nearest to the edit.
func trimContext(spans []diff.Span) []diff.Span {
	out := slices.Clone(spans)
	if n := len(out); n > 0 && out[0].Op == diff.OpEqual {
		r := []rune(out[0].Text)
		if len(r) > contextRunes {
			out[0].Text = "…" + string(r[len(r)-contextRunes+1:])
		}
	}
	if n := len(out); n > 1 && out[n-1].Op == diff.OpEqual {
		r := []rune(out[n-1].Text)
		if len(r) > contextRunes {
			out[n-1].Text = string(r[:contextRunes-1]) + "…"
		}
	}
	return out
}

// maxLineRunes bounds the text of one line (both sides together).
const maxLineRunes = 300

// capSpans cuts spans after n runes of text, ending the last kept one with "…".
func capSpans(spans []diff.Span, n int) []diff.Span {
	for i, s := range spans {
		l := utf8.RuneCountInString(s.Text)
		if l > n {
			spans[i].Text = Truncate(s.Text, max(n, 1))
			return spans[:i+1]
		}
		n -= l
	}
	return spans
}

// Side renders one side of a line (old or new) with esc applied to all text
// and mark wrapped around the edited words; the other side's edits are left
// out. Each format passes its own markup: Slack ~x~ and *x*, Discord ~~x~~
// and **x**, HTML <del> and <ins>.
func (l LineView) Side(old bool, esc, mark func(string) string) string {
	var b strings.Builder
	for _, s := range l.Spans {
		switch {
		case s.Op == diff.OpEqual:
			b.WriteString(esc(s.Text))
		case (old && s.Op == diff.OpDelete) || (!old && s.Op == diff.OpInsert):
			if t := strings.TrimSpace(s.Text); t != "" {
				lead := s.Text[:strings.Index(s.Text, t)]
				b.WriteString(esc(lead) + mark(esc(t)) + esc(s.Text[len(lead)+len(t):]))
			} else {
				b.WriteString(esc(s.Text))
			}
		}
	}
	return b.String()
}

// Plain is one side of the line without markup.
func (l LineView) Plain(old bool) string {
	id := func(s string) string { return s }
	return l.Side(old, id, id)
}

// shareSentences takes the sentences that every violation's detail has in
// common out of the details and returns them once. With one violation
// there is nothing to share.
func shareSentences(vs []ViolationView) []string {
	if len(vs) < 2 {
		return nil
	}
	split := make([][]string, len(vs))
	for i, v := range vs {
		split[i] = sentences(v.Detail)
	}
	var shared []string
	for _, s := range split[0] {
		common := true
		for _, other := range split[1:] {
			if !slices.Contains(other, s) {
				common = false
				break
			}
		}
		if common && !slices.Contains(shared, s) {
			shared = append(shared, s)
		}
	}
	if len(shared) == 0 {
		return nil
	}
	for i := range vs {
		kept := slices.DeleteFunc(split[i], func(s string) bool { return slices.Contains(shared, s) })
		vs[i].Detail = strings.Join(kept, " ")
	}
	return shared
}

// sentences splits a detail after each ". " that is not inside “quotes”.
func sentences(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '“':
			depth++
		case '”':
			depth = max(depth-1, 0)
		case '.':
			if depth == 0 && (i+1 == len(s) || s[i+1] == ' ') {
				out = append(out, strings.TrimSpace(s[start:i+1]))
				start = i + 1
			}
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// OneLine collapses every run of white space (line breaks included) to one space.
func OneLine(s string) string { return oneLine(s) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// RuneLen is the length chat services count (runes).
func RuneLen(s string) int { return utf8.RuneCountInString(s) }

// TestEvent is the message `monitord notify test` sends to the webhook
// named webhook (its host shown as host): a fresh id, no policy, a summary
// saying what it is.
func TestEvent(id, webhook, host string, at time.Time, lang string) Event {
	return Event{
		ID: id, Type: TypeTest, Target: Target{Name: "monitord"}, DetectedAt: at,
		Violations: []Violation{}, Sections: []Section{},
		Summary: tr(lang).T("chat.test.body", webhook, host),
	}
}

// Templates parses a format's default templates, then the operator's
// override (which may redefine any of them), with the format's functions.
// It renders every name in check against a sample event so a broken
// override fails at startup, not at the first alert.
func Templates(name, defaults, override string, funcs template.FuncMap, check ...string) (*template.Template, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(funcs).Parse(defaults)
	if err != nil {
		return nil, fmt.Errorf("message: parse default %s template: %w", name, err)
	}
	if strings.TrimSpace(override) != "" {
		if t, err = t.Parse(override); err != nil {
			return nil, fmt.Errorf("message: parse %s template override: %w", name, err)
		}
	}
	for _, sample := range []View{NewView(sampleEvent(), Korean), NewView(Event{ID: "evt_sample", Type: TypeFailing, Target: Target{Name: "sample"}}, English)} {
		for _, c := range check {
			if _, err := Render(t, c, sample); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

// Render executes the named template with data (a View for the standard
// names "title" and "body").
func Render(t *template.Template, name string, data any) (string, error) {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("message: render template %q: %w", name, err)
	}
	return b.String(), nil
}

func sampleEvent() Event {
	d := "2026-11-01"
	actual := 0
	return Event{
		ID: "evt_sample", Type: TypeChanged,
		Target:     Target{Name: "sample", URL: "https://example.kr/privacy"},
		DetectedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, kst),
		Version:    &Version{ID: "v2", Announced: &d, Effective: &d, FirstSeen: time.Date(2026, 11, 1, 9, 0, 0, 0, kst)},
		Previous:   &Previous{ID: "v1", LastSeen: time.Date(2026, 10, 31, 9, 0, 0, 0, kst)},
		Violations: []Violation{{Rule: "short_notice", RequiredDays: 7, RequiredBy: "default", ActualDays: &actual, Detail: "sample", Basis: "page",
			Evidence: []Evidence{{Kind: "page_dates", At: time.Date(2026, 11, 1, 9, 0, 0, 0, kst), Text: "sample"}}}},
		Sections:     []Section{{Title: "sample", Change: ChangeModified, Diff: "a ~~b~~ **c**"}},
		Announcement: &Announcement{URL: "https://example.kr/notice/1", Title: "sample", Posted: &d},
		DiffURL:      "https://monitord.example.kr/targets/sample/diff/v1/v2",
	}
}
