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
	cfgPath, drain := &f.config, &f.drain
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, e.stderr, slog.LevelDebug)
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
	// Checks asked for through the API (monitord check beside the daemon)
	// finish before the store closes.
	onDemand := monitor.NewOnDemand(d)
	defer onDemand.Wait()
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
		src := web.NewStoreSource(d.Store, d.Config, time.Now)
		pages, err := ui.New(ui.Options{Source: src, Config: d.Config, Token: cfg.Server.Token.Reveal(), OnRetry: func(string) { d.Deliverer.Wake() }, Logger: logger})
		if err != nil {
			return err
		}
		srv, err := web.New(web.Options{
			Listen: cfg.Server.Listen, Token: cfg.Server.Token.Reveal(),
			Source:   src,
			UI:       pages.Handler(),
			Ready:    func() error { return ready(d) },
			Registry: reg, Logger: logger,
			Lang:    func() string { return lang(d.Config()) },
			OnRetry: func(string) { d.Deliverer.Wake() },
			Checker: daemonChecks{onDemand, func() *time.Location { return d.Config().Notice.Location }},
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
	logger.Info("monitord started", "config", cfg.File, "store", d.Store.Path(), "targets", len(cfg.EnabledTargets()), "webhooks", len(cfg.Webhooks))

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

// ready is /readyz: the store answers (a shared database is pinged), the
// schedule runs, and alert delivery keeps up.
func ready(d *monitor.Daemon) error {
	if !d.Scheduler.Running() {
		return errors.New("scheduler not running")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.Ping(ctx); err != nil {
		return fmt.Errorf("store not answering: %w", err)
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
