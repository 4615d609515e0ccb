package evidence

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/diffview"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
)

//go:embed templates/report.html templates/report.css
var files embed.FS

// reportTemplate is report.html with the diffview templates it calls.
var reportTemplate = func() *template.Template {
	t := template.Must(template.New("report").ParseFS(files, "templates/report.html"))
	return template.Must(diffview.AddTo(t))
}()

type reportInput struct {
	req      Request
	versions []*versionData
	change   *diff.Change
	verdict  Verdict
	links    []ManifestLink
	records  []snapshot.ChainRecord
	hashes   []string
}

// reportWords are the fixed words of the report.
type reportWords struct {
	Target, URL, Compared, Generated, Verdict, Evidence, Kind, At, What, NoViolation,
	DateLines, Version, Field, Date, Line, NoDateLine, Board, Posted, EffectiveOn, NoBoard,
	Diff, Observations, FirstSeen, LastSeen, Response, Page, NoPage, Text, Record,
	Chain, ChainAbout, Prev, HowToCheck, HowToCheckText string
}

type reportView struct {
	Lang, Title, Target, URL, Compared, Generated, Generator string
	CSS                                                      template.CSS
	W                                                        reportWords
	Violations                                               []violationView
	Summary                                                  string
	DateLines                                                []dateLine
	Announcement                                             *message.Announcement
	BoardEvidence                                            []evidenceView
	View                                                     *diffview.View
	Versions                                                 []versionView
	Chain                                                    []chainView
	Trust                                                    string
}

type violationView struct {
	Rule, RuleLabel, BasisLabel, Required, Detail string
	Evidence                                      []evidenceView
}

type evidenceView struct{ Kind, KindLabel, At, URL, SHA256, Text string }

type dateLine struct {
	Version           uint64
	Label, Date, Text string
	Line              int
}

type versionView struct {
	ID                                      uint64
	FirstSeen, LastSeen, MediaType, Charset string
	Status                                  int
	Page, RawSHA256, TextPath, TextSHA256   string
	Record                                  uint64
	RecordSHA256                            string
}

type chainView struct {
	Record       uint64
	Kind, At     string
	SHA256, Prev string
}

func renderReport(in reportInput) ([]byte, error) {
	l, loc := in.req.Lang, in.req.Location
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.In(loc).Format("2006-01-02 15:04:05 MST") + " (" + t.In(loc).Format(time.RFC3339) + ")"
	}
	from, to := in.versions[0], in.versions[len(in.versions)-1]
	css := string(diffview.CSS())
	own, err := files.ReadFile("templates/report.css")
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	v := reportView{
		Lang: string(l), Target: in.req.Target, URL: to.V.URL, Generator: in.req.Generator,
		Title:     l.T("evidence.report.title", in.req.Target, from.V.ID, to.V.ID),
		Compared:  l.T("evidence.report.compared", from.V.ID, from.V.FirstSeen.In(loc).Format("2006-01-02"), to.V.ID, to.V.FirstSeen.In(loc).Format("2006-01-02")),
		Generated: stamp(in.req.Now),
		CSS:       template.CSS(css + "\n" + string(own)),
		W:         words(l),
		Summary:   in.verdict.Summary,
		View: diffview.Build(from.Doc, to.Doc, in.change, l, diffview.Columns{
			Old: l.T("ui.diff.old", from.V.ID, from.V.FirstSeen.In(loc).Format("2006-01-02")),
			New: l.T("ui.diff.new", to.V.ID, to.V.FirstSeen.In(loc).Format("2006-01-02")),
		}),
		Announcement: in.verdict.Announcement,
	}
	ev := func(e message.Evidence) evidenceView {
		out := evidenceView{Kind: e.Kind, KindLabel: e.Kind, URL: e.URL, SHA256: e.SHA256, Text: e.Text}
		if k := "ui.evidence." + e.Kind; i18n.Has(k) {
			out.KindLabel = l.T(k)
		}
		if !e.At.IsZero() {
			out.At = stamp(e.At)
		}
		return out
	}
	for _, x := range in.verdict.Violations {
		vv := violationView{Rule: x.Rule, RuleLabel: label(l, "rule."+x.Rule, x.Rule), Detail: x.Detail}
		if x.Basis != "" {
			vv.BasisLabel = label(l, "basis."+x.Basis, x.Basis)
		}
		switch {
		case x.ActualDays != nil:
			vv.Required = l.T("ui.diff.required", l.T("days", x.RequiredDays), l.T("days", *x.ActualDays))
		case x.RequiredDays > 0:
			vv.Required = l.T("ui.diff.requiredonly", l.T("days", x.RequiredDays))
		}
		for _, e := range x.Evidence {
			vv.Evidence = append(vv.Evidence, ev(e))
			if e.Kind == "board_post" || e.Kind == "board_checked" {
				v.BoardEvidence = append(v.BoardEvidence, ev(e))
			}
		}
		v.Violations = append(v.Violations, vv)
	}
	if len(in.verdict.Violations) == 0 {
		for _, r := range in.verdict.Rules {
			v.Violations = append(v.Violations, violationView{Rule: r, RuleLabel: label(l, "rule."+r, r)})
		}
	}
	for _, d := range []*versionData{from, to} {
		for _, f := range []struct {
			key string
			ref *policy.DateRef
		}{{"date.announced", d.Doc.Announced}, {"date.effective", d.Doc.Effective}, {"evidence.report.revised", d.Doc.Revised}} {
			dl := dateLine{Version: d.V.ID, Label: l.T(f.key), Date: l.T("date.none")}
			if f.ref != nil {
				dl.Date, dl.Line, dl.Text = f.ref.Date.String(), f.ref.Line, f.ref.Text
			} else if f.key == "evidence.report.revised" {
				continue
			}
			v.DateLines = append(v.DateLines, dl)
		}
		if from == to {
			break
		}
	}
	for _, d := range in.versions {
		vv := versionView{ID: d.V.ID, FirstSeen: stamp(d.V.FirstSeen), LastSeen: stamp(d.V.LastSeen),
			Status: d.V.Status, MediaType: d.V.MediaType, Charset: d.V.Charset, Page: d.Page, RawSHA256: d.V.RawHash,
			TextPath: d.Dir + "/text.txt", TextSHA256: d.V.TextHash, Record: d.V.Chain, RecordSHA256: d.Hash}
		v.Versions = append(v.Versions, vv)
	}
	byRecord := map[uint64]snapshot.ChainRecord{}
	for _, r := range in.records {
		byRecord[r.Seq] = r
	}
	for _, k := range in.links {
		r := byRecord[k.Record]
		prev := k.Prev
		if prev == "" {
			prev = "-"
		}
		v.Chain = append(v.Chain, chainView{Record: k.Record, Kind: label(l, "evidence.kind."+r.Kind, r.Kind), At: stamp(r.At), SHA256: k.SHA256, Prev: prev})
	}
	if i := slices.IndexFunc(in.records, func(r snapshot.ChainRecord) bool { return r.Migrated }); i >= 0 {
		last := uint64(0)
		for _, r := range in.records {
			if r.Migrated {
				last = r.Seq
			}
		}
		v.Trust = l.T("evidence.report.trust", last, last+1)
	}
	var buf bytes.Buffer
	if err := reportTemplate.ExecuteTemplate(&buf, "report", v); err != nil {
		return nil, fmt.Errorf("evidence: render report.html: %w", err)
	}
	return buf.Bytes(), nil
}

func label(l i18n.Lang, key, fallback string) string {
	if i18n.Has(key) {
		return l.T(key)
	}
	return fallback
}

func words(l i18n.Lang) reportWords {
	w := func(k string) string { return l.T("evidence.report." + k) }
	return reportWords{
		Target: w("target"), URL: w("url"), Compared: w("compared_label"), Generated: w("generated"),
		Verdict: w("verdict"), Evidence: w("evidence"), Kind: w("kind"), At: w("at"), What: w("what"),
		NoViolation: w("noviolation"), DateLines: w("datelines"), Version: w("version"), Field: w("field"),
		Date: w("date"), Line: w("line"), NoDateLine: w("nodateline"), Board: w("board"), Posted: w("posted"),
		EffectiveOn: w("effective_on"), NoBoard: w("noboard"), Diff: w("diff"), Observations: w("observations"),
		FirstSeen: w("first_seen"), LastSeen: w("last_seen"), Response: w("response"), Page: w("page"),
		NoPage: w("nopage"), Text: w("text"), Record: w("record"), Chain: w("chain"), ChainAbout: w("chain_about"),
		Prev: w("prev"), HowToCheck: w("howto"), HowToCheckText: strings.TrimSpace(w("howto_text")),
	}
}
