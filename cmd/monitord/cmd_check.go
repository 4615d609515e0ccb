package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
	"github.com/monitord/monitord/internal/web"
)

// checkFlags are the flags of check.
type checkFlags struct {
	config, target, format string
	wait                   time.Duration
	quiet, verbose         bool
	profile                profileOptions
}

func (a *app) checkCmd() *cobra.Command {
	var f checkFlags
	c := a.command("check", "check", nil, func(cmd *cobra.Command, _ []string) error {
		return cmdCheck(cmd.Context(), a.e, f)
	})
	fs := c.Flags()
	a.configFlag(fs, &f.config, defaultConfigPath)
	fs.StringVar(&f.target, "target", "", a.l.T("cli.flag.check_target"))
	flagValue(fs, "target", "NAME")
	fs.DurationVar(&f.wait, "wait", 30*time.Second, a.l.T("cli.flag.wait"))
	fs.BoolVarP(&f.quiet, "quiet", "q", false, a.l.T("cli.flag.quiet"))
	fs.BoolVarP(&f.verbose, "verbose", "v", false, a.l.T("cli.flag.verbose"))
	a.formatFlag(fs, &f.format)
	fs.StringVar(&f.profile.CPU, "cpuprofile", "", a.l.T("cli.flag.cpuprofile", pprofEnv))
	flagValue(fs, "cpuprofile", "FILE")
	fs.StringVar(&f.profile.Mem, "memprofile", "", a.l.T("cli.flag.memprofile", pprofEnv))
	flagValue(fs, "memprofile", "FILE")
	return c
}

// cmdCheck checks now: in this process when the store is free, or through
// the running daemon's API (POST /api/check) when `monitord run` holds it.
// Both print the same progress, results and summary.
func cmdCheck(ctx context.Context, e *env, f checkFlags) error {
	if err := checkFormat(e.lang, f.format); err != nil {
		return err
	}
	prof, err := profileFromEnv(f.profile, e.getenv)
	if err != nil {
		return err
	}
	batchGC(e.getenv)
	p, err := startProfile(prof)
	if err != nil {
		return err
	}
	defer func() {
		if perr := p.stop(); perr != nil {
			fmt.Fprintln(e.stderr, "monitord check:", perr)
		}
	}()
	cfg, err := loadConfig(e, f.config)
	if err != nil {
		// A daemon holding the store checks with its own secrets: this
		// process needs none of them.
		if rc, rerr := config.LoadForReading(f.config, e.getenv); rerr == nil && storeHeld(rc) {
			return checkThroughDaemon(ctx, e, rc, f)
		}
		return err
	}
	l := i18n.Parse(cfg.Language)
	targets := cfg.EnabledTargets()
	if f.target != "" {
		t, ok := cfg.Target(f.target)
		if !ok {
			return &usageError{msg: l.T("cli.error.no_target_in", f.target, cfg.File), hint: "monitord targets"}
		}
		targets = []*config.Target{t}
	}
	// Failed checks are in the results; the log says only what is worse.
	logger := newLogger(cfg, e.stderr, slog.LevelError)
	d, err := monitor.New(monitor.Options{Config: cfg, Logger: logger})
	if errors.Is(err, storage.ErrInUse) {
		return checkThroughDaemon(ctx, e, cfg, f)
	}
	if err != nil {
		return err
	}
	defer d.Close()

	out := newCheckOutput(e, l, f)
	var results []web.CheckResult
	// The alerts of finished checks go out while the others run.
	checked, pending, derr := d.CheckOnce(ctx, targets, cfg.Fetch.Concurrency, f.wait, func(done, total int, r monitor.Result) {
		out.progress(done, total, checkResult(r, cfg.Notice.Location))
	})
	for _, r := range checked {
		results = append(results, checkResult(r, cfg.Notice.Location))
	}
	if err := out.print(results, pending); err != nil {
		return err
	}
	if derr != nil {
		return fmt.Errorf("deliver alerts: %w", derr)
	}
	return out.exit(results)
}

// storeHeld reports whether another process holds the store for writing
// (a bbolt file only: PostgreSQL is shared by every process).
func storeHeld(cfg *config.Config) bool {
	if cfg.Storage.Postgres() {
		return false
	}
	st, err := storage.OpenReader(cfg, storage.Options{Timeout: web.DefaultOpenTimeout})
	if err == nil {
		st.Close()
		return false
	}
	return errors.Is(err, storage.ErrInUse)
}

// checkThroughDaemon asks the daemon that holds the store to run the
// checks, and prints them as they arrive.
func checkThroughDaemon(ctx context.Context, e *env, cfg *config.Config, f checkFlags) error {
	l := i18n.Parse(cfg.Language)
	if !cfg.Server.Enabled() {
		return &failedError{msg: l.T("cli.check.no_api")}
	}
	base, err := web.BaseURL(cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("%s: %w", l.T("cli.check.no_api"), err)
	}
	out := newCheckOutput(e, l, f)
	if !f.quiet && f.format == "text" {
		fmt.Fprintln(e.stderr, l.T("cli.check.via_daemon", base))
	}
	var results []web.CheckResult
	pending, err := web.CheckThrough(ctx, base, cfg.Server.Token.Reveal(), nil, f.target, f.wait, func(done, total int, r web.CheckResult) {
		out.progress(done, total, r)
		results = append(results, r)
	})
	if errors.Is(err, snapshot.ErrNotFound) {
		return &usageError{msg: l.T("cli.error.no_target", f.target), hint: "monitord targets"}
	}
	if err != nil {
		return err
	}
	sortByConfig(results, cfg)
	if err := out.print(results, pending); err != nil {
		return err
	}
	return out.exit(results)
}

// sortByConfig puts results streamed in the order they finished into the
// order of the configuration, as a check in this process prints them.
func sortByConfig(rs []web.CheckResult, cfg *config.Config) {
	index := map[string]int{}
	for i, t := range cfg.Targets {
		index[t.Name] = i
	}
	slices.SortStableFunc(rs, func(a, b web.CheckResult) int {
		ia, oka := index[a.Target]
		ib, okb := index[b.Target]
		if !oka || !okb {
			return 0
		}
		return ia - ib
	})
}

// checkResult is a check's result as printed and streamed.
func checkResult(r monitor.Result, loc *time.Location) web.CheckResult {
	cr := web.CheckResult{Target: r.Target, Status: string(r.Status), Version: r.Version, Violations: []notice.Violation{}, DurationMS: r.Duration.Milliseconds()}
	for _, v := range r.Violations {
		// One time zone in every JSON answer: the evidence's instants too.
		ev := make([]notice.Evidence, len(v.Evidence))
		for i, e := range v.Evidence {
			if !e.At.IsZero() {
				e.At = e.At.In(loc)
			}
			ev[i] = e
		}
		if v.Evidence != nil {
			v.Evidence = ev
		}
		cr.Violations = append(cr.Violations, v)
	}
	if r.Err != nil {
		cr.Error, cr.Code, cr.Message = r.Err.Error(), i18n.Code(r.Err), i18n.Messages(r.Err)
	}
	return cr
}

// checkOutput prints a pass: progress on a terminal, then what changed or
// failed, then the summary; or the JSON report.
type checkOutput struct {
	e *env
	l i18n.Lang
	f checkFlags
	// tty: progress is drawn on standard error.
	tty bool
}

func newCheckOutput(e *env, l i18n.Lang, f checkFlags) *checkOutput {
	return &checkOutput{e: e, l: l, f: f, tty: !f.quiet && f.format == "text" && isTerminal(e.stderr)}
}

func (o *checkOutput) progress(done, total int, r web.CheckResult) {
	if !o.tty {
		return
	}
	fmt.Fprintf(o.e.stderr, "\r\033[K[%d/%d] %s: %s", done, total, r.Target, checkStatusText(o.l, r.Status))
	if done == total {
		fmt.Fprintln(o.e.stderr)
	}
}

// checkSummary counts the results of one pass. A first version (baseline)
// is not a change.
type checkSummary struct {
	Checked    int `json:"checked"`
	Baseline   int `json:"baseline"`
	Changed    int `json:"changed"`
	Cosmetic   int `json:"cosmetic"`
	Violations int `json:"violations"`
	Failed     int `json:"failed"`
	Pending    int `json:"pending_alerts"`
}

func summarize(rs []web.CheckResult, pending int) checkSummary {
	s := checkSummary{Checked: len(rs), Pending: pending}
	for _, r := range rs {
		switch monitor.Status(r.Status) {
		case monitor.StatusFailed:
			s.Failed++
		case monitor.StatusBaseline:
			s.Baseline++
		case monitor.StatusChanged:
			s.Changed++
		case monitor.StatusCosmetic:
			s.Cosmetic++
		}
		s.Violations += len(r.Violations)
	}
	return s
}

func (o *checkOutput) print(rs []web.CheckResult, pending int) error {
	sum := summarize(rs, pending)
	if o.f.format == "json" {
		if rs == nil {
			rs = []web.CheckResult{}
		}
		return writeJSON(o.e.stdout, struct {
			Results []web.CheckResult `json:"results"`
			Summary checkSummary      `json:"summary"`
		}{rs, sum})
	}
	if o.f.quiet {
		return nil
	}
	// Unchanged targets are the common case and say nothing new: only what
	// changed or failed is listed, then the summary.
	for _, r := range rs {
		if monitor.Status(r.Status) == monitor.StatusUnchanged && !o.f.verbose {
			continue
		}
		switch monitor.Status(r.Status) {
		case monitor.StatusFailed:
			fmt.Fprintf(o.e.stdout, "%-20s %s: %s\n", r.Target, checkStatusText(o.l, r.Status), failureText(o.l, r.Message, r.Error))
		case monitor.StatusUnchanged:
			fmt.Fprintf(o.e.stdout, "%-20s %s (v%d)\n", r.Target, checkStatusText(o.l, r.Status), r.Version)
		default:
			fmt.Fprintf(o.e.stdout, "%-20s %s v%d\n", r.Target, checkStatusText(o.l, r.Status), r.Version)
		}
		for _, v := range r.Violations {
			fmt.Fprintf(o.e.stdout, "  ! %s\n", violationLine(o.l, v))
		}
	}
	s := sum
	fmt.Fprintln(o.e.stdout, o.l.T("cli.check.summary", s.Checked, s.Baseline, s.Changed, s.Cosmetic, s.Violations, s.Failed, s.Pending))
	return nil
}

// exit is the command's end: exit 1 when a target failed.
func (o *checkOutput) exit(rs []web.CheckResult) error {
	if s := summarize(rs, 0); s.Failed > 0 {
		return &failedError{msg: o.l.T("cli.check.failed", s.Failed, s.Checked)}
	}
	return nil
}

// checkStatusText names a check's status for people.
func checkStatusText(l i18n.Lang, status string) string {
	key := "cli.check.status." + status
	if !i18n.Has(key) {
		return status
	}
	return l.T(key)
}

// violationLine is a violation for people: the rule's name, what proves
// it, and the detail sentence.
func violationLine(l i18n.Lang, v notice.Violation) string {
	s := ruleText(l, v.Rule)
	if key := "basis." + v.Basis; v.Basis != "" && i18n.Has(key) {
		s += " [" + l.T(key) + "]"
	}
	if v.Detail != "" {
		s += ": " + v.Detail
	}
	return s
}

// ruleText names a notice rule for people; the code stays in JSON.
func ruleText(l i18n.Lang, rule string) string {
	if key := "rule." + rule; i18n.Has(key) {
		return l.T(key)
	}
	return rule
}

// daemonChecks serves POST /api/check from the daemon's on-demand checks.
type daemonChecks struct {
	od  *monitor.OnDemand
	loc func() *time.Location // the zone of the configuration in force
}

func (c daemonChecks) Check(ctx context.Context, target string, each func(done, total int, r web.CheckResult)) error {
	loc := c.loc()
	_, err := c.od.Check(ctx, target, func(done, total int, r monitor.Result) { each(done, total, checkResult(r, loc)) })
	return err
}

func (c daemonChecks) WaitDelivered(ctx context.Context) (int, error) { return c.od.WaitDelivered(ctx) }

// failureText is a failure in the reader's language: its catalogue message
// when it has one, else its (English) error text.
func failureText(l i18n.Lang, msg []i18n.Msg, text string) string {
	if len(msg) > 0 {
		return l.Render(msg)
	}
	return text
}

// checkGCPercent is the garbage collector's target for `monitord check`, a
// batch that ends within minutes: the heap may grow to 2.5 times what is
// live (instead of twice) between collections, fewer collections for a few
// MiB more of peak memory (the bench: 200 cost 10 MiB more for no CPU it
// could tell from noise). GOGC in the environment wins, as for any Go
// program.
const checkGCPercent = 150

func batchGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(checkGCPercent)
	}
}
