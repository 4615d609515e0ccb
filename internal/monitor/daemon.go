package monitor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/lease"
	"github.com/monitord/monitord/internal/notify"
	"github.com/monitord/monitord/internal/render"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

// Options configures a Daemon.
type Options struct {
	Config *config.Config
	Logger *slog.Logger
	Now    func() time.Time // default time.Now
	// Transport, when set, is used for page fetches and webhooks (tests).
	Transport http.RoundTripper
	// DrainTimeout bounds how long in-flight checks may run after shutdown
	// begins (default DefaultDrainTimeout).
	DrainTimeout time.Duration
	// OnCheck is called after every check, from the checking goroutine.
	OnCheck func(Result)
	// OnReady is called once the scheduler runs.
	OnReady func()
	// Lease and ClaimPoll tune the shared schedule of a store that several
	// workers share (defaults [storage] lease and claim_poll); Worker names
	// this process there (default WorkerID).
	Lease     time.Duration
	ClaimPoll time.Duration
	Worker    string
}

// Daemon is monitord's process: the store, the fetcher, the checker, the
// scheduler and the delivery loop. New builds them in order and registers
// how to undo each; Close undoes them in reverse, so a failed New rolls back
// and the store is always closed last.
type Daemon struct {
	Store     storage.Store
	Checker   *Checker
	Scheduler *Scheduler
	Deliverer *Deliverer

	cfg     *config.Config
	logger  *slog.Logger
	onCheck func(Result)
	shared  lease.Schedule // nil on the embedded store
	mu      sync.Mutex
	closers []func() error
}

// New opens the store for writing and wires the daemon. The caller must
// Close it.
func New(o Options) (*Daemon, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	d := &Daemon{cfg: o.Config, logger: o.Logger, onCheck: o.OnCheck}
	st, err := storage.Open(o.Config, storage.Options{Logger: o.Logger})
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	d.Store = st
	d.closers = append(d.closers, st.Close)

	fetcher := fetch.New(FetchOptions(o.Config, o.Logger, o.Transport))
	d.Checker = NewChecker(o.Config, st, fetcher, o.Logger, o.Now)
	// Started only when a page needs it; closed before the store.
	browser := render.NewBrowser(render.BrowserOptions{
		Executable: o.Config.Fetch.Browser, Concurrency: o.Config.Fetch.BrowserConcurrency,
		Timeout: o.Config.Fetch.Timeout, Logger: o.Logger,
	})
	d.Checker.UseBrowser(browser)
	d.closers = append(d.closers, browser.Close)
	senders, err := Senders(o.Config, o.Transport)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	// A store that several workers share (PostgreSQL) keeps the schedule
	// and leases the deliveries; the embedded one leaves both to this
	// process (a cron in memory, the outbox read directly).
	sopts := SchedulerOptions{
		Checker: d.Checker, Logger: o.Logger, DrainTimeout: o.DrainTimeout, OnDone: d.checked, OnStart: o.OnReady,
	}
	dopts := DelivererOptions{
		Store: st, Senders: senders, Expire: o.Config.Notice.Expire, Logger: o.Logger, Now: o.Now,
	}
	if sch, ok := any(st).(lease.Schedule); ok {
		d.shared = sch
		worker := o.Worker
		if worker == "" {
			worker = WorkerID()
		}
		ttl := cmp.Or(o.Lease, o.Config.Storage.Lease, DefaultLease)
		poll := cmp.Or(o.ClaimPoll, o.Config.Storage.ClaimPoll, DefaultClaimPoll)
		sopts.Shared, sopts.Worker, sopts.Lease, sopts.ClaimPoll = sch, worker, ttl, poll
		dopts.Claim = func(ctx context.Context, now time.Time, limit int) ([]snapshot.PendingDelivery, error) {
			return sch.ClaimDeliveries(ctx, worker, now, ttl, limit)
		}
	}
	d.Deliverer = NewDeliverer(dopts)
	d.Scheduler = NewScheduler(o.Config, sopts)
	return d, nil
}

// Ready reports why the daemon cannot serve, nil when it can (/readyz):
// the schedule runs, the store answers (a shared database is pinged), and
// alert delivery keeps up.
func (d *Daemon) Ready(ctx context.Context) error {
	if !d.Scheduler.Running() {
		return errors.New("scheduler not running")
	}
	if err := d.Ping(ctx); err != nil {
		return fmt.Errorf("store not answering: %w", err)
	}
	return d.Deliverer.Stuck(time.Now())
}

// WakeDeliveries asks the delivery loop to look at the outbox now (an alert
// was queued again by hand).
func (d *Daemon) WakeDeliveries() { d.Deliverer.Wake() }

// Ping reports whether the store answers: a shared database is asked (a
// round trip), the embedded file is read.
func (d *Daemon) Ping(ctx context.Context) error {
	if d.shared != nil {
		return d.shared.Ping(ctx)
	}
	_, err := d.Store.PendingCount()
	return err
}

// checked runs after every scheduled check. Any check may have stored
// events (a recovery rides on an unchanged one), and looking at the outbox
// is one cursor seek, so it always wakes the delivery loop.
func (d *Daemon) checked(r Result) {
	d.Deliverer.Wake()
	if d.onCheck != nil {
		d.onCheck(r)
	}
}

// Run runs the scheduler and the delivery loop until ctx is done, then
// drains in-flight checks. It does not close the store: Close does.
func (d *Daemon) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	deliverCtx, stopDelivery := context.WithCancel(context.WithoutCancel(ctx))
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs <- d.Deliverer.Run(deliverCtx)
	}()
	heads := &ChainLogger{Store: d.Store, Logger: d.logger}
	wg.Go(func() { heads.Run(deliverCtx) })
	err := d.Scheduler.Run(ctx)
	// Checks have drained; their events are in the outbox. Stop delivering
	// (a delivery in flight is cut and retried at the next start).
	stopDelivery()
	wg.Wait()
	close(errs)
	for e := range errs {
		err = errors.Join(err, e)
	}
	return err
}

// Reload applies a new configuration: targets, schedules and webhooks. The
// store ([storage] driver, path or dsn) and the fetcher's limits stay as
// started.
func (d *Daemon) Reload(ctx context.Context, cfg *config.Config) error {
	if was, is := d.cfg.Storage, cfg.Storage; was.Driver != is.Driver {
		return fmt.Errorf("monitor: reload: storage.driver changed from %s to %s; restart monitord to use another store", was.Driver, is.Driver)
	} else if !is.Postgres() && is.Path != was.Path {
		return fmt.Errorf("monitor: reload: storage.path changed from %s to %s; restart monitord to use another store", was.Path, is.Path)
	} else if is.Postgres() && is.DSN != was.DSN {
		return errors.New("monitor: reload: storage.dsn changed; restart monitord to use another database")
	}
	senders, err := Senders(cfg, nil)
	if err != nil {
		return fmt.Errorf("monitor: reload: %w", err)
	}
	// The checker and the deliverer take the new configuration first: the
	// scheduler's reload checks new targets at once, and their events must
	// be judged and routed by the new rules and webhooks.
	d.Checker.SetConfig(cfg)
	d.Deliverer.SetSenders(senders)
	if err := d.Scheduler.Reload(ctx, cfg); err != nil {
		return fmt.Errorf("monitor: reload: %w", err)
	}
	d.mu.Lock()
	d.cfg = cfg
	d.mu.Unlock()
	return nil
}

// Config returns the configuration in force.
func (d *Daemon) Config() *config.Config {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cfg
}

// Close releases everything New acquired, in reverse order.
func (d *Daemon) Close() error {
	d.mu.Lock()
	closers := d.closers
	d.closers = nil
	d.mu.Unlock()
	var err error
	for i := len(closers) - 1; i >= 0; i-- {
		err = errors.Join(err, closers[i]())
	}
	return err
}

// FetchOptions maps the [fetch] configuration to the fetcher's options.
func FetchOptions(cfg *config.Config, logger *slog.Logger, rt http.RoundTripper) fetch.Options {
	f := cfg.Fetch
	return fetch.Options{
		UserAgent:      f.UserAgent,
		ConnectTimeout: f.ConnectTimeout,
		Timeout:        f.Timeout,
		MaxBodyBytes:   f.MaxBody,
		MaxRedirects:   f.MaxRedirects,
		Retries:        f.Retries,
		Concurrency:    f.Concurrency,
		PerHost:        f.PerHost,
		HostInterval:   f.HostInterval,
		Logger:         logger,
		Transport:      rt,
	}
}

// Senders builds one sender per configured webhook.
func Senders(cfg *config.Config, rt http.RoundTripper) (map[string]notify.Sender, error) {
	client := &http.Client{Transport: rt} // the endpoints never follow redirects
	out := make(map[string]notify.Sender, len(cfg.Webhooks))
	for _, w := range cfg.Webhooks {
		l := w.Language
		if l == "" {
			l = cfg.Language
		}
		s, err := notify.New(notify.WebhookConfig{
			Name: w.Name, URL: w.URL.Reveal(), Format: w.Format, Secret: w.Secret.Reveal(), Lang: l, Timeout: w.Timeout,
			Template: w.Template, From: w.From, To: w.To, Username: w.Username, Password: w.Password.Reveal(),
		}, client)
		if err != nil {
			return nil, fmt.Errorf("monitor: webhook %q: %w", w.Name, err)
		}
		out[w.Name] = s
	}
	return out, nil
}
