package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/metrics"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/sdnotify"
	"github.com/monitord/monitord/internal/web"
)

// runFlags are the flags of run.
type runFlags struct {
	config string
	drain  time.Duration
}

func (a *app) runCmd() *cobra.Command {
	var f runFlags
	c := a.command("run", "run", nil, func(cmd *cobra.Command, _ []string) error {
		return cmdRun(cmd.Context(), a.e, f)
	})
	a.configFlag(c.Flags(), &f.config, defaultConfigPath)
	c.Flags().DurationVar(&f.drain, "drain", monitor.DefaultDrainTimeout, a.l.T("cli.flag.drain"))
	return c
}

func cmdRun(ctx context.Context, e *env, f runFlags) error {
	cfgPath, drain := &f.config, &f.drain
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, e.stderr, false)
	sd := sdnotify.New(e.getenv)
	notify := func(states ...string) {
		if err := sd.Notify(states...); err != nil {
			logger.Warn("cannot notify systemd", slog.Any("error", err))
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var m *metrics.Metrics // set before Run, read only by checks Run starts
	d, err := monitor.New(monitor.Options{
		Config: cfg, Logger: logger, DrainTimeout: *drain,
		OnReady: func() {
			notify(sdnotify.Ready, fmt.Sprintf("STATUS=watching %d targets", len(cfg.EnabledTargets())))
		},
		OnCheck: func(r monitor.Result) { m.ObserveCheck(r) },
	})
	if err != nil {
		return err
	}
	defer func() {
		if err := d.Close(); err != nil {
			logger.Error("close", slog.Any("error", err))
		}
	}()
	m = metrics.New(reg, d.Store, func() []string {
		var names []string
		for _, t := range d.Config().Targets {
			names = append(names, t.Name)
		}
		return names
	})

	// The status server runs beside the daemon; if it cannot start (the
	// port is taken), the daemon stops too rather than run unobserved.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var srvErr error
	srvDone := make(chan struct{})
	if cfg.Server.Enabled() {
		srv, err := web.New(web.Options{
			Listen: cfg.Server.Listen, Token: cfg.Server.Token.Reveal(),
			Source:   web.NewStoreSource(d.Store, d.Config, time.Now),
			Ready:    func() error { return ready(d) },
			Registry: reg, Logger: logger,
			Lang:    func() string { return lang(d.Config()) },
			OnRetry: func(string) { d.Deliverer.Wake() },
		})
		if err != nil {
			return err
		}
		go func() {
			defer close(srvDone)
			if srvErr = srv.Run(ctx); srvErr != nil {
				logger.Error("status server failed: stopping", slog.Any("error", srvErr))
				cancel()
			}
		}()
	} else {
		close(srvDone)
	}
	logger.Info("monitord started", "config", cfg.File, "store", cfg.Storage.Path, "targets", len(cfg.EnabledTargets()), "webhooks", len(cfg.Webhooks))

	reloadDone := make(chan struct{})
	go func() {
		defer close(reloadDone)
		for {
			select {
			case <-ctx.Done():
				return
			case <-e.hup:
				notify(sdnotify.Reloading)
				reload(ctx, e, d, *cfgPath, logger)
				notify(sdnotify.Ready, fmt.Sprintf("STATUS=watching %d targets", len(d.Config().EnabledTargets())))
			}
		}
	}()
	stopping := make(chan struct{})
	go func() {
		defer close(stopping)
		<-ctx.Done()
		notify(sdnotify.Stopping)
	}()
	err = d.Run(ctx)
	cancel()
	<-reloadDone
	<-stopping
	<-srvDone
	logger.Info("monitord stopped")
	if srvErr != nil {
		err = errors.Join(err, fmt.Errorf("status server: %w", srvErr))
	}
	return err
}

// ready is /readyz: the store is open, the schedule runs, and alert
// delivery keeps up.
func ready(d *monitor.Daemon) error {
	if !d.Scheduler.Running() {
		return errors.New("scheduler not running")
	}
	if _, err := d.Store.PendingCount(); err != nil {
		return fmt.Errorf("store not readable: %w", err)
	}
	return d.Deliverer.Stuck(time.Now())
}

// reload re-reads the configuration on SIGHUP. A bad file is rejected with
// a clear log line and the running configuration stays in force.
func reload(ctx context.Context, e *env, d *monitor.Daemon, path string, logger *slog.Logger) {
	cfg, err := config.Load(path, e.getenv)
	if err != nil {
		logger.Error("reload rejected: the configuration is invalid; the previous one stays in force", "config", path, slog.Any("error", err))
		return
	}
	old := d.Config()
	if err := d.Reload(ctx, cfg); err != nil {
		logger.Error("reload rejected; the previous configuration stays in force", "config", path, slog.Any("error", err))
		return
	}
	// Targets, schedules, webhooks and notice rules apply now; the status
	// server and the fetcher's limits are built once at start.
	if old.Server != cfg.Server {
		logger.Warn("[server] changed: restart monitord to apply it", "config", path)
	}
	if old.Fetch != cfg.Fetch {
		logger.Warn("[fetch] changed: restart monitord to apply it", "config", path)
	}
	logger.Info("configuration reloaded", "config", path, "targets", len(cfg.EnabledTargets()), "webhooks", len(cfg.Webhooks))
}

// checkFlags are the flags of check.
type checkFlags struct {
	config, target, format string
	wait                   time.Duration
	quiet, verbose         bool
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
	return c
}

func cmdCheck(ctx context.Context, e *env, f checkFlags) error {
	if err := checkFormat(f.format); err != nil {
		return err
	}
	cfgPath, target, wait, quiet, verbose, format := &f.config, &f.target, &f.wait, &f.quiet, &f.verbose, &f.format
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	targets := cfg.EnabledTargets()
	if *target != "" {
		t, ok := cfg.Target(*target)
		if !ok {
			return &usageError{msg: fmt.Sprintf("no target named %q in %s", *target, cfg.File), hint: "monitord targets"}
		}
		targets = []*config.Target{t}
	}
	logger := newLogger(cfg, e.stderr, true)
	d, err := monitor.New(monitor.Options{Config: cfg, Logger: logger})
	if err != nil {
		return err
	}
	defer d.Close()

	l := lang(cfg)
	var progress func(done, total int, r monitor.Result)
	if !*quiet && *format == "text" && isTerminal(e.stderr) {
		progress = func(done, total int, r monitor.Result) {
			fmt.Fprintf(e.stderr, "\r\033[K[%d/%d] %s: %s", done, total, r.Target, r.Status)
			if done == total {
				fmt.Fprintln(e.stderr)
			}
		}
	}
	results := monitor.CheckAll(ctx, d.Checker, targets, cfg.Fetch.Concurrency, progress)

	dctx, cancel := context.WithTimeout(ctx, *wait)
	pending, derr := d.Deliverer.Flush(dctx)
	cancel()

	sum := summarize(results)
	sum.Pending = pending
	switch {
	case *format == "json":
		if err := writeJSON(e.stdout, checkReport(results, sum)); err != nil {
			return err
		}
	case !*quiet:
		// Unchanged targets are the common case and say nothing new: only
		// what changed or failed is listed, then the summary.
		for _, r := range results {
			if r.Status != monitor.StatusUnchanged || *verbose {
				printResult(e, l, r)
			}
		}
		fmt.Fprintln(e.stdout, sum.line(l))
	}
	if derr != nil {
		return fmt.Errorf("deliver alerts: %w", derr)
	}
	if sum.Failed > 0 {
		return &failedError{msg: fmt.Sprintf("%d of %d targets failed", sum.Failed, sum.Checked)}
	}
	return nil
}

// checkSummary counts the results of one pass.
type checkSummary struct {
	Checked    int `json:"checked"`
	Changed    int `json:"changed"`
	Violations int `json:"violations"`
	Failed     int `json:"failed"`
	Pending    int `json:"pending_alerts"`
}

func summarize(rs []monitor.Result) checkSummary {
	s := checkSummary{Checked: len(rs)}
	for _, r := range rs {
		switch r.Status {
		case monitor.StatusFailed:
			s.Failed++
		case monitor.StatusBaseline, monitor.StatusChanged:
			s.Changed++
		}
		s.Violations += len(r.Violations)
	}
	return s
}

func (s checkSummary) line(l string) string {
	return tr(l,
		fmt.Sprintf("점검 %d, 변경 %d, 위반 %d, 실패 %d, 전송 대기 알림 %d", s.Checked, s.Changed, s.Violations, s.Failed, s.Pending),
		fmt.Sprintf("checked %d, changed %d, violations %d, failed %d, alerts pending %d", s.Checked, s.Changed, s.Violations, s.Failed, s.Pending))
}

func printResult(e *env, l string, r monitor.Result) {
	switch r.Status {
	case monitor.StatusFailed:
		fmt.Fprintf(e.stdout, "%-20s %s: %v\n", r.Target, tr(l, "실패", "failed"), r.Err)
	case monitor.StatusUnchanged:
		fmt.Fprintf(e.stdout, "%-20s %s (v%d)\n", r.Target, tr(l, "변경 없음", "unchanged"), r.Version)
	default:
		fmt.Fprintf(e.stdout, "%-20s %s v%d\n", r.Target, statusText(l, r.Status), r.Version)
		for _, v := range r.Violations {
			fmt.Fprintf(e.stdout, "  ! %s: %s\n", v.Rule, v.Detail)
		}
	}
}

func statusText(l string, s monitor.Status) string {
	switch s {
	case monitor.StatusBaseline:
		return tr(l, "첫 수집", "baseline")
	case monitor.StatusChanged:
		return tr(l, "변경됨", "changed")
	case monitor.StatusCosmetic:
		return tr(l, "표기만 변경", "cosmetic change")
	case monitor.StatusTechnical:
		return tr(l, "추출 규칙 변경으로 재수집", "re-extracted (rules changed)")
	}
	return string(s)
}

type jsonResult struct {
	Target     string `json:"target"`
	Status     string `json:"status"`
	Version    uint64 `json:"version,omitempty"`
	Violations []any  `json:"violations"`
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

func checkReport(rs []monitor.Result, s checkSummary) any {
	out := struct {
		Results []jsonResult `json:"results"`
		Summary checkSummary `json:"summary"`
	}{Results: []jsonResult{}, Summary: s}
	for _, r := range rs {
		jr := jsonResult{Target: r.Target, Status: string(r.Status), Version: r.Version, Violations: []any{}, DurationMS: r.Duration.Milliseconds()}
		for _, v := range r.Violations {
			jr.Violations = append(jr.Violations, v)
		}
		if r.Err != nil {
			jr.Error = r.Err.Error()
		}
		out.Results = append(out.Results, jr)
	}
	return out
}
