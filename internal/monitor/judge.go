package monitor

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/notify"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
)

// maxEventSections bounds the sections an event carries, and maxSectionDiff
// the diff text of each (in runes), so one rewritten policy cannot make an event of
// megabytes. The full diff stays available from the store.
const (
	maxEventSections = 30
	maxSectionDiff   = 2000
)

// judgement holds what a check learnt before it stores its observation:
// the new document, the previous one and their diff. Its events method is
// handed to the store, which calls it inside the write transaction with the
// outcome, so the version and the alert it raises are stored together (the
// outbox). events must be pure: the store may call it more than once.
type judgement struct {
	cfg     *config.Config
	target  *config.Target
	at      time.Time
	doc     *policy.Document // nil when the text did not change
	prev    *snapshot.Version
	prevDoc *policy.Document // nil on a baseline
	change  *diff.Change     // nil on a baseline
	rawHash string           // hex SHA-256 of the new page as fetched
	board   *notice.Board    // what the notice board showed; nil when none is known
	match   *notice.Match    // the board post that announced the change, set by judge

	violations []notice.Violation // set by judge
	kind       Status             // set by events; read by result
	nEvents    int                // set by events; read by result
}

// judge applies the notice rules to a new text about to be stored at j.at
// over the current version j.prev (nil on a baseline). skip is true for a
// re-extraction after the rules changed, and for a return to a text already
// held (judged when it was first seen): neither is judged.
func (j *judgement) judge(skip bool) {
	if skip || (j.change != nil && j.change.Empty()) {
		return
	}
	in := notice.Input{
		Baseline:    j.prev == nil,
		Old:         j.prevDoc,
		New:         j.doc,
		TargetDays:  j.target.NoticeDays,
		DefaultDays: j.cfg.Notice.Days,
		Location:    j.cfg.Notice.Location,
		Lang:        j.cfg.Language,
		FirstSeen:   j.at,
		NewPage:     notice.Page{URL: j.target.URL, SHA256: j.rawHash},
		Board:       j.board,
	}
	if j.prev != nil {
		in.OldPage = notice.Page{URL: j.prev.URL, SHA256: j.prev.RawHash}
		in.PrevLastSeen = j.prev.LastSeen
		in.Substantive = j.change.Substantive()
		in.DatesChanged = noticeDatesChanged(j.change)
		in.Changed = j.change.Categories()
	}
	j.violations = notice.Evaluate(in)
	j.match = notice.Announcement(in)
}

// noticeDatesChanged reports whether the 공고일자 or the 시행일자 changed;
// a new 개정일/최종 수정일 alone does not announce a change.
func noticeDatesChanged(c *diff.Change) bool {
	for _, d := range c.Dates {
		if d.Field == diff.FieldAnnounced || d.Field == diff.FieldEffective {
			return true
		}
	}
	return false
}

func (j *judgement) events(out snapshot.Outcome) ([]snapshot.Event, error) {
	evs, err := j.eventsFor(out)
	j.nEvents = len(evs)
	return evs, err
}

func (j *judgement) eventsFor(out snapshot.Outcome) ([]snapshot.Event, error) {
	j.kind = StatusUnchanged
	var evs []snapshot.Event
	if out.Recovered {
		ev, err := recoveredEvent(j.cfg, j.target, out, j.at)
		if err != nil {
			return nil, err
		}
		evs = append(evs, ev)
	}
	switch {
	case !out.Kind.Stored():
		return evs, nil
	case out.Kind == snapshot.Technical:
		// The operator changed the extraction rules: a re-extraction, not
		// the site's change. Nothing to judge, nothing to send.
		j.kind = StatusTechnical
		return evs, nil
	case out.Previous == nil:
		j.kind = StatusBaseline
	case j.change != nil && j.change.Empty():
		// A new text that differs only cosmetically (spacing, width,
		// numbering): stored, since it is what the site serves, but no alert.
		j.kind = StatusCosmetic
		return evs, nil
	default:
		j.kind = StatusChanged
	}
	if out.Kind == snapshot.Returned && out.Previous != nil {
		// The page went back to a text we already hold. Its dates were
		// judged when it was first seen, so it is not judged again. A page
		// flapping between known texts (A→B→A→B…) raises the alert of its
		// first change, then this one note at the first return, then nothing
		// per flip: the versions are still recorded.
		if out.Previous.ReturnOf != 0 {
			return evs, nil
		}
		ev, err := j.policyEvent(notify.TypeChanged, out, out.Version.ReturnOf)
		if err != nil {
			return nil, err
		}
		return append(evs, ev), nil
	}
	typ := notify.TypeChanged
	if out.Previous == nil {
		typ = notify.TypeBaseline
	}
	ev, err := j.policyEvent(typ, out, 0)
	if err != nil {
		return nil, err
	}
	return append(evs, ev), nil
}

func (j *judgement) result(out snapshot.Outcome) Result {
	r := Result{Status: j.kind, Version: out.Version.ID, Events: j.nEvents}
	if j.kind == StatusBaseline || j.kind == StatusChanged {
		r.Violations = j.violations
	}
	return r
}

// policyEvent builds a policy.* event. returnOf is the earlier version the
// new text repeats (0 when it is new text); such an event carries no
// violations and says so in its summary.
func (j *judgement) policyEvent(typ string, out snapshot.Outcome, returnOf uint64) (snapshot.Event, error) {
	violations := j.violations
	if returnOf != 0 {
		violations = nil
	}
	e := notify.Event{
		ID:         eventID(j.target.Name, typ, out.Version.ID, out.Version.TextHash),
		Type:       typ,
		Target:     notify.Target{Name: j.target.Name, URL: j.target.URL},
		DetectedAt: j.at.In(j.cfg.Notice.Location).Truncate(time.Second),
		Version: &notify.Version{
			ID:        versionID(out.Version.ID),
			Announced: docDate(j.doc, func(d *policy.Document) *policy.DateRef { return d.Announced }),
			Effective: docDate(j.doc, func(d *policy.Document) *policy.DateRef { return d.Effective }),
			FirstSeen: out.Version.FirstSeen.In(j.cfg.Notice.Location).Truncate(time.Second),
		},
		Violations: toWireViolations(violations, j.cfg.Notice.Location),
		Sections:   []notify.Section{},
	}
	if returnOf != 0 {
		e.ReturnOf = versionID(returnOf)
	}
	if m := j.match; m != nil && returnOf == 0 {
		e.Announcement = wireAnnouncement(m.Post.URL, m.Post.Title, m.Post.Posted.String(), dayString(m.Post.Effective), m.Note)
	}
	if out.Previous != nil {
		if base := j.cfg.Server.BaseURL; base != "" {
			e.DiffURL = message.DiffLink(base, j.target.Name, out.Previous.ID, out.Version.ID)
		}
		e.Previous = &notify.Previous{
			ID:        versionID(out.Previous.ID),
			Announced: metaDate(out.Previous.Meta, metaAnnounced),
			Effective: metaDate(out.Previous.Meta, metaEffective),
			LastSeen:  out.Previous.LastSeen.In(j.cfg.Notice.Location).Truncate(time.Second),
		}
	}
	if j.change != nil {
		e.Sections = wireSections(j.change, j.cfg.Language)
		for _, d := range j.change.Dates {
			e.DateChanges = append(e.DateChanges, message.DateChange{Field: d.Field, Old: dateString(d.Old), New: dateString(d.New)})
		}
	}
	e.Summary = notify.Summary(e, j.cfg.Language)
	return toStored(j.cfg, e, out.Version.ID, bases(violations))
}

// bases lists the basis of each violation.
func bases(vs []notice.Violation) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.Basis)
	}
	return out
}

// toStored serialises e into an outbox event addressed to every webhook
// whose filters accept it (none is fine: the event is still kept and listed).
// violations holds the basis of each violation the event carries.
func toStored(cfg *config.Config, e notify.Event, version uint64, violations []string) (snapshot.Event, error) {
	payload, err := json.Marshal(e)
	if err != nil {
		return snapshot.Event{}, fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	return snapshot.Event{
		ID: e.ID, Type: e.Type, Target: e.Target.Name, Version: version,
		CreatedAt: e.DetectedAt.UTC(), Payload: payload,
		Webhooks: recipients(cfg, e.Type, e.Target.Name, violations),
	}, nil
}

// recipients are the webhooks an event goes to. With [notice] send =
// "violations", baselines and changes without violations are kept but sent
// to nobody.
//
// A webhook's min_basis decides which violations count for its
// only_violations filter: with min_basis = "observed", a change whose only
// violations rest on the policy page alone (unconfirmed) is not sent to it.
func recipients(cfg *config.Config, typ, target string, violations []string) []string {
	isPolicy := typ == notify.TypeBaseline || typ == notify.TypeChanged
	if isPolicy && cfg.Notice.Send == config.SendViolations && len(violations) == 0 {
		return nil
	}
	var names []string
	for i := range cfg.Webhooks {
		w := &cfg.Webhooks[i]
		counted := false
		for _, b := range violations {
			counted = counted || w.Counts(b)
		}
		if w.Accepts(typ, target, counted) {
			names = append(names, w.Name)
		}
	}
	return names
}

func failingEvent(cfg *config.Config, t *config.Target, st snapshot.TargetState, at time.Time, cause error) (snapshot.Event, error) {
	e := notify.Event{
		ID:         eventID(t.Name, notify.TypeFailing, st.Current, strconv.FormatInt(at.Unix(), 10)),
		Type:       notify.TypeFailing,
		Target:     notify.Target{Name: t.Name, URL: t.URL},
		DetectedAt: at.In(cfg.Notice.Location).Truncate(time.Second),
		Violations: []notify.Violation{},
		Sections:   []notify.Section{},
		Failures:   st.ConsecutiveFailures,
		Error:      i18n.Parse(cfg.Language).Err(cause),
		ErrorCode:  i18n.Code(cause),
	}
	e.Summary = notify.Summary(e, cfg.Language)
	return toStored(cfg, e, st.Current, nil)
}

func recoveredEvent(cfg *config.Config, t *config.Target, out snapshot.Outcome, at time.Time) (snapshot.Event, error) {
	e := notify.Event{
		ID:         eventID(t.Name, notify.TypeRecovered, out.Version.ID, strconv.FormatInt(at.Unix(), 10)),
		Type:       notify.TypeRecovered,
		Target:     notify.Target{Name: t.Name, URL: t.URL},
		DetectedAt: at.In(cfg.Notice.Location).Truncate(time.Second),
		Violations: []notify.Violation{},
		Sections:   []notify.Section{},
		Failures:   out.FailuresBefore,
	}
	e.Summary = notify.Summary(e, cfg.Language)
	return toStored(cfg, e, out.Version.ID, nil)
}

// eventID derives the event id from what the event is about, so the id is
// the same however often the store's transaction is retried, and the same
// on every delivery attempt.
func eventID(target, typ string, version uint64, salt string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s", target, typ, version, salt)
	return "evt_" + hex.EncodeToString(h.Sum(nil)[:12])
}

func versionID(id uint64) string { return strconv.FormatUint(id, 10) }

func docDate(d *policy.Document, pick func(*policy.Document) *policy.DateRef) *string {
	if d == nil {
		return nil
	}
	r := pick(d)
	if r == nil {
		return nil
	}
	s := r.Date.String()
	return &s
}

// dayString is d as YYYY-MM-DD, "" for the zero date.
func dayString(d policy.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func dateString(d *policy.Date) *string {
	if d == nil || d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func metaDate(m map[string]string, key string) *string {
	if v, ok := m[key]; ok && v != "" {
		return &v
	}
	return nil
}

// toWireViolations converts verdicts for the wire, with evidence times in
// loc (RFC 3339, whole seconds).
func toWireViolations(vs []notice.Violation, loc *time.Location) []notify.Violation {
	out := make([]notify.Violation, 0, len(vs))
	for _, v := range vs {
		w := notify.Violation(v)
		w.Evidence = make([]message.Evidence, 0, len(v.Evidence))
		for _, e := range v.Evidence {
			if !e.At.IsZero() {
				e.At = e.At.In(loc).Truncate(time.Second)
			}
			w.Evidence = append(w.Evidence, e)
		}
		out = append(out, w)
	}
	return out
}

func violationRules(vs []notice.Violation) string {
	names := make([]string, 0, len(vs))
	for _, v := range vs {
		names = append(names, v.Rule)
	}
	return strings.Join(names, ",")
}

// wireSections renders the changed sections of c for an event.
func wireSections(c *diff.Change, lang string) []notify.Section {
	out := []notify.Section{}
	for i, s := range c.Sections {
		if i == maxEventSections {
			break
		}
		title := s.NewTitle
		if title == "" {
			title = s.OldTitle
		}
		old := ""
		if s.Renamed() {
			old = s.OldTitle
		}
		out = append(out, notify.Section{
			Title:    title,
			OldTitle: old,
			Change:   s.Kind,
			Category: string(s.Category),
			Diff:     message.Truncate(diff.FormatSection(s, diff.RenderOptions{Lang: lang}), maxSectionDiff),
		})
	}
	return out
}
