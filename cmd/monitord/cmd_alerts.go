package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/table"
	"github.com/monitord/monitord/internal/web"
)

// alertsFlags are the flags of alerts.
type alertsFlags struct {
	readFlags
	target, typ, state string
	limit              int
}

func (a *app) alertsCmd() *cobra.Command {
	var f alertsFlags
	c := a.command("alerts", "alerts", nil, func(cmd *cobra.Command, _ []string) error {
		return cmdAlerts(cmd.Context(), a.e, f)
	})
	a.readFlags(c, &f.readFlags)
	fs := c.Flags()
	fs.StringVar(&f.target, "target", "", a.l.T("cli.flag.alerts_target"))
	flagValue(fs, "target", "NAME")
	fs.StringVar(&f.typ, "type", "", a.l.T("cli.flag.alerts_type"))
	flagValue(fs, "type", "TYPE")
	fs.StringVar(&f.state, "state", "", a.l.T("cli.flag.alerts_state"))
	flagValue(fs, "state", "STATE")
	fs.IntVarP(&f.limit, "limit", "n", 50, a.l.T("cli.flag.alerts_limit"))
	c.AddCommand(a.alertsRetryCmd())
	return c
}

func cmdAlerts(ctx context.Context, e *env, f alertsFlags) error {
	r, err := openReader(e, f.readFlags)
	if err != nil {
		return err
	}
	defer r.close()
	evs, err := r.src.Events(ctx, snapshot.EventFilter{Target: f.target, Type: f.typ, State: f.state, Limit: f.limit})
	if err != nil {
		return err
	}
	if r.format == "json" {
		if evs == nil {
			evs = []snapshot.EventWithDeliveries{}
		}
		return writeJSON(e.stdout, evs)
	}
	loc := r.cfg.Notice.Location
	tw := table.New(e.stdout)
	tw.Row(r.l.T("cli.alerts.header"))
	for _, ev := range evs {
		typ := ev.Type
		if key := "event." + ev.Type; i18n.Has(key) {
			typ = r.l.T(key)
		}
		tw.Row(fmt.Sprintf("%s\t%s\t%s\t%s\t%d\t%s", ev.ID, stamp(ev.CreatedAt, loc), typ, ev.Target, ev.Version, deliverySummary(r.l, ev.Deliveries, loc)))
	}
	return tw.Flush()
}

func deliverySummary(l i18n.Lang, ds []snapshot.Delivery, loc *time.Location) string {
	if len(ds) == 0 {
		return l.T("cli.alerts.no_hook")
	}
	s := ""
	for i, d := range ds {
		if i > 0 {
			s += "; "
		}
		s += d.Webhook + ": " + deliveryStateText(l, d.State)
		switch d.State {
		case snapshot.StatePending:
			if d.Attempts > 0 {
				s += " (" + l.T("cli.alerts.attempts", d.Attempts, stamp(d.NextAttempt, loc)) + ")"
			}
		case snapshot.StateDelivered:
			s += " " + stamp(d.DeliveredAt, loc)
		default:
			if d.LastError != "" {
				s += " (" + d.LastError + ")"
			}
		}
	}
	return s
}

func (a *app) alertsRetryCmd() *cobra.Command {
	var cfgPath string
	c := a.command("retry", "alerts.retry", []string{"ID"}, func(cmd *cobra.Command, args []string) error {
		return cmdAlertsRetry(cmd.Context(), a.e, cfgPath, args[0])
	})
	a.configFlag(c.Flags(), &cfgPath, defaultConfigPath)
	return c
}

func cmdAlertsRetry(ctx context.Context, e *env, cfgPath, id string) error {
	cfg, err := loadReadingConfig(e, cfgPath)
	if err != nil {
		return err
	}
	src, _, closeFn, err := web.OpenSource(cfg, web.OpenOptions{Write: true})
	if err != nil {
		return err
	}
	defer closeFn()
	if err := src.Requeue(ctx, id); err != nil {
		if errors.Is(err, snapshot.ErrNotFound) {
			return &usageError{msg: i18n.Parse(cfg.Language).T("cli.error.no_event", id), hint: "monitord alerts -state expired"}
		}
		return err
	}
	fmt.Fprintln(e.stdout, i18n.Parse(cfg.Language).T("cli.alerts.requeued", id))
	return nil
}
