package ui

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

// recentChange is how long a change keeps a target's status at "changed".
const recentChange = 30 * 24 * time.Hour

// Statuses of a target, in the order the list shows them (attention first).
const (
	stViolation = "violation"
	stFailing   = "failing"
	stBoard     = "board_unknown"
	stChanged   = "changed"
	stUnchecked = "unchecked"
	stOK        = "ok"
	stDisabled  = "disabled"
	stRemoved   = "removed"
)

var statusOrder = []string{stViolation, stFailing, stBoard, stChanged, stUnchecked, stOK, stDisabled, stRemoved}

func statusRank(s string) int { return slices.Index(statusOrder, s) }

// statusLabel says a status in words.
func statusLabel(l i18n.Lang, status string, failures int) string {
	switch status {
	case stFailing:
		return l.T("status.failing", failures)
	case stDisabled, stRemoved:
		return l.T("ui.status." + status)
	}
	return l.T("status." + status)
}

// openRules returns the rules the policy in force broke: those of the
// current version, or, when the current version only re-spaced or
// re-extracted a judged one, those of the version it stands for. A cosmetic
// version is recognised without its events: it is not technical, not a
// return, has no violations, and states the same dates as its predecessor
// (a change in substance with the same dates is always an undated_change).
// Only targets that need it have their versions read.
func (u *UI) openRules(ctx context.Context, t web.TargetInfo) []string {
	cur := t.Current
	if cur == nil {
		return nil
	}
	if rs := rules(cur); rs != nil {
		return rs
	}
	if t.State == nil || t.State.Versions < 2 || cur.ReturnOf != 0 {
		return nil
	}
	vs, err := u.o.Source.Versions(ctx, t.Name)
	if err != nil || len(vs) < 2 {
		return nil
	}
	for i := len(vs) - 1; i > 0; i-- {
		v, prev := vs[i], vs[i-1]
		if v.Imported {
			// A past version's findings are a record of the past, never
			// open: the baseline after it is judged on its own.
			return nil
		}
		if rs := rules(&v); rs != nil {
			return rs
		}
		sameDates := v.Meta["announced"] == prev.Meta["announced"] && v.Meta["effective"] == prev.Meta["effective"]
		if v.ReturnOf != 0 || !(v.Technical || sameDates) {
			return nil
		}
	}
	if vs[0].Imported {
		return nil
	}
	return rules(&vs[0])
}

// baselineAfterImport tells whether t's current version is its baseline,
// stored after past versions imported on the first check: those versions
// make State.Versions > 1 although the page never changed under watch.
// Only targets whose current version is recent and not technical have
// their versions read.
func (u *UI) baselineAfterImport(ctx context.Context, t web.TargetInfo, now time.Time) bool {
	cur := t.Current
	if cur == nil || t.State == nil || t.State.Versions < 2 || cur.Technical || now.Sub(cur.FirstSeen) >= recentChange {
		return false
	}
	vs, err := u.o.Source.Versions(ctx, t.Name)
	if err != nil || len(vs) < 2 {
		return false
	}
	n := len(vs)
	return vs[n-1].ID == cur.ID && !vs[n-1].Imported && vs[n-2].Imported
}

// targetStatus is the one status a target shows: its open violations first, then failing checks, an unreadable notice board, a
// change in the last 30 days (not the baseline stored after imported past versions), never checked, OK.
func targetStatus(t web.TargetInfo, open []string, baseline bool, now time.Time) string {
	switch {
	case !t.Configured:
		return stRemoved
	case !t.Enabled:
		return stDisabled
	case t.State == nil:
		return stUnchecked
	case len(open) > 0:
		return stViolation
	case t.State.ConsecutiveFailures > 0:
		return stFailing
	case t.Board != nil && (t.Board.Failures > 0 || t.Board.Error != ""):
		// The board's latest read failed: a late notice cannot be ruled
		// out by an announcement.
		return stBoard
	case t.Current != nil && t.State.Versions > 1 && !t.Current.Technical && now.Sub(t.Current.FirstSeen) < recentChange && !baseline:
		return stChanged
	case t.Current == nil:
		return stUnchecked
	}
	return stOK
}

// rules splits the comma-separated rule names of a version's metadata.
func rules(v *snapshot.Version) []string {
	if v == nil || v.Meta["violations"] == "" {
		return nil
	}
	return strings.Split(v.Meta["violations"], ",")
}

// Version kinds.
const (
	kindObserved  = "observed"
	kindCosmetic  = "cosmetic"
	kindTechnical = "technical"
	kindImported  = "imported"
	kindReturn    = "return"
)

// versionKind tells what a version is. A stored version after the first
// that raised no policy event and is neither technical nor a return is a
// cosmetic one: the daemon stores such texts (they are what the site
// serves) but judges nothing.
func versionKind(v snapshot.Version, first bool, evs map[uint64]*policyEvent) string {
	switch {
	case v.Imported:
		return kindImported
	case v.Technical:
		return kindTechnical
	case v.ReturnOf != 0:
		return kindReturn
	case first, evs[v.ID] != nil:
		return kindObserved
	}
	return kindCosmetic
}

// policyEvent is a stored policy.baseline or policy.changed event with its
// payload decoded: the verdict of one version.
type policyEvent struct {
	ID    string
	Event message.Event
}

// policyEvents decodes a target's policy events by version id.
func policyEvents(evs []snapshot.EventWithDeliveries) map[uint64]*policyEvent {
	out := map[uint64]*policyEvent{}
	for _, e := range evs {
		if e.Version == 0 || (e.Type != message.TypeBaseline && e.Type != message.TypeChanged) {
			continue
		}
		pe := &policyEvent{ID: e.ID}
		if len(e.Payload) > 0 {
			_ = json.Unmarshal(e.Payload, &pe.Event) // a payload we cannot read still marks the version observed
		}
		if _, seen := out[e.Version]; !seen {
			out[e.Version] = pe
		}
	}
	return out
}

// violationView is one broken rule as a page shows it.
type violationView struct {
	Rule, RuleLabel string
	Basis           string // page | observed | unconfirmed | ""
	BasisLabel      string
	Required        string // "필요 30일, 실제 3일"
	Detail          string
	Evidence        []evidenceView
}

type evidenceView struct {
	Kind, KindLabel, At, URL, SHA256, Text string
}

// violations returns the violations of version v: from its event when
// there is one (with basis and evidence), else the rule names stored with
// the version.
func (u *UI) violations(v snapshot.Version, pe *policyEvent) []violationView {
	l := u.lang()
	var out []violationView
	if pe != nil && len(pe.Event.Violations) > 0 {
		for _, x := range pe.Event.Violations {
			vv := violationView{Rule: x.Rule, RuleLabel: ruleLabel(l, x.Rule), Basis: x.Basis, Detail: x.Detail}
			if x.Basis != "" {
				vv.BasisLabel = l.T("basis." + x.Basis)
			}
			switch {
			case x.ActualDays != nil:
				vv.Required = l.T("ui.diff.required", l.T("days", x.RequiredDays), l.T("days", *x.ActualDays))
			case x.RequiredDays > 0:
				vv.Required = l.T("ui.diff.requiredonly", l.T("days", x.RequiredDays))
			}
			for _, e := range x.Evidence {
				vv.Evidence = append(vv.Evidence, u.evidence(l, e))
			}
			out = append(out, vv)
		}
		return out
	}
	for _, r := range rules(&v) {
		label := ruleLabel(l, r)
		if v.Imported {
			// Found on the past version's own dates: a record, never alerted.
			label = l.T("render.historical", label)
		}
		out = append(out, violationView{Rule: r, RuleLabel: label})
	}
	return out
}

func (u *UI) evidence(l i18n.Lang, e notice.Evidence) evidenceView {
	ev := evidenceView{Kind: e.Kind, KindLabel: e.Kind, URL: e.URL, SHA256: e.SHA256, Text: e.Text}
	if k := "ui.evidence." + e.Kind; i18n.Has(k) {
		ev.KindLabel = l.T(k)
	}
	if !e.At.IsZero() {
		ev.At = u.stamp(e.At)
	}
	return ev
}

func ruleLabel(l i18n.Lang, rule string) string {
	if k := "rule." + rule; i18n.Has(k) {
		return l.T(k)
	}
	return rule
}

// day is a date for people: YYYY-MM-DD in the configured zone.
func (u *UI) day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(u.loc()).Format("2006-01-02")
}

// stamp is a moment for people: YYYY-MM-DD HH:MM in the configured zone.
func (u *UI) stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(u.loc()).Format("2006-01-02 15:04")
}

// Paths of the pages, escaped.
func targetPath(name string) string { return "/t/" + url.PathEscape(name) }

func versionPath(name string, id uint64) string {
	return targetPath(name) + "/v/" + strconv.FormatUint(id, 10)
}

func diffPath(name string, from, to uint64) string { return message.DiffLink("", name, from, to) }

func rawPath(name string, id uint64) string {
	return "/api/targets/" + url.PathEscape(name) + "/versions/" + strconv.FormatUint(id, 10) + "/raw"
}

// site is the host of a URL, for the list.
func site(raw string) string {
	if p, err := url.Parse(raw); err == nil && p.Host != "" {
		return p.Host
	}
	return raw
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func urlPathEscape(s string) string { return url.PathEscape(s) }
