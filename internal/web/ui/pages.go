package ui

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/diffview"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

// pageSize is how many targets the list shows at once.
const pageSize = 50

// ---- /

type targetsView struct {
	Total    int
	Counts   []statusCount
	Rules    []option
	Status   string // the filter in force
	Rule     string
	Query    string
	Rows     []targetRow
	From, To int // 1-based, of Matched
	Matched  int
	Prev     string // link to the previous page, "" on the first
	Next     string
}

type statusCount struct {
	Status, Label, Link string
	N                   int
	Active              bool
}

type option struct {
	Value, Label string
	Selected     bool
}

type targetRow struct {
	Name, Link, URL, Site string
	Status, StatusLabel   string
	Failures              string // "실패 3회" beside another status
	Announced, Effective  string
	LastChange            string
	Violations            []string
	rank                  int
}

func (u *UI) targets(w http.ResponseWriter, r *http.Request) {
	ts, err := u.o.Source.Targets(r.Context())
	if err != nil {
		u.failErr(w, r, err)
		return
	}
	l := u.lang()
	now := u.o.Now()
	q := r.URL.Query()
	v := targetsView{Total: len(ts), Status: q.Get("status"), Rule: q.Get("rule"), Query: strings.TrimSpace(q.Get("q"))}
	needle := strings.ToLower(v.Query)

	counts := map[string]int{}
	ruleCounts := map[string]int{}
	rows := make([]targetRow, 0, min(len(ts), 1024))
	for _, t := range ts {
		rs := u.openRules(r.Context(), t)
		st := targetStatus(t, rs, u.baselineAfterImport(r.Context(), t, now), now)
		counts[st]++
		for _, rule := range rs {
			ruleCounts[rule]++
		}
		if v.Status != "" && st != v.Status {
			continue
		}
		if v.Rule != "" && !slices.Contains(rs, v.Rule) {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(t.Name), needle) && !strings.Contains(strings.ToLower(t.URL), needle) {
			continue
		}
		row := targetRow{Name: t.Name, Link: targetPath(t.Name), URL: t.URL, Site: site(t.URL), Status: st, rank: statusRank(st)}
		fails := 0
		if t.State != nil {
			fails = t.State.ConsecutiveFailures
		}
		row.StatusLabel = statusLabel(l, st, fails)
		if fails > 0 && st != stFailing {
			row.Failures = l.T("status.failing", fails)
		}
		if c := t.Current; c != nil {
			row.Announced, row.Effective = c.Meta["announced"], c.Meta["effective"]
			if t.State.Versions > 1 {
				row.LastChange = u.day(c.FirstSeen)
			}
		}
		for _, rule := range rs {
			row.Violations = append(row.Violations, ruleLabel(l, rule))
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b targetRow) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})

	v.Counts = append(v.Counts, statusCount{Label: l.T("ui.filter.all"), N: len(ts), Link: withQuery("/", "rule", v.Rule, "q", v.Query), Active: v.Status == ""})
	for _, st := range statusOrder {
		if counts[st] == 0 && st != stViolation && st != stOK {
			continue
		}
		label := statusLabel(l, st, 0)
		if st == stFailing {
			label = l.T("status.failing", counts[st])
			label = strings.TrimSpace(strings.NewReplacer(strconv.Itoa(counts[st])+"회", "", strconv.Itoa(counts[st])+"×", "").Replace(label))
		}
		v.Counts = append(v.Counts, statusCount{Status: st, Label: label, N: counts[st], Link: withQuery("/", "status", st, "rule", v.Rule, "q", v.Query), Active: v.Status == st})
	}
	v.Rules = append(v.Rules, option{Value: "", Label: l.T("ui.filter.anyrule"), Selected: v.Rule == ""})
	for _, rule := range []string{"short_notice", "late_notice", "undated_change", "retroactive"} {
		v.Rules = append(v.Rules, option{Value: rule, Label: fmt.Sprintf("%s (%d)", ruleLabel(l, rule), ruleCounts[rule]), Selected: v.Rule == rule})
	}

	v.Matched = len(rows)
	pg := 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		pg = n
	}
	pages := max((len(rows)+pageSize-1)/pageSize, 1)
	pg = min(pg, pages)
	start := (pg - 1) * pageSize
	end := min(start+pageSize, len(rows))
	v.Rows = rows[start:end]
	v.From, v.To = start+1, end
	if len(rows) == 0 {
		v.From = 0
	}
	link := func(p int) string {
		return withQuery("/", "status", v.Status, "rule", v.Rule, "q", v.Query, "page", strconv.Itoa(p))
	}
	if pg > 1 {
		v.Prev = link(pg - 1)
	}
	if pg < pages {
		v.Next = link(pg + 1)
	}
	u.render(w, r, http.StatusOK, "targets", page{Title: l.T("ui.targets.heading"), Nav: "targets", Data: v})
}

// ---- /t/{name}

type timelineView struct {
	Name, URL, Status string
	StatusLabel       string
	LastError         string
	Promise           string
	NoVersions        bool
	Rows              []timelineRow
	Versions          []option // for the compare form
	From, To          uint64
	DiffAction        string
}

// timelineRow is a version, or a run of failed checks between versions.
type timelineRow struct {
	Version *versionRow
	Failed  string
}

type versionRow struct {
	ID                   uint64
	Kind, KindLabel      string
	FirstSeen, LastSeen  string
	Announced, Effective string
	Violations           []violationView
	Link, DiffLink       string
}

// targetData is what the target pages read.
type targetData struct {
	info     web.TargetInfo
	versions []snapshot.Version
	events   map[uint64]*policyEvent
}

// load reads a target, its versions and its policy events; it answers the
// request itself (404, 500) when it returns false.
func (u *UI) load(w http.ResponseWriter, r *http.Request, name string) (*targetData, bool) {
	ctx := r.Context()
	vs, err := u.o.Source.Versions(ctx, name)
	if err != nil {
		u.failErr(w, r, err)
		return nil, false
	}
	d := &targetData{versions: vs}
	ts, err := u.o.Source.Targets(ctx)
	if err != nil {
		u.failErr(w, r, err)
		return nil, false
	}
	if i := slices.IndexFunc(ts, func(t web.TargetInfo) bool { return t.Name == name }); i >= 0 {
		d.info = ts[i]
	} else {
		d.info = web.TargetInfo{Name: name}
	}
	evs, err := u.o.Source.Events(ctx, snapshot.EventFilter{Target: name})
	if err != nil {
		u.failErr(w, r, err)
		return nil, false
	}
	d.events = policyEvents(evs)
	return d, true
}

func (u *UI) timeline(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	d, ok := u.load(w, r, name)
	if !ok {
		return
	}
	fails, err := u.o.Source.Failures(r.Context(), name)
	if err != nil {
		u.failErr(w, r, err)
		return
	}
	l := u.lang()
	st := targetStatus(d.info, u.openRules(r.Context(), d.info), u.baselineAfterImport(r.Context(), d.info, u.o.Now()), u.o.Now())
	v := timelineView{Name: name, URL: d.info.URL, Status: st, DiffAction: targetPath(name) + "/diff"}
	nf := 0
	if d.info.State != nil {
		nf = d.info.State.ConsecutiveFailures
		if d.info.State.LastError != "" {
			v.LastError = l.T("ui.timeline.lasterror", failureText(l, d.info.State.LastMessage, d.info.State.LastError))
		}
	}
	v.StatusLabel = statusLabel(l, st, nf)
	v.NoVersions = len(d.versions) == 0
	if n := len(d.versions); n > 0 {
		v.Promise = u.promise(r.Context(), name, d.versions[n-1].ID)
		v.To = d.versions[n-1].ID
		v.From = d.versions[max(n-2, 0)].ID
	}
	// Newest first; failures that came after version i (and before i+1)
	// stand just above it.
	fi := len(fails) - 1
	for i := len(d.versions) - 1; i >= 0; i-- {
		ver := d.versions[i]
		var run []snapshot.Failure
		for fi >= 0 && !fails[fi].At.Before(ver.FirstSeen) {
			run = append(run, fails[fi])
			fi--
		}
		if len(run) > 0 {
			v.Rows = append(v.Rows, timelineRow{Failed: u.failedRun(l, run)})
		}
		row := &versionRow{
			ID: ver.ID, FirstSeen: u.stamp(ver.FirstSeen), LastSeen: u.stamp(ver.LastSeen),
			Announced: ver.Meta["announced"], Effective: ver.Meta["effective"],
			Violations: u.violations(ver, d.events[ver.ID]),
			Link:       versionPath(name, ver.ID),
		}
		row.Kind = versionKind(ver, i == 0, d.events)
		row.KindLabel = l.T("kind." + row.Kind)
		if ver.ReturnOf != 0 {
			row.KindLabel += " (" + l.T("ui.timeline.returnof", ver.ReturnOf) + ")"
		}
		if i > 0 {
			row.DiffLink = diffPath(name, d.versions[i-1].ID, ver.ID)
		}
		v.Rows = append(v.Rows, timelineRow{Version: row})
	}
	if fi >= 0 { // failures before the first version (or with no version at all)
		run := make([]snapshot.Failure, 0, fi+1)
		for ; fi >= 0; fi-- {
			run = append(run, fails[fi])
		}
		v.Rows = append(v.Rows, timelineRow{Failed: u.failedRun(l, run)})
	}
	for i := len(d.versions) - 1; i >= 0; i-- {
		v.Versions = append(v.Versions, option{Value: strconv.FormatUint(d.versions[i].ID, 10), Label: fmt.Sprintf("v%d · %s", d.versions[i].ID, u.day(d.versions[i].FirstSeen))})
	}
	u.render(w, r, http.StatusOK, "timeline", page{Title: name, Nav: "targets", Data: v})
}

// failedRun describes failures, newest first: how many, from when to when,
// and the last error.
func (u *UI) failedRun(l i18n.Lang, run []snapshot.Failure) string {
	return l.T("ui.timeline.failures", len(run), u.stamp(run[len(run)-1].At), u.stamp(run[0].At), failureText(l, run[0].Message, run[0].Error))
}

// promise quotes the notice period the version's text promises.
func (u *UI) promise(ctx context.Context, name string, id uint64) string {
	l := u.lang()
	text, err := u.o.Source.Text(ctx, name, id)
	if err != nil {
		u.log.Warn("ui: read text for the promise", slog.String("target", name), slog.Any("error", err))
		return ""
	}
	p := policy.Parse(text).Promise
	if p == nil {
		return l.T("ui.timeline.nopromise")
	}
	days := l.T("days", p.Days)
	if p.ImportantDays > 0 {
		days += ", " + l.T("ui.timeline.promise.important", l.T("days", p.ImportantDays))
	}
	return l.T("ui.timeline.promise", days) + " — “" + p.Text + "”"
}

// ---- /t/{name}/diff

type diffView struct {
	Name, Link      string
	From, To        uint64
	Same            bool
	Verdict         string // "판정 (v3)"
	Violations      []violationView
	NoViolation     bool
	Announcement    *message.Announcement
	View            *diffview.View
	Versions        []option // the pick form
	FromOpts        []option
	Action          string
	FromSeen, ToSee string
}

func (u *UI) diff(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	d, ok := u.load(w, r, name)
	if !ok {
		return
	}
	l := u.lang()
	vs := d.versions
	if len(vs) == 0 {
		u.fail(w, r, http.StatusNotFound, l.T("ui.timeline.empty"))
		return
	}
	q := r.URL.Query()
	toIdx := len(vs) - 1
	if raw := q.Get("to"); raw != "" {
		if toIdx = findVersion(vs, raw); toIdx < 0 {
			u.fail(w, r, http.StatusNotFound, l.T("ui.error.notfound", "to="+raw))
			return
		}
	}
	fromIdx := max(toIdx-1, 0)
	if raw := q.Get("from"); raw != "" {
		if fromIdx = findVersion(vs, raw); fromIdx < 0 {
			u.fail(w, r, http.StatusNotFound, l.T("ui.error.notfound", "from="+raw))
			return
		}
	}
	from, to := vs[fromIdx], vs[toIdx]
	ctx := r.Context()
	oldText, err := u.o.Source.Text(ctx, name, from.ID)
	if err != nil {
		u.failErr(w, r, err)
		return
	}
	newText := oldText
	if to.ID != from.ID {
		if newText, err = u.o.Source.Text(ctx, name, to.ID); err != nil {
			u.failErr(w, r, err)
			return
		}
	}
	od, nd := policy.Parse(oldText), policy.Parse(newText)
	c := diff.Compare(od, nd, diff.Options{})
	v := diffView{
		Name: name, Link: targetPath(name), From: from.ID, To: to.ID, Same: from.ID == to.ID,
		Verdict: l.T("ui.diff.verdict", to.ID), Action: targetPath(name) + "/diff",
		View: diffview.Build(od, nd, c, l, diffview.Columns{
			Old: l.T("ui.diff.old", from.ID, u.day(from.FirstSeen)),
			New: l.T("ui.diff.new", to.ID, u.day(to.FirstSeen)),
		}),
	}
	pe := d.events[to.ID]
	v.Violations = u.violations(to, pe)
	v.NoViolation = len(v.Violations) == 0
	if pe != nil {
		v.Announcement = pe.Event.Announcement
	}
	for i := len(vs) - 1; i >= 0; i-- {
		id := strconv.FormatUint(vs[i].ID, 10)
		label := fmt.Sprintf("v%d · %s", vs[i].ID, u.day(vs[i].FirstSeen))
		v.FromOpts = append(v.FromOpts, option{Value: id, Label: label, Selected: vs[i].ID == from.ID})
		v.Versions = append(v.Versions, option{Value: id, Label: label, Selected: vs[i].ID == to.ID})
	}
	u.render(w, r, http.StatusOK, "diff", page{Title: name + " · " + l.T("ui.diff.heading"), Nav: "targets", Data: v})
}

func findVersion(vs []snapshot.Version, raw string) int {
	id, err := strconv.ParseUint(strings.TrimPrefix(raw, "v"), 10, 64)
	if err != nil {
		return -1
	}
	return slices.IndexFunc(vs, func(v snapshot.Version) bool { return v.ID == id })
}

// ---- /t/{name}/v/{id}

type versionView struct {
	Name, Link           string
	ID                   uint64
	Kind                 string
	FirstSeen, LastSeen  string
	Announced, Effective string
	Violations           []violationView
	RawLink              string
	Facts                []fact
	Sections             []sectionView
	DiffLink             string
}

type fact struct{ Label, Value string }

type sectionView struct {
	Heading, Category string
	Level             int
	Lines             []lineView
}

type lineView struct {
	Text string
	Date bool // a line the page's 공고일자/시행일자/개정일 was read from
}

func (u *UI) version(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	l := u.lang()
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil || id == 0 {
		u.fail(w, r, http.StatusBadRequest, l.T("ui.error.badrequest", r.PathValue("id")))
		return
	}
	d, ok := u.load(w, r, name)
	if !ok {
		return
	}
	i := slices.IndexFunc(d.versions, func(v snapshot.Version) bool { return v.ID == id })
	if i < 0 {
		u.fail(w, r, http.StatusNotFound, l.T("ui.error.notfound", fmt.Sprintf("%s v%d", name, id)))
		return
	}
	ver := d.versions[i]
	text, err := u.o.Source.Text(r.Context(), name, id)
	if err != nil {
		u.failErr(w, r, err)
		return
	}
	doc := policy.Parse(text)
	v := versionView{
		Name: name, Link: targetPath(name), ID: id,
		Kind:      l.T("kind." + versionKind(ver, i == 0, d.events)),
		FirstSeen: u.stamp(ver.FirstSeen), LastSeen: u.stamp(ver.LastSeen),
		Announced: ver.Meta["announced"], Effective: ver.Meta["effective"],
		Violations: u.violations(ver, d.events[id]),
	}
	if i > 0 {
		v.DiffLink = diffPath(name, d.versions[i-1].ID, id)
	}
	if ver.RawHash != "" {
		v.RawLink = rawPath(name, id)
	}
	add := func(label, value string) {
		if value != "" {
			v.Facts = append(v.Facts, fact{label, value})
		}
	}
	add(l.T("ui.version.texthash"), ver.TextHash)
	add(l.T("ui.version.rawhash"), ver.RawHash)
	add("URL", ver.URL)
	if ver.Status != 0 {
		add("HTTP", strconv.Itoa(ver.Status))
	}
	add("Content-Type", strings.TrimSuffix(ver.MediaType+"; charset="+ver.Charset, "; charset="))
	add("ETag", ver.ETag)
	add("Last-Modified", ver.LastModified)
	keys := make([]string, 0, len(ver.Meta))
	for k := range ver.Meta {
		if k != "announced" && k != "effective" && k != "violations" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		add(k, ver.Meta[k])
	}

	dateLines := map[string]bool{}
	for _, ref := range []*policy.DateRef{doc.Announced, doc.Effective, doc.Revised} {
		if ref != nil {
			dateLines[strings.TrimSpace(ref.Text)] = true
		}
	}
	for _, s := range doc.Sections {
		sv := sectionView{Heading: strings.TrimLeft(s.Heading, "# "), Level: min(max(s.Level, 1), 4), Category: diffview.CategoryLabel(l, s.Category)}
		if dateLines[strings.TrimSpace(sv.Heading)] {
			sv.Lines = append(sv.Lines, lineView{Text: sv.Heading, Date: true})
			sv.Heading = ""
		}
		for _, line := range s.Body {
			sv.Lines = append(sv.Lines, lineView{Text: diff.Unmark(line), Date: dateLines[strings.TrimSpace(line)]})
		}
		v.Sections = append(v.Sections, sv)
	}
	u.render(w, r, http.StatusOK, "version", page{Title: l.T("ui.version.heading", name, id), Nav: "targets", Data: v})
}

// ---- /events

type eventsView struct {
	Rows          []eventRow
	Target, Type  string
	State         string
	Types, States []option
	CanRetry      bool
}

type eventRow struct {
	ID, Time, Type, TypeLabel string
	Target, TargetLink        string
	Summary, DiffLink         string
	Deliveries                []deliveryView
	Retry                     string // form action, "" when nothing to re-queue or no token
}

type deliveryView struct {
	Webhook, State, StateLabel, Attempts, LastError string
}

func (u *UI) events(w http.ResponseWriter, r *http.Request) {
	l := u.lang()
	q := r.URL.Query()
	f := snapshot.EventFilter{Target: q.Get("target"), Type: q.Get("type"), State: q.Get("state"), Limit: 200}
	if f.Type != "" && !slices.Contains(config.Events(), f.Type) {
		u.fail(w, r, http.StatusBadRequest, l.T("ui.error.badrequest", "type="+f.Type))
		return
	}
	states := []string{snapshot.StatePending, snapshot.StateDelivered, snapshot.StateExpired, snapshot.StateFailed}
	if f.State != "" && !slices.Contains(states, f.State) {
		u.fail(w, r, http.StatusBadRequest, l.T("ui.error.badrequest", "state="+f.State))
		return
	}
	evs, err := u.o.Source.Events(r.Context(), f)
	if err != nil {
		u.failErr(w, r, err)
		return
	}
	v := eventsView{Target: f.Target, Type: f.Type, State: f.State, CanRetry: u.o.Token != ""}
	v.Types = append(v.Types, option{Label: l.T("ui.filter.all"), Selected: f.Type == ""})
	for _, t := range config.Events() {
		v.Types = append(v.Types, option{Value: t, Label: eventLabel(l, t), Selected: f.Type == t})
	}
	v.States = append(v.States, option{Label: l.T("ui.filter.all"), Selected: f.State == ""})
	for _, s := range states {
		v.States = append(v.States, option{Value: s, Label: deliveryLabel(l, s), Selected: f.State == s})
	}
	for _, e := range evs {
		row := eventRow{ID: e.ID, Time: u.stamp(e.CreatedAt), Type: e.Type, TypeLabel: eventLabel(l, e.Type), Target: e.Target, TargetLink: targetPath(e.Target)}
		var me message.Event
		if len(e.Payload) > 0 && jsonUnmarshal(e.Payload, &me) == nil {
			row.Summary = me.Summary
		}
		if e.Version > 1 && (e.Type == message.TypeChanged) {
			row.DiffLink = withQuery(targetPath(e.Target)+"/diff", "to", strconv.FormatUint(e.Version, 10))
		}
		retryable := false
		for _, dl := range e.Deliveries {
			dv := deliveryView{Webhook: dl.Webhook, State: dl.State, StateLabel: deliveryLabel(l, dl.State), LastError: dl.LastError}
			if dl.Attempts > 0 {
				dv.Attempts = l.T("ui.events.attempts", dl.Attempts)
			}
			if dl.State == snapshot.StateExpired || dl.State == snapshot.StateFailed {
				retryable = true
			}
			row.Deliveries = append(row.Deliveries, dv)
		}
		if retryable && v.CanRetry {
			row.Retry = "/events/" + urlPathEscape(e.ID) + "/retry"
		}
		v.Rows = append(v.Rows, row)
	}
	p := page{Title: l.T("ui.events.heading"), Nav: "events", Data: v}
	if id := q.Get("requeued"); id != "" {
		p.Message = l.T("ui.events.requeued", id)
	}
	u.render(w, r, http.StatusOK, "events", p)
}

func (u *UI) retry(w http.ResponseWriter, r *http.Request) {
	l := u.lang()
	if u.o.Token == "" {
		// Without a token anyone on this machine could re-queue; the CLI
		// (monitord alerts retry) stays the way to do it.
		u.fail(w, r, http.StatusForbidden, l.T("ui.error.badrequest", "retry needs [server] token"))
		return
	}
	id := r.PathValue("id")
	if err := u.o.Source.Requeue(r.Context(), id); err != nil {
		u.failErr(w, r, err)
		return
	}
	u.log.Info("alert re-queued from the web UI", slog.String("event", id), slog.String("remote", r.RemoteAddr))
	if u.o.OnRetry != nil {
		u.o.OnRetry(id)
	}
	http.Redirect(w, r, withQuery("/events", "requeued", id), http.StatusSeeOther)
}

func eventLabel(l i18n.Lang, typ string) string {
	if k := "event." + typ; i18n.Has(k) {
		return l.T(k)
	}
	return typ
}

func deliveryLabel(l i18n.Lang, state string) string {
	for _, k := range []string{"delivery." + state, "ui.delivery." + state} {
		if i18n.Has(k) {
			return l.T(k)
		}
	}
	return state
}

// failureText is a stored failure in the reader's language: its catalogue
// message when it has one, else its (English) error text.
func failureText(l i18n.Lang, msg []i18n.Msg, text string) string {
	if len(msg) > 0 {
		return l.Render(msg)
	}
	return text
}
