package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/web"
	"github.com/monitord/monitord/internal/web/ui"
)

// serveUI serves the web UI over the demo's store on o.Serve (loopback
// only, no token) until ctx ends, and prints where to look.
func serveUI(ctx context.Context, o Options, d *monitor.Daemon, cfg *config.Config, l string) error {
	loopback, err := web.IsLoopbackListen(o.Serve)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !loopback {
		return fmt.Errorf("demo: -serve listens on loopback only, not %q: the demo UI has no token", o.Serve)
	}
	cfgFn := func() *config.Config { return cfg }
	src := web.NewStoreSource(d.Store, cfgFn, o.Now)
	pages, err := ui.New(ui.Options{Source: src, Config: cfgFn, Logger: o.Logger, Now: o.Now})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	srv, err := web.New(web.Options{Listen: o.Serve, Source: src, UI: pages.Handler(), Logger: o.Logger})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Run(ctx) }()
	select {
	case err := <-errc:
		if err == nil {
			err = errors.New("the server stopped at once")
		}
		return fmt.Errorf("demo: serve the web UI: %w", err)
	case <-srv.Listening():
	case <-time.After(10 * time.Second):
		return errors.New("demo: the web UI did not start listening within 10s")
	}
	base := "http://" + srv.Addr()
	fmt.Fprintf(o.Out, "\n== %s\n", i18n.Parse(l).T("demo.ui"))
	fmt.Fprintf(o.Out, "%s\n  %s/\n  %s\n%s\n",
		i18n.Parse(l).T("demo.ui.open"),
		base, base+message.DiffLink("", "demo-shop", 1, 2),
		i18n.Parse(l).T("demo.ui.stop"))
	if o.Listening != nil {
		o.Listening(base)
	}
	if err := <-errc; err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
