package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/demo"
)

func (a *app) demoCmd() *cobra.Command {
	var language, serve string
	c := a.command("demo", "demo", nil, func(cmd *cobra.Command, _ []string) error {
		return cmdDemo(cmd.Context(), a.e, language, serve)
	})
	c.Flags().StringVar(&language, "lang", "ko", a.l.T("cli.flag.lang"))
	flagValue(c.Flags(), "lang", "LANG")
	c.Flags().StringVar(&serve, "serve", "", a.l.T("ui.flag.serve"))
	c.Flags().Lookup("serve").NoOptDefVal = demoServe
	return c
}

// demoServe is where `demo -serve` serves the UI: loopback, a free port.
const demoServe = "127.0.0.1:0"

func cmdDemo(ctx context.Context, e *env, language, serve string) error {
	if language != "ko" && language != "en" {
		return &usageError{msg: e.lang.T("cli.usage.lang"), hint: "monitord demo -lang en"}
	}
	return demo.Run(ctx, demo.Options{Out: e.stdout, Lang: language, Serve: serve})
}
