package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func (a *app) versionCmd() *cobra.Command {
	return a.command("version", "version", nil, func(cmd *cobra.Command, _ []string) error {
		return cmdVersion(a.e)
	})
}

func cmdVersion(e *env) error {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	fmt.Fprintf(e.stdout, "monitord %s\n", v)
	return nil
}
