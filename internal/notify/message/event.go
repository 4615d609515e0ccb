package message

import (
	"encoding/json"
	"time"

	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/policy"
)

// Event types.
const (
	TypeBaseline  = "policy.baseline"
	TypeChanged   = "policy.changed"
	TypeFailing   = "target.failing"
	TypeRecovered = "target.recovered"
	// TypeAnnounced: a notice-board post announces a coming policy change
	// before the policy page changes (design.md, "Notice evidence").
	TypeAnnounced = "policy.announced"
	// TypeTest is the message of `monitord notify test` (extension): it
	// says nothing about any policy, and never goes through the outbox.
	TypeTest = "monitord.test"
)

// Section changes.
const (
	ChangeAdded    = "added"
	ChangeRemoved  = "removed"
	ChangeModified = "modified"
	ChangeMoved    = "moved"
)

// Event is one alert as delivered to webhooks: the wire DTO of design.md,
// kept apart from the store's and the rules' types so the contract only
// changes on purpose. The same event keeps the same ID on every attempt.
type Event struct {
	ID         string      `json:"id"`
	Type       string      `json:"type"`
	Target     Target      `json:"target"`
	DetectedAt time.Time   `json:"detected_at"`
	Version    *Version    `json:"version"`
	Previous   *Previous   `json:"previous"` // null on a baseline
	Violations []Violation `json:"violations"`
	Sections   []Section   `json:"sections"` // changed sections only
	Summary    string      `json:"summary"`

	// Extensions of design.md's contract (added fields only; receivers that
	// do not know them ignore them).

	// DateChanges lists the 공고일자/시행일자 that changed with this version.
	DateChanges []DateChange `json:"date_changes,omitempty"`
	// Failures is the number of consecutive failed checks (target.failing)
	// or the number the recovery ended (target.recovered).
	Failures int `json:"failures,omitempty"`
	// Error is the last check's error (target.failing).
	Error string `json:"error,omitempty"`
	// ErrorCode names the kind of failure ("dns", "http_status", ...) for
	// programs; Error is its words, in the configuration's language.
	ErrorCode string `json:"error_code,omitempty"`
	// ReturnOf is set on a policy.changed whose new text is the same as an
	// earlier version's (the page went back to it): that version's id.
	// Further flips between known texts raise no event.
	ReturnOf string `json:"return_of,omitempty"`
	// Announcement is the notice-board post that announced this change
	// (policy.changed, policy.announced); nil when none is known.
	Announcement *Announcement `json:"announcement,omitempty"`
	// DiffURL links to the web UI's diff page of this change when
	// [server] base_url is set (extension).
	DiffURL string `json:"diff_url,omitempty"`
}

// Announcement is a notice-board post about a policy change. Posted and
// Effective are YYYY-MM-DD (KST) or null; Note says where the board and the
// page's own dates disagree.
type Announcement struct {
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	Posted    *string `json:"posted"`
	Effective *string `json:"effective"`
	Note      string  `json:"note,omitempty"`
}

// Evidence is one fact a verdict rests on (design.md: kind, at, url, sha256, text).
type Evidence = notice.Evidence

// DateChange is a date of the policy that changed: field is "announced",
// "effective" or "revised"; old and new are YYYY-MM-DD or null.
type DateChange struct {
	Field string  `json:"field"`
	Old   *string `json:"old"`
	New   *string `json:"new"`
}

// Target names the watched page.
type Target struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Version is the version the event is about. Dates are YYYY-MM-DD or null.
type Version struct {
	ID        string    `json:"id"`
	Announced *string   `json:"announced"`
	Effective *string   `json:"effective"`
	FirstSeen time.Time `json:"first_seen"`
}

// Previous is the version it replaced, with the last time it was served.
type Previous struct {
	ID        string    `json:"id"`
	Announced *string   `json:"announced"`
	Effective *string   `json:"effective"`
	LastSeen  time.Time `json:"last_seen"`
}

// Violation is a broken notice rule. It has the fields of notice.Violation,
// so a notice.Violation converts with Violation(v).
type Violation struct {
	Rule         string `json:"rule"`
	RequiredDays int    `json:"required_days"`
	RequiredBy   string `json:"required_by"`
	ActualDays   *int   `json:"actual_days"`
	Detail       string `json:"detail"`
	// Basis is page | observed | unconfirmed (design.md, "Notice evidence").
	Basis    string     `json:"basis,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Section is one changed section.
type Section struct {
	Title  string `json:"title"`
	Change string `json:"change"` // added | removed | modified | moved
	Diff   string `json:"diff"`
	// OldTitle is the title before a rename (extension; omitted when equal).
	OldTitle string `json:"old_title,omitempty"`
	// Category is the section's standard category (extension), e.g. "retention".
	Category string `json:"category,omitempty"`
}

// MarshalJSON encodes e with empty arrays, never null, for violations and
// sections, so receivers can iterate without a null check.
func (e Event) MarshalJSON() ([]byte, error) {
	type plain Event // no methods: avoids recursion
	p := plain(e)
	if p.Violations == nil {
		p.Violations = []Violation{}
	}
	if p.Sections == nil {
		p.Sections = []Section{}
	}
	return json.Marshal(p)
}

// Day returns d as a YYYY-MM-DD string for the wire, or nil for the zero Date.
func Day(d policy.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

// DayOf returns the date of a parsed date reference for the wire, or nil.
func DayOf(r *policy.DateRef) *string {
	if r == nil {
		return nil
	}
	return Day(r.Date)
}
