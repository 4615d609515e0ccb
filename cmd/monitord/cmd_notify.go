package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/notify/message"
)

// notifyTestOptions is what `monitord notify test` was asked to do.
type notifyTestOptions struct {
	configPath string
	format     string
	webhook    string // "" for every webhook
}

func (a *app) notifyCmd() *cobra.Command {
	c := a.command("notify", "notify", nil, func(cmd *cobra.Command, _ []string) error {
		printHelp(cmd.OutOrStdout(), a.l, cmd) // a command is needed
		return &failedError{code: exitUsage}
	})
	c.AddCommand(a.notifyTestCmd())
	return c
}

func (a *app) notifyTestCmd() *cobra.Command {
	var o notifyTestOptions
	c := a.command("test", "notify.test", []string{"[WEBHOOK]"}, func(cmd *cobra.Command, args []string) error {
		if len(args) == 1 {
			o.webhook = args[0]
		}
		if err := checkFormat(a.l, o.format); err != nil {
			return err
		}
		return runNotifyTest(cmd.Context(), a.e, o)
	})
	fs := c.Flags()
	a.configFlag(fs, &o.configPath, defaultConfigPath)
	a.formatFlag(fs, &o.format)
	return c
}

// notifyAnswer is one webhook's answer to a test message.
type notifyAnswer struct {
	Webhook   string `json:"webhook"`
	Format    string `json:"format"`
	Delivered bool   `json:"delivered"`
	// Retryable says the failure is transient: the outbox would try again.
	Retryable bool   `json:"retryable"`
	Error     string `json:"error,omitempty"`
	Millis    int64  `json:"duration_ms"`
}

// runNotifyTest sends one test message to each configured webhook (or the
// one named), now and outside the outbox, and reports every answer. It
// fails (exit 1) when any webhook did not take the message.
func runNotifyTest(ctx context.Context, e *env, o notifyTestOptions) error {
	cfg, err := loadConfig(e, o.configPath)
	if err != nil {
		return err
	}
	l := i18n.Parse(cfg.Language)
	hooks := cfg.Webhooks
	if o.webhook != "" {
		i := slices.IndexFunc(hooks, func(w config.Webhook) bool { return w.Name == o.webhook })
		if i < 0 {
			names := make([]string, len(hooks))
			for j, w := range hooks {
				names[j] = w.Name
			}
			return &usageError{msg: l.T("cli.notify.unknown", o.webhook, strings.Join(names, ", "))}
		}
		hooks = hooks[i : i+1]
	}
	if len(hooks) == 0 {
		return &failedError{msg: l.T("cli.notify.none", cfg.File)}
	}
	senders, err := monitor.Senders(cfg, nil)
	if err != nil {
		return &configError{err}
	}
	answers := make([]notifyAnswer, 0, len(hooks))
	for _, w := range hooks {
		lang := w.Language
		if lang == "" {
			lang = cfg.Language
		}
		ev := message.TestEvent(testEventID(), w.Name, hostOf(w), time.Now(), lang)
		start := time.Now()
		retry, err := senders[w.Name].Send(ctx, ev)
		a := notifyAnswer{Webhook: w.Name, Format: w.Format, Delivered: err == nil, Retryable: err != nil && retry, Millis: time.Since(start).Milliseconds()}
		if err != nil {
			a.Error = err.Error()
		}
		answers = append(answers, a)
	}
	failed := 0
	for _, a := range answers {
		if !a.Delivered {
			failed++
		}
	}
	if o.format == "json" {
		if err := writeJSON(e.stdout, answers); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, a := range answers {
			what := l.T("cli.notify.ok", a.Millis)
			switch {
			case a.Retryable:
				what = l.T("cli.notify.failed_retry", a.Error)
			case !a.Delivered:
				what = l.T("cli.notify.failed", a.Error)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Webhook, a.Format, what)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if failed > 0 {
		return &failedError{msg: l.T("cli.notify.summary_failed", failed, len(answers))}
	}
	return nil
}

// hostOf names a webhook's receiver by host only: the URL is a credential.
func hostOf(w config.Webhook) string {
	u, err := url.Parse(w.URL.Reveal())
	if err != nil || u.Host == "" {
		return "?"
	}
	return u.Host
}

func testEventID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "evt_test_" + hex.EncodeToString(b)
}
