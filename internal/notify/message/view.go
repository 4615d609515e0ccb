package message

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"
	"time"
)

// Labels are the fixed words of chat messages in one language.
type Labels struct {
	Site, Dates, Announced, Effective, FirstSeen, LastSeen string
	Violations, NoViolations, Changes, Detected, Event     string
	Required, Actual, By                                   string
}

func labelsKO() Labels {
	return Labels{
		Site: "사이트", Dates: "날짜", Announced: "공고일자", Effective: "시행일자", FirstSeen: "처음 확인", LastSeen: "이전 본문 마지막 확인",
		Violations: "위반 사항", NoViolations: "고지 의무 위반 없음", Changes: "변경된 조항", Detected: "감지 시각", Event: "이벤트",
		Required: "필요", Actual: "실제", By: "근거",
	}
}

func labelsEN() Labels {
	return Labels{
		Site: "Site", Dates: "Dates", Announced: "Announced", Effective: "Effective", FirstSeen: "First seen", LastSeen: "Previous text last seen",
		Violations: "Violations", NoViolations: "No notice violation", Changes: "Changed sections", Detected: "Detected", Event: "Event",
		Required: "required", Actual: "actual", By: "set by",
	}
}

// View is what chat templates render: the event plus the words derived from
// it in one language. Templates get it as their dot.
type View struct {
	Event      Event
	Lang       string
	L          Labels
	Title      string // e.g. "개인정보 처리방침 변경: rarelee"
	Summary    string // Event.Summary, or Summary(Event, Lang) when empty
	Site       string // Site(Event.Target)
	URL        string // the policy page (not the webhook)
	Dates      string // "공고 2024-02-21, 시행 2024-02-21"
	Detected   string // detected_at in Asia/Seoul, "2006-01-02 15:04 KST"
	Violations []ViolationView
	Sections   []SectionView
}

// ViolationView is one violation in words.
type ViolationView struct {
	Rule, Name, Phrase, Detail string
}

// SectionView is one changed section in words.
type SectionView struct {
	Title, Change, Diff string
}

// kst is Korea Standard Time (no daylight saving since 1988).
var kst = time.FixedZone("KST", 9*60*60)

// NewView derives the words of e in lang.
func NewView(e Event, lang string) View {
	lang = Lang(lang)
	v := View{Event: e, Lang: lang, L: labelsKO(), Site: Site(e.Target), URL: e.Target.URL}
	en := lang == English
	if en {
		v.L = labelsEN()
		v.Dates = datesEN(e.Version)
	} else {
		v.Dates = datesKO(e.Version)
	}
	v.Summary = e.Summary
	if v.Summary == "" {
		v.Summary = Summary(e, lang)
	}
	v.Title = TypeTitle(e.Type, lang) + ": " + e.Target.Name
	if !e.DetectedAt.IsZero() {
		v.Detected = e.DetectedAt.In(kst).Format("2006-01-02 15:04 KST")
	}
	for _, x := range e.Violations {
		v.Violations = append(v.Violations, ViolationView{Rule: x.Rule, Name: RuleName(x.Rule, lang), Phrase: ViolationPhrase(x, lang), Detail: x.Detail})
	}
	for _, s := range e.Sections {
		title := s.Title
		if title == "" {
			title = pick(en, "(untitled)", "(제목 없음)")
		}
		v.Sections = append(v.Sections, SectionView{Title: title, Change: ChangeName(s.Change, lang), Diff: s.Diff})
	}
	return v
}

// TypeTitle is the headline for an event type.
func TypeTitle(typ, lang string) string {
	en := Lang(lang) == English
	switch typ {
	case TypeBaseline:
		return pick(en, "Privacy policy first snapshot", "개인정보 처리방침 최초 확인")
	case TypeChanged:
		return pick(en, "Privacy policy changed", "개인정보 처리방침 변경")
	case TypeFailing:
		return pick(en, "Policy page failing", "처리방침 페이지 확인 실패")
	case TypeRecovered:
		return pick(en, "Policy page recovered", "처리방침 페이지 복구")
	}
	return typ
}

// ChangeName is the word for a section change.
func ChangeName(change, lang string) string {
	en := Lang(lang) == English
	switch change {
	case ChangeAdded:
		return pick(en, "added", "추가")
	case ChangeRemoved:
		return pick(en, "removed", "삭제")
	case ChangeModified:
		return pick(en, "modified", "수정")
	case ChangeMoved:
		return pick(en, "moved", "이동")
	}
	return change
}

// Templates parses a format's default templates, then the operator's
// override (which may redefine any of them), with the format's functions.
// It renders every name in check against a sample event so a broken
// override fails at startup, not at the first alert.
func Templates(name, defaults, override string, funcs template.FuncMap, check ...string) (*template.Template, error) {
	t, err := template.New(name).Funcs(funcs).Parse(defaults)
	if err != nil {
		return nil, fmt.Errorf("message: parse default %s template: %w", name, err)
	}
	if strings.TrimSpace(override) != "" {
		if t, err = t.Parse(override); err != nil {
			return nil, fmt.Errorf("message: parse %s template override: %w", name, err)
		}
	}
	sample := NewView(sampleEvent(), Korean)
	for _, c := range check {
		if _, err := Render(t, c, sample); err != nil {
			return nil, err
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
		Violations: []Violation{{Rule: "short_notice", RequiredDays: 7, RequiredBy: "default", ActualDays: &actual, Detail: "sample"}},
		Sections:   []Section{{Title: "sample", Change: ChangeModified, Diff: "-a\n+b"}},
	}
}
