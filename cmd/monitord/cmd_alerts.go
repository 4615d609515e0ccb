package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

func cmdAlerts(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "retry" {
		return cmdAlertsRetry(ctx, e, args[1:])
	}
	var target, typ, state *string
	var limit *int
	r, _, err := openReader(e, "alerts", "", "List alert events, newest first, with the delivery state of each webhook.\n'monitord alerts retry ID' re-queues an expired or failed event.", args, 0, 0, func(fs *flag.FlagSet) {
		target = fs.String("target", "", "only events of this target `name`")
		typ = fs.String("type", "", "only events of this `type` (policy.baseline, policy.changed, target.failing, target.recovered)")
		state = fs.String("state", "", "only events with a delivery in this `state` (pending, delivered, expired, failed)")
		limit = fs.Int("n", 50, "show at most `n` events (0: all)")
	})
	if err != nil {
		return err
	}
	defer r.close()
	evs, err := r.src.Events(ctx, snapshot.EventFilter{Target: *target, Type: *typ, State: *state, Limit: *limit})
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
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCREATED\tTYPE\tTARGET\tVERSION\tDELIVERY")
	for _, ev := range evs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", ev.ID, stamp(ev.CreatedAt, loc), ev.Type, ev.Target, ev.Version, deliverySummary(ev.Deliveries, loc))
	}
	return tw.Flush()
}

func deliverySummary(ds []snapshot.Delivery, loc *time.Location) string {
	if len(ds) == 0 {
		return "(no webhook)"
	}
	s := ""
	for i, d := range ds {
		if i > 0 {
			s += "; "
		}
		s += fmt.Sprintf("%s: %s", d.Webhook, d.State)
		switch d.State {
		case snapshot.StatePending:
			if d.Attempts > 0 {
				s += fmt.Sprintf(" (%d attempts, next %s)", d.Attempts, stamp(d.NextAttempt, loc))
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

func cmdAlertsRetry(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "alerts retry", "ID", "Re-queue an expired or failed event: its deliveries become pending with attempts reset;\nthe running daemon (or the next 'monitord check') sends it with the same id.")
	cfgPath := fs.String("config", defaultConfigPath, "configuration `file`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{msg: "alerts retry takes one event ID", hint: "monitord alerts -state expired"}
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	src, _, closeFn, err := web.OpenSource(cfg, web.OpenOptions{Write: true})
	if err != nil {
		return err
	}
	defer closeFn()
	if err := src.Requeue(ctx, fs.Arg(0)); err != nil {
		if errors.Is(err, snapshot.ErrNotFound) {
			return &usageError{msg: fmt.Sprintf("no event %q", fs.Arg(0)), hint: "monitord alerts -state expired"}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "%s re-queued\n", fs.Arg(0))
	return nil
}
