package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/demo"
)

func (a *app) demoCmd() *cobra.Command {
	var language string
	c := a.command("demo", "demo", nil, func(cmd *cobra.Command, _ []string) error {
		return cmdDemo(cmd.Context(), a.e, language)
	})
	c.Flags().StringVar(&language, "lang", "ko", a.l.T("cli.flag.lang"))
	flagValue(c.Flags(), "lang", "LANG")
	return c
}

func cmdDemo(ctx context.Context, e *env, language string) error {
	if language != "ko" && language != "en" {
		return &usageError{msg: "-lang must be ko or en", hint: "monitord demo -lang en"}
	}
	return demo.Run(ctx, demo.Options{Out: e.stdout, Lang: language})
}
