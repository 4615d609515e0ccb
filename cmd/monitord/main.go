// Command monitord watches Korean privacy policies (개인정보 처리방침), keeps
// every version, shows what changed section by section, and alerts when a
// policy changes without the advance notice it owes its users.
//
// Run `monitord -h` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
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
	// hup delivers SIGHUP to `monitord run` (config reload); tests send on
	// a channel of their own, and nil means no reloads.
	hup <-chan os.Signal
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "run the daemon: schedules, alert delivery, status server", cmdRun},
		{"check", "check every target (or one) now, deliver alerts, exit", cmdCheck},
		{"targets", "list targets with their last check and current version", cmdTargets},
		{"history", "list the versions of one target", cmdHistory},
		{"show", "print the text of a version, by section", cmdShow},
		{"diff", "show what changed between two versions, section by section", cmdDiff},
		{"extract", "show what the extractor and parser see in a page or file", cmdExtract},
		{"alerts", "list alert events and their delivery; 'alerts retry ID' re-queues one", cmdAlerts},
		{"verify", "check the store: every chain of records, version and blob", cmdVerify},
		{"backup", "write a consistent copy of the store (also while run holds it)", cmdBackup},
		{"demo", "run an offline demonstration on loopback (no internet needed)", cmdDemo},
		{"version", "print the version", cmdVersion},
	}
}

// run runs one command line and returns the exit code. Only main touches
// signals and the real process environment.
func run(ctx context.Context, args []string, e *env) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		return report(stderr, c.name, err)
	}
	fmt.Fprintf(stderr, "monitord: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "monitord watches Korean privacy policies and alerts on changes made without notice.\n\n")
	fmt.Fprintf(w, "Usage:\n  monitord <command> [flags] [arguments]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s  %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'monitord <command> -h' for a command's flags.\n")
	fmt.Fprintf(w, "Exit status: 0 done, 1 a target or the command failed, 2 bad usage or configuration.\n")
}

// usageError is a mistake in how the command was called (exit 2). hint is a
// corrected example.
type usageError struct {
	msg  string
	hint string
}

func (e *usageError) Error() string { return e.msg }

// configError wraps a configuration problem (exit 2).
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

// failedError signals exit 1 with its message already printed (or none).
type failedError struct{ msg string }

func (e *failedError) Error() string { return e.msg }

func report(stderr io.Writer, name string, err error) int {
	var (
		ue *usageError
		ce *configError
		fe *failedError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "monitord %s: %s\n", name, ue.msg)
		if ue.hint != "" {
			fmt.Fprintf(stderr, "Try: %s\n", ue.hint)
		}
		return exitUsage
	case errors.As(err, &ce):
		fmt.Fprintf(stderr, "monitord %s: invalid configuration:\n%s\n", name, ce.err)
		return exitUsage
	case errors.As(err, &fe):
		if fe.msg != "" {
			fmt.Fprintf(stderr, "monitord %s: %s\n", name, fe.msg)
		}
		return exitFailure
	default:
		fmt.Fprintf(stderr, "monitord %s: %s\n", name, err)
		return exitFailure
	}
}

// newFlags returns a FlagSet for a command whose usage prints to e.stderr.
func newFlags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: monitord %s [flags] %s\n\n%s\n\nFlags:\n", name, args, about)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and turns a flag error into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: err.Error(), hint: "monitord " + fs.Name() + " -h"}
	}
	return nil
}
