// Command monitord watches Korean privacy policies (개인정보 처리방침), keeps
// every version, shows what changed section by section, and alerts when a
// policy changes without the advance notice it owes its users.
//
// Run `monitord -h` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/i18n"
)

// Exit codes scripts can rely on (design.md).
const (
	exitOK      = 0 // everything checked / done
	exitFailure = 1 // some target failed, or the command failed at run time
	exitUsage   = 2 // bad usage or bad configuration
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, hup: hup})
	signal.Stop(hup)
	stop()
	os.Exit(code)
}

// env is what a command sees of the process: its streams and environment.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// lang is the language of help and usage errors, decided before the
	// configuration is loaded (preLanguage); commands use the loaded
	// configuration's once they have it.
	lang i18n.Lang
	// hup delivers SIGHUP to `monitord run` (config reload); tests send on
	// a channel of their own, and nil means no reloads.
	hup <-chan os.Signal
}

// run runs one command line and returns the exit code. Only main touches
// signals and the real process environment.
func run(ctx context.Context, args []string, e *env) int {
	l := preLanguage(args)
	e.lang = l
	root := newRoot(e, l)
	if len(args) == 0 {
		printHelp(e.stdout, l, root)
		return exitUsage
	}
	root.SetArgs(normalizeArgs(root, args))
	cmd, err := root.ExecuteContextC(ctx)
	if cmd == nil {
		cmd = root
	}
	return report(e.stderr, l, cmd, err)
}

// usageError is a mistake in how the command was called (exit 2). The
// command's usage line and where to read more are printed after it; hint,
// when set, is a corrected example.
type usageError struct {
	msg          string
	hint         string
	showCommands bool // the mistake is the command itself: list them
}

func (e *usageError) Error() string { return e.msg }

// configError wraps a configuration problem (exit 2).
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

// failedError ends the command with its message (already printed when
// empty): exit 1, or code when set.
type failedError struct {
	msg  string
	code int
}

func (e *failedError) Error() string { return e.msg }

func report(stderr io.Writer, l i18n.Lang, cmd *cobra.Command, err error) int {
	var (
		ue *usageError
		ce *configError
		fe *failedError
	)
	name := "monitord"
	if cmd != nil && cmd.HasParent() {
		name = cmd.CommandPath()
	}
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "%s: %s\n", name, ue.msg)
		if ue.showCommands || !cmd.HasParent() {
			fmt.Fprintf(stderr, "%s\n", l.T("cli.help.commands"))
			printCommands(stderr, cmd)
			fmt.Fprintf(stderr, "%s\n", l.T("cli.usage.try", cmd.CommandPath()+" -h"))
			return exitUsage
		}
		fmt.Fprintf(stderr, "%s %s\n", l.T("cli.help.usage"), usageLine(l, cmd))
		if ue.hint != "" {
			fmt.Fprintf(stderr, "%s\n", l.T("cli.usage.example", ue.hint))
		}
		fmt.Fprintf(stderr, "%s\n", l.T("cli.usage.try", cmd.CommandPath()+" -h"))
		return exitUsage
	case errors.As(err, &ce):
		fmt.Fprintf(stderr, "%s: %s\n%s\n", name, l.T("cli.error.config"), l.Err(ce.err))
		return exitUsage
	case errors.As(err, &fe):
		if fe.msg != "" {
			fmt.Fprintf(stderr, "%s: %s\n", name, fe.msg)
		}
		if fe.code != 0 {
			return fe.code
		}
		return exitFailure
	default:
		fmt.Fprintf(stderr, "%s: %s\n", name, err)
		return exitFailure
	}
}
