package main

import (
	"context"

	"github.com/monitord/monitord/internal/demo"
)

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "", "Run monitord end to end on loopback, without the internet: serve two sample policies,\ncheck them, change one with a backdated 공고일자, check again, and show the versions,\nthe section diff and the alert a local webhook received.")
	language := fs.String("lang", "ko", "language of the output: ko or en")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *language != "ko" && *language != "en" {
		return &usageError{msg: "-lang must be ko or en", hint: "monitord demo -lang en"}
	}
	return demo.Run(ctx, demo.Options{Out: e.stdout, Lang: *language})
}
