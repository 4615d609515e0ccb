package policy

import (
	"fmt"
	"time"
)

// Date is a calendar date without a time of day or zone. Korean notice periods
// are counted in calendar days in Asia/Seoul, so dates the law cares about are
// kept as dates, never as instants.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date and whether it exists in the Gregorian calendar
// (2024-02-30 does not; it is rejected, never normalised).
func NewDate(year int, month time.Month, day int) (Date, bool) {
	if year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 || day > 31 {
		return Date{}, false
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Year() != year || t.Month() != month || t.Day() != day {
		return Date{}, false
	}
	return Date{Year: year, Month: month, Day: day}, true
}

// DateOf returns the calendar date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseISO parses a YYYY-MM-DD date.
func ParseISO(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("policy: parse date %q: %w", s, err)
	}
	return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// DaysUntil returns the number of calendar days from d to e (e − d); negative
// when e is before d.
func (d Date) DaysUntil(e Date) int {
	a := d.Time(time.UTC)
	b := e.Time(time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// MarshalText encodes d as YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes YYYY-MM-DD; an empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseISO(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Category is the standard topic of a section, after the table of contents of
// the regulator's 개인정보 처리방침 작성지침.
type Category string

// The categories a section can have.
const (
	CategoryPreamble     Category = "preamble"     // text before the first heading
	CategoryPurpose      Category = "purpose"      // 처리 목적
	CategoryItems        Category = "items"        // 수집 항목
	CategoryRetention    Category = "retention"    // 보유·이용 기간
	CategoryDestruction  Category = "destruction"  // 파기
	CategoryThirdParty   Category = "third_party"  // 제3자 제공
	CategoryOutsourcing  Category = "outsourcing"  // 처리 위탁
	CategoryOverseas     Category = "overseas"     // 국외 이전
	CategoryRights       Category = "rights"       // 정보주체의 권리
	CategorySafety       Category = "safety"       // 안전성 확보조치
	CategoryCookies      Category = "cookies"      // 자동 수집 장치
	CategoryOfficer      Category = "officer"      // 개인정보 보호책임자
	CategoryRemedies     Category = "remedies"     // 권익침해 구제
	CategoryChanges      Category = "changes"      // 처리방침 변경
	CategorySensitive    Category = "sensitive"    // 민감정보
	CategoryPseudonymous Category = "pseudonymous" // 가명정보
	CategoryChildren     Category = "children"     // 아동
	CategoryOther        Category = "other"
)

// Important reports whether a change in a section of this category is one
// users must be told of well ahead (the longer notice period policies promise
// for important or adverse changes).
func (c Category) Important() bool {
	switch c {
	case CategoryItems, CategoryThirdParty, CategoryOverseas, CategoryRetention, CategoryPurpose:
		return true
	}
	return false
}

// Document is a parsed privacy policy.
type Document struct {
	// Sections in page order. The first is the preamble (Level 0) when text
	// stands before the first heading; a text with no headings at all is split
	// into paragraph sections (Level 0, Title empty, Key from the paragraph).
	Sections []Section `json:"sections"`

	// Announced is the 공고일자 (announcement date), Effective the 시행일자
	// (effective date), Revised a weaker 개정일/변경일/최종 수정일 signal.
	Announced *DateRef `json:"announced,omitempty"`
	Effective *DateRef `json:"effective,omitempty"`
	Revised   *DateRef `json:"revised,omitempty"`

	// History lists earlier versions the page itself mentions (이전 처리방침,
	// 변경 이력); never the current dates.
	History []HistoryEntry `json:"history,omitempty"`

	// Promise is the notice period the policy promises in its change section.
	Promise *Promise `json:"promise,omitempty"`

	// TOC is the table of contents, when the page has one (kept out of Sections).
	TOC []string `json:"toc,omitempty"`
}

// Section is one section of a policy.
type Section struct {
	Level    int      `json:"level"`            // 0 preamble/paragraph, 1 top, 2 sub, ...
	Marker   string   `json:"marker,omitempty"` // the numbering as written: "3.", "제3조", "■", "①"
	Title    string   `json:"title"`            // heading text without its marker
	Key      string   `json:"key"`              // stable key: title without numbering, markers, spaces, punctuation
	Category Category `json:"category"`
	Heading  string   `json:"heading,omitempty"` // the heading line as written
	Body     []string `json:"body"`              // lines after the heading, up to the next heading
	Start    int      `json:"start"`             // 1-based line of the heading (or first body line)
	End      int      `json:"end"`               // 1-based last line, inclusive
}

// DateRef is a date found in the text, with the evidence for it.
type DateRef struct {
	Date  Date   `json:"date"`
	Line  int    `json:"line"`  // 1-based line number in the parsed text
	Text  string `json:"text"`  // that line, trimmed
	Label string `json:"label"` // what identified it: "공고일자", "부터 시행", ...
}

// HistoryEntry is an earlier version the page lists.
type HistoryEntry struct {
	From Date   `json:"from"`
	To   Date   `json:"to,omitzero"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

// Promise is the notice period a policy promises for its own changes.
type Promise struct {
	Days          int    `json:"days"`                     // ordinary changes
	ImportantDays int    `json:"important_days,omitempty"` // important or adverse changes, when stated
	Line          int    `json:"line"`
	Text          string `json:"text"` // the sentence it came from
}
