package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/table"
	"github.com/monitord/monitord/internal/web"
)

// readFlags are the flags every reading command shares.
type readFlags struct {
	config string
	format string
}

func (a *app) readFlags(c *cobra.Command, f *readFlags) {
	a.configFlag(c.Flags(), &f.config, defaultConfigPath)
	a.formatFlag(c.Flags(), &f.format)
}

// reader is what every reading command shares: the configuration, and a
// web.Source: the store opened read-only, or the running daemon's API when
// the daemon holds the store.
type reader struct {
	cfg    *config.Config
	l      i18n.Lang
	src    web.Source
	close  func() error
	format string
}

func openReader(e *env, f readFlags) (*reader, error) {
	if err := checkFormat(e.lang, f.format); err != nil {
		return nil, err
	}
	cfg, err := loadReadingConfig(e, f.config)
	if err != nil {
		return nil, err
	}
	src, _, closeFn, err := web.OpenSource(cfg, web.OpenOptions{})
	if err != nil {
		return nil, err
	}
	return &reader{cfg: cfg, l: i18n.Parse(cfg.Language), src: src, close: closeFn, format: f.format}, nil
}

func (a *app) targetsCmd() *cobra.Command {
	var f readFlags
	c := a.command("targets", "targets", nil, func(cmd *cobra.Command, _ []string) error {
		return cmdTargets(cmd.Context(), a.e, f)
	})
	a.readFlags(c, &f)
	return c
}

func cmdTargets(ctx context.Context, e *env, f readFlags) error {
	r, err := openReader(e, f)
	if err != nil {
		return err
	}
	defer r.close()
	type row struct {
		Name        string    `json:"name"`
		URL         string    `json:"url"`
		Enabled     bool      `json:"enabled"`
		Status      string    `json:"status"`
		Failures    int       `json:"failures,omitempty"`
		LastCheck   time.Time `json:"last_check,omitzero"`
		LastSuccess time.Time `json:"last_success,omitzero"`
		LastError   string    `json:"last_error,omitempty"`
		// LastErrorCode names the kind of the last failure (dns, http_status, ...).
		LastErrorCode string `json:"last_error_code,omitempty"`
		Version       uint64 `json:"version,omitempty"`
		Versions      int    `json:"versions"`
		Announced     string `json:"announced,omitempty"`
		Effective     string `json:"effective,omitempty"`
		// Board is the notice board's status line ("공지사항: 확인 불가 (사유)").
		Board string `json:"board"`
	}
	infos, err := r.src.Targets(ctx)
	if err != nil {
		return err
	}
	rows := []row{}
	for _, t := range infos {
		rw := row{Name: t.Name, URL: t.URL, Enabled: t.Enabled, Status: t.Status(), Failures: t.Failures()}
		if st := t.State; st != nil {
			rw.LastCheck, rw.LastSuccess, rw.LastError, rw.LastErrorCode = st.LastCheck, st.LastSuccess, st.LastError, st.LastCode
			rw.Version, rw.Versions = st.Current, st.Versions
		}
		if v := t.Current; v != nil {
			rw.Announced, rw.Effective = v.Meta["announced"], v.Meta["effective"]
		}
		rw.Board = boardStatus(r.cfg, t)
		rows = append(rows, rw)
	}
	if r.format == "json" {
		return writeJSON(e.stdout, rows)
	}
	loc := r.cfg.Notice.Location
	tw := table.New(e.stdout)
	tw.Row(r.l.T("cli.targets.header") + "\t" + r.l.T("board.column"))
	for _, rw := range rows {
		tw.Row(fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", rw.Name, targetStatusText(r.l, rw.Status, rw.Failures), stamp(rw.LastCheck, loc), vstr(r.l, rw.Version, rw.Versions), dash(rw.Announced), dash(rw.Effective), rw.URL, rw.Board))
	}
	return tw.Flush()
}

func (a *app) historyCmd() *cobra.Command {
	var f readFlags
	c := a.command("history", "history", []string{"NAME"}, func(cmd *cobra.Command, args []string) error {
		return cmdHistory(cmd.Context(), a.e, f, args[0])
	})
	a.readFlags(c, &f)
	return c
}

func cmdHistory(ctx context.Context, e *env, f readFlags, name string) error {
	r, err := openReader(e, f)
	if err != nil {
		return err
	}
	defer r.close()
	vs, err := r.versions(ctx, name)
	if err != nil {
		return err
	}
	if r.format == "json" {
		type row struct {
			snapshot.Version
			Kind       string   `json:"kind"`
			Announced  string   `json:"announced,omitempty"`
			Effective  string   `json:"effective,omitempty"`
			Violations []string `json:"violations"`
		}
		rows := []row{}
		for _, v := range vs {
			rows = append(rows, row{Version: v, Kind: versionKind(v), Announced: v.Meta["announced"], Effective: v.Meta["effective"], Violations: splitRules(v.Meta["violations"])})
		}
		return writeJSON(e.stdout, rows)
	}
	loc := r.cfg.Notice.Location
	tw := table.New(e.stdout)
	tw.Row(r.l.T("cli.history.header"))
	for _, v := range vs {
		kind := ""
		switch k := versionKind(v); k {
		case kindReturn:
			kind = r.l.T("cli.history.return", v.ReturnOf)
		case kindObserved:
		default:
			kind = r.l.T("kind." + k)
		}
		var rules []string
		for _, rule := range splitRules(v.Meta["violations"]) {
			rules = append(rules, ruleText(r.l, rule))
		}
		found := strings.Join(rules, ", ")
		if v.Imported && found != "" {
			// A past version's findings come from its own dates: a record
			// of the past, never alerted.
			found = r.l.T("render.historical", found)
		}
		tw.Row(fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s\t%s", v.ID, stamp(v.FirstSeen, loc), stamp(v.LastSeen, loc), dash(v.Meta["announced"]), dash(v.Meta["effective"]), dash(kind), dash(found)))
	}
	return tw.Flush()
}

// showFlags are the flags of show.
type showFlags struct {
	readFlags
	raw bool
}

func (a *app) showCmd() *cobra.Command {
	var f showFlags
	c := a.command("show", "show", []string{"NAME", "[VERSION]"}, func(cmd *cobra.Command, args []string) error {
		return cmdShow(cmd.Context(), a.e, f, args)
	})
	a.readFlags(c, &f.readFlags)
	c.Flags().BoolVar(&f.raw, "raw", false, a.l.T("cli.flag.raw"))
	return c
}

func cmdShow(ctx context.Context, e *env, f showFlags, rest []string) error {
	r, err := openReader(e, f.readFlags)
	if err != nil {
		return err
	}
	defer r.close()
	vs, err := r.versions(ctx, rest[0])
	if err != nil {
		return err
	}
	v := vs[len(vs)-1]
	if len(rest) == 2 {
		if v, err = r.pick(vs, rest[1]); err != nil {
			return err
		}
	}
	if f.raw {
		b, err := r.src.Raw(ctx, v.Target, v.ID)
		if err != nil {
			return err
		}
		if b == nil {
			return &failedError{msg: r.l.T("cli.error.no_raw", v.Target, v.ID)}
		}
		_, err = e.stdout.Write(b)
		return err
	}
	text, err := r.src.Text(ctx, v.Target, v.ID)
	if err != nil {
		return err
	}
	doc := policy.Parse(text)
	if r.format == "json" {
		return writeJSON(e.stdout, struct {
			Version  snapshot.Version `json:"version"`
			Text     string           `json:"text"`
			Document *policy.Document `json:"document"`
		}{v, text, doc})
	}
	loc := r.cfg.Notice.Location
	fmt.Fprintf(e.stdout, "%s v%d  (%s ~ %s)\n", v.Target, v.ID, stamp(v.FirstSeen, loc), stamp(v.LastSeen, loc))
	printDates(e, r.l, doc)
	for _, s := range doc.Sections {
		fmt.Fprintln(e.stdout)
		if s.Heading != "" {
			// The heading as written may carry the extractor's own '#' marks;
			// show the parsed level instead.
			heading := strings.TrimLeft(s.Heading, "# ")
			fmt.Fprintf(e.stdout, "%s %s  [%s]\n", strings.Repeat("#", max(s.Level, 1)), heading, categoryText(r.l, s.Category))
		}
		for _, l := range s.Body {
			fmt.Fprintln(e.stdout, l)
		}
	}
	return nil
}

// diffFlags are the flags of diff.
type diffFlags struct {
	readFlags
	noColor bool
}

func (a *app) diffCmd() *cobra.Command {
	var f diffFlags
	c := a.command("diff", "diff", []string{"NAME", "[FROM", "[TO]]"}, func(cmd *cobra.Command, args []string) error {
		return cmdDiff(cmd.Context(), a.e, f, args)
	})
	a.readFlags(c, &f.readFlags)
	c.Flags().BoolVar(&f.noColor, "no-color", false, a.l.T("cli.flag.no_color"))
	return c
}

func cmdDiff(ctx context.Context, e *env, f diffFlags, rest []string) error {
	r, err := openReader(e, f.readFlags)
	if err != nil {
		return err
	}
	defer r.close()
	vs, err := r.versions(ctx, rest[0])
	if err != nil {
		return err
	}
	from, to := vs[max(len(vs)-2, 0)], vs[len(vs)-1]
	if len(rest) >= 2 {
		if from, err = r.pick(vs, rest[1]); err != nil {
			return err
		}
	}
	if len(rest) == 3 {
		if to, err = r.pick(vs, rest[2]); err != nil {
			return err
		}
	}
	oldText, err := r.src.Text(ctx, from.Target, from.ID)
	if err != nil {
		return err
	}
	newText, err := r.src.Text(ctx, to.Target, to.ID)
	if err != nil {
		return err
	}
	c := diff.Compare(policy.Parse(oldText), policy.Parse(newText), diff.Options{})
	if r.format == "json" {
		return diff.RenderJSON(e.stdout, c)
	}
	loc := r.cfg.Notice.Location
	fmt.Fprintf(e.stdout, "%s: v%d (%s) → v%d (%s)\n", rest[0], from.ID, day(from.FirstSeen, loc), to.ID, day(to.FirstSeen, loc))
	if from.ID == to.ID {
		fmt.Fprintln(e.stdout, r.l.T("cli.diff.same"))
		return nil
	}
	if c.Empty() && from.TextHash != to.TextHash {
		// A cosmetic version: nothing changed in substance, but the text
		// did, and the reader should see how.
		fmt.Fprintln(e.stdout, r.l.T("cli.diff.cosmetic"))
		printChangedLines(e.stdout, oldText, newText)
		return nil
	}
	return diff.RenderText(e.stdout, c, diff.RenderOptions{Color: !f.noColor && isTerminal(e.stdout), Lang: lang(r.cfg)})
}

// versions returns a target's versions, or an error that says what to do.
func (r *reader) versions(ctx context.Context, name string) ([]snapshot.Version, error) {
	vs, err := r.src.Versions(ctx, name)
	if errors.Is(err, snapshot.ErrNotFound) {
		return nil, &usageError{msg: r.l.T("cli.error.no_target", name), hint: "monitord targets"}
	}
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, &failedError{msg: r.l.T("cli.error.no_versions", name, name)}
	}
	return vs, nil
}

// pick finds a version by id or by date (the version current at the end of
// that day, in the configured zone).
func (r *reader) pick(vs []snapshot.Version, arg string) (snapshot.Version, error) {
	if id, err := strconv.ParseUint(strings.TrimPrefix(arg, "v"), 10, 64); err == nil {
		for _, v := range vs {
			if v.ID == id {
				return v, nil
			}
		}
		return snapshot.Version{}, &usageError{msg: r.l.T("cli.error.no_version", id, vs[0].ID, vs[len(vs)-1].ID), hint: "monitord history " + vs[0].Target}
	}
	d, err := policy.ParseISO(arg)
	if err != nil {
		return snapshot.Version{}, &usageError{msg: r.l.T("cli.error.bad_version", arg), hint: "monitord history " + vs[0].Target}
	}
	end := d.Time(r.cfg.Notice.Location).AddDate(0, 0, 1)
	var found *snapshot.Version
	for i := range vs {
		if vs[i].FirstSeen.Before(end) {
			found = &vs[i]
		}
	}
	if found == nil {
		return snapshot.Version{}, &usageError{msg: r.l.T("cli.error.no_version_on", arg), hint: "monitord history " + vs[0].Target}
	}
	return *found, nil
}

func printDates(e *env, l i18n.Lang, d *policy.Document) {
	for _, x := range documentDates(l, d) {
		if x.ref != nil {
			fmt.Fprintln(e.stdout, l.T("cli.show.date_line", x.label, x.ref.Date, x.ref.Line, x.ref.Text))
		}
	}
}

// documentDates are a document's 공고일자, 시행일자 and 개정일 with their
// labels in l.
func documentDates(l i18n.Lang, d *policy.Document) []struct {
	label string
	ref   *policy.DateRef
} {
	return []struct {
		label string
		ref   *policy.DateRef
	}{{l.T("date.announced"), d.Announced}, {l.T("date.effective"), d.Effective}, {l.T("cli.date.revised"), d.Revised}}
}

func splitRules(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func vstr(l i18n.Lang, cur uint64, n int) string {
	if cur == 0 {
		return "-"
	}
	return l.T("cli.targets.version", cur, n)
}

// boardStatus is a target's notice-board line, in the config's language.
func boardStatus(cfg *config.Config, t web.TargetInfo) string {
	tg, _ := cfg.Target(t.Name)
	var st snapshot.BoardState
	if t.Board != nil {
		st = *t.Board
	}
	return monitor.BoardStatus(tg, st, t.Board != nil, cfg.Language)
}
