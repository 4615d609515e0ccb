package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/metrics"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/sdnotify"
	"github.com/monitord/monitord/internal/web"
	"github.com/monitord/monitord/internal/web/ui"
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
	cfg, err := loadConfig(e, f.config)
	if err != nil {
		return err
	}
	p, err := newProcess(processOptions{Config: cfg, ConfigPath: f.config, Drain: f.drain, Env: e})
	if err != nil {
		return err
	}
	return p.Run(ctx)
}

// processOptions configures one `monitord run`.
type processOptions struct {
	Config     *config.Config
	ConfigPath string        // re-read on SIGHUP
	Drain      time.Duration // how long in-flight checks may run after shutdown begins
	Env        *env
}

// process is one `monitord run`: the daemon, the metrics, the status server
// beside it, the reload loop and systemd's notifications. newProcess builds
// every part in order (a failure undoes what was built); Run runs them until
// ctx ends or the status server fails, and returns once every goroutine it
// started has returned and the store is closed.
type process struct {
	opts     processOptions
	logger   *slog.Logger
	sd       *sdnotify.Notifier
	d        *monitor.Daemon
	onDemand *monitor.OnDemand
	srv      *web.Server // nil without [server] listen
}

func newProcess(o processOptions) (_ *process, err error) {
	cfg := o.Config
	p := &process{opts: o, logger: newLogger(cfg, o.Env.stderr, slog.LevelDebug), sd: sdnotify.New(o.Env.getenv)}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := metrics.New(reg)
	p.d, err = monitor.New(monitor.Options{
		Config: cfg, Logger: p.logger, DrainTimeout: o.Drain,
		OnReady: func() { p.notify(sdnotify.Ready, p.watching()) },
		OnCheck: m.ObserveCheck,
	})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			p.closeDaemon()
		}
	}()
	m.WatchStore(reg, p.d.Store, func() []string {
		var names []string
		for _, t := range p.d.Config().Targets {
			names = append(names, t.Name)
		}
		return names
	})
	// Checks asked for through the API (monitord check beside the daemon)
	// finish before the store closes.
	p.onDemand = monitor.NewOnDemand(p.d)
	if !cfg.Server.Enabled() {
		return p, nil
	}
	src := web.NewStoreSource(p.d.Store, p.d.Config, time.Now)
	retry := func(string) { p.d.WakeDeliveries() }
	pages, err := ui.New(ui.Options{Source: src, Config: p.d.Config, Token: cfg.Server.Token.Reveal(), OnRetry: retry, Logger: p.logger})
	if err != nil {
		return nil, err
	}
	p.srv, err = web.New(web.Options{
		Listen: cfg.Server.Listen, Token: cfg.Server.Token.Reveal(),
		Source: src, UI: pages.Handler(), Registry: reg, Logger: p.logger,
		Ready: func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return p.d.Ready(ctx)
		},
		Lang:    func() string { return lang(p.d.Config()) },
		OnRetry: retry,
		Checker: daemonChecks{p.onDemand, func() *time.Location { return p.d.Config().Notice.Location }},
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Run runs the process until ctx ends or the status server fails (the
// daemon then stops too rather than run unobserved). It closes the daemon.
func (p *process) Run(ctx context.Context) error {
	defer p.closeDaemon()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg     sync.WaitGroup
		srvErr error
	)
	if p.srv != nil {
		wg.Go(func() {
			if srvErr = p.srv.Run(ctx); srvErr != nil {
				p.logger.Error("status server failed: stopping", slog.Any("error", srvErr))
				cancel()
			}
		})
	}
	wg.Go(func() { p.reloads(ctx) })
	wg.Go(func() {
		<-ctx.Done() // a signal, a failed status server, or the daemon's end
		p.notify(sdnotify.Stopping)
	})
	cfg := p.d.Config()
	p.logger.Info("monitord started", "config", cfg.File, "store", p.d.Store.Path(), "targets", len(cfg.EnabledTargets()), "webhooks", len(cfg.Webhooks))
	err := p.d.Run(ctx)
	cancel()
	wg.Wait()
	p.logger.Info("monitord stopped")
	if srvErr != nil {
		err = errors.Join(err, fmt.Errorf("status server: %w", srvErr))
	}
	return err
}

// reloads re-reads the configuration on every SIGHUP until ctx ends.
func (p *process) reloads(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.opts.Env.hup:
			p.notify(sdnotify.Reloading)
			reload(ctx, p.opts.Env, p.d, p.opts.ConfigPath, p.logger)
			p.notify(sdnotify.Ready, p.watching())
		}
	}
}

// closeDaemon waits for the checks asked for through the API, then closes
// the daemon (the store last).
func (p *process) closeDaemon() {
	if p.onDemand != nil {
		p.onDemand.Wait()
	}
	if err := p.d.Close(); err != nil {
		p.logger.Error("close", slog.Any("error", err))
	}
}

func (p *process) watching() string {
	return fmt.Sprintf("STATUS=watching %d targets", len(p.d.Config().EnabledTargets()))
}

func (p *process) notify(states ...string) {
	if err := p.sd.Notify(states...); err != nil {
		p.logger.Warn("cannot notify systemd", slog.Any("error", err))
	}
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
