package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/monitord/monitord/internal/i18n"
)

// The command line is parsed by cobra (spf13/pflag underneath): flags go
// anywhere on the line, every command has generated help with examples, and
// the arguments of each command are checked by positional specs that name
// what was expected. Two things are ours:
//
//   - The contract (design.md, README, scripts) spells long flags with one
//     dash, Go style: `monitord run -config config.toml`. normalizeArgs
//     turns `-config` into `--config` before pflag sees it, so both work.
//   - Help and usage errors are rendered from the message catalogue in the
//     configured language (see preLanguage), not from cobra's templates.

// app is what the command tree shares: the process environment and the
// language of help and messages.
type app struct {
	e *env
	l i18n.Lang
}

// newRoot builds the whole command tree in language l.
func newRoot(e *env, l i18n.Lang) *cobra.Command {
	a := &app{e: e, l: l}
	root := &cobra.Command{
		Use:           "monitord",
		Short:         l.T("cli.root.short"),
		Example:       l.T("cli.root.example"),
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				printHelp(cmd.OutOrStdout(), l, cmd)
				return &failedError{code: exitUsage}
			}
			return &usageError{msg: l.T("cli.usage.unknown_command", args[0]), showCommands: true}
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	cobra.EnableCommandSorting = false // help lists commands in the order of commands()
	a.helpFlag(root)
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { printHelp(c.OutOrStdout(), l, c) })
	root.SetFlagErrorFunc(a.flagError)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetIn(e.stdin)
	for _, c := range commands(a) {
		root.AddCommand(c)
	}
	root.SetHelpCommand(a.command("help", "help", []string{"[COMMAND...]"}, func(cmd *cobra.Command, args []string) error {
		target, _, err := root.Find(args)
		if err != nil || target == nil {
			return &usageError{msg: l.T("cli.usage.unknown_command", strings.Join(args, " ")), showCommands: true}
		}
		printHelp(cmd.OutOrStdout(), l, target)
		return nil
	}))
	root.InitDefaultHelpCmd()
	return root
}

// commands lists the subcommands in the order help shows them. A new
// command adds one line here and a file of its own.
func commands(a *app) []*cobra.Command {
	return []*cobra.Command{
		a.runCmd(),
		a.checkCmd(),
		a.targetsCmd(),
		a.historyCmd(),
		a.showCmd(),
		a.diffCmd(),
		a.extractCmd(),
		a.alertsCmd(),
		a.notifyCmd(),
		a.verifyCmd(),
		a.backupCmd(),
		a.migrateCmd(),
		a.exportCmd(),
		a.demoCmd(),
		a.versionCmd(),
	}
}

// command builds a subcommand: name, its catalogue key (cli.cmd.KEY.short,
// .long, .example), its positional arguments ("NAME", "[VERSION]",
// "[ID...]") and what it does.
func (a *app) command(name, key string, positional []string, run func(cmd *cobra.Command, args []string) error) *cobra.Command {
	use := strings.TrimSpace(name + " " + strings.Join(positional, " "))
	c := &cobra.Command{
		Use:     use,
		Short:   a.l.T("cli.cmd." + key + ".short"),
		Long:    a.l.T("cli.cmd." + key + ".long"),
		Example: a.l.T("cli.cmd." + key + ".example"),
		Args:    a.positional(positional),
		RunE:    run,
	}
	c.Flags().SortFlags = false
	a.helpFlag(c)
	return c
}

func (a *app) helpFlag(c *cobra.Command) {
	c.Flags().BoolP("help", "h", false, a.l.T("cli.flag.help"))
}

// placeholder names the value of a flag in help: -config FILE.
const placeholderKey = "monitord_placeholder"

// flagValue sets the placeholder shown for a flag's value in help.
func flagValue(fs *pflag.FlagSet, name, placeholder string) {
	_ = fs.SetAnnotation(name, placeholderKey, []string{placeholder})
}

// Shared flags.

func (a *app) configFlag(fs *pflag.FlagSet, p *string, def string) {
	usage := a.l.T("cli.flag.config")
	if def == "" {
		usage = a.l.T("cli.flag.config_optional")
	}
	fs.StringVar(p, "config", def, usage)
	flagValue(fs, "config", "FILE")
}

func (a *app) formatFlag(fs *pflag.FlagSet, p *string) {
	fs.StringVar(p, "format", "text", a.l.T("cli.flag.format"))
	flagValue(fs, "format", "FORMAT")
}

// positional returns the argument check for a command taking the given
// positional arguments: "NAME" is required, "[NAME]" optional, "NAME..."
// repeats. Its errors name what was expected.
func (a *app) positional(spec []string) cobra.PositionalArgs {
	minArgs, maxArgs := 0, 0
	for _, s := range spec {
		if strings.HasSuffix(s, "...") || strings.HasSuffix(s, "...]") {
			maxArgs = -1
		} else if maxArgs >= 0 {
			maxArgs++
		}
		if !strings.HasPrefix(s, "[") {
			minArgs++
		}
	}
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < minArgs:
			var missing []string
			for _, s := range spec[len(args):] {
				if !strings.HasPrefix(s, "[") {
					missing = append(missing, s)
				}
			}
			return &usageError{msg: a.l.T("cli.usage.missing", strings.Join(missing, " "))}
		case maxArgs >= 0 && len(args) > maxArgs:
			if maxArgs == 0 && cmd.HasAvailableSubCommands() {
				return &usageError{msg: a.l.T("cli.usage.unknown_command", args[0]), showCommands: true}
			}
			if maxArgs == 0 {
				return &usageError{msg: a.l.T("cli.usage.no_args", cmd.Name(), args[0])}
			}
			return &usageError{msg: a.l.T("cli.usage.extra", args[maxArgs], strings.Join(spec, " "))}
		}
		return nil
	}
}

// flagError turns pflag's errors into usage errors in the user's language
// and the contract's spelling (-config, not --config).
func (a *app) flagError(_ *cobra.Command, err error) error {
	var (
		notExist *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		name := notExist.GetSpecifiedName()
		if name == "" {
			name = notExist.GetSpecifiedShortnames()
		}
		return &usageError{msg: a.l.T("cli.usage.unknown_flag", "-"+name)}
	case errors.As(err, &required):
		return &usageError{msg: a.l.T("cli.usage.flag_needs_value", flagName(required.GetFlag()), placeholder(required.GetFlag()))}
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return &usageError{msg: a.l.T("cli.usage.flag_invalid", invalid.GetValue(), flagName(f), placeholder(f))}
	case errors.As(err, &syntax):
		return &usageError{msg: a.l.T("cli.usage.flag_syntax", syntax.GetSpecifiedFlag())}
	}
	return &usageError{msg: err.Error()}
}

func flagName(f *pflag.Flag) string {
	if f == nil {
		return "?"
	}
	if f.Shorthand != "" && len(f.Name) > 1 && f.Name != "help" {
		return "-" + f.Shorthand
	}
	return "-" + f.Name
}

func placeholder(f *pflag.Flag) string {
	if f == nil {
		return ""
	}
	if p := f.Annotations[placeholderKey]; len(p) > 0 {
		return p[0]
	}
	switch f.Value.Type() {
	case "duration":
		return "DURATION"
	case "int", "uint", "int64", "uint64":
		return "N"
	}
	return "VALUE"
}

// normalizeArgs rewrites the contract's single-dash long flags (-config,
// -format=json, -no-color) as pflag's --config. A token is left alone when
// it is "-" or "--", comes after "--", is a flag's separate value, or is a
// short flag of the command (-q, -n 5, -n5, -qv). Unknown single-dash words
// become --word too, so that pflag names them as the user wrote them.
func normalizeArgs(root *cobra.Command, args []string) []string {
	cmd := commandOf(root, args)
	fs := cmd.Flags()
	fs.AddFlagSet(cmd.InheritedFlags())
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		s := args[i]
		out = append(out, s)
		if s == "--" {
			out = append(out, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(s, "-") || len(s) < 2 {
			continue
		}
		var f *pflag.Flag
		if name, ok := strings.CutPrefix(s, "--"); ok {
			name, _, _ = strings.Cut(name, "=")
			f = fs.Lookup(name)
		} else {
			name, _, _ := strings.Cut(s[1:], "=")
			if g := fs.Lookup(name); g != nil && len(name) > 1 {
				f = g
				out[len(out)-1] = "-" + s
			} else if g := fs.ShorthandLookup(name[:1]); g != nil {
				// A short flag, alone or with its value attached (-n50) or
				// a cluster of boolean ones (-qv): pflag reads it.
				if len(s) == 2 && g.NoOptDefVal == "" && i+1 < len(args) {
					out = append(out, args[i+1])
					i++
				}
				continue
			} else {
				out[len(out)-1] = "-" + s
			}
		}
		// A long flag's separate value is never itself rewritten.
		if f != nil && !strings.Contains(s, "=") && f.NoOptDefVal == "" && i+1 < len(args) {
			out = append(out, args[i+1])
			i++
		}
	}
	return out
}

// commandOf finds the command a line runs: the words naming subcommands,
// skipping flags and the values of flags that take one.
func commandOf(root *cobra.Command, args []string) *cobra.Command {
	cmd := root
	for i := 0; i < len(args); i++ {
		s := args[i]
		if s == "--" {
			break
		}
		if strings.HasPrefix(s, "-") && len(s) > 1 {
			name, _, hasValue := strings.Cut(strings.TrimLeft(s, "-"), "=")
			if f := anyFlag(cmd, name); f != nil && !hasValue && f.NoOptDefVal == "" {
				i++
			}
			continue
		}
		next := (*cobra.Command)(nil)
		for _, sub := range cmd.Commands() {
			if sub.Name() == s || sub.HasAlias(s) {
				next = sub
			}
		}
		if next == nil {
			break
		}
		cmd = next
	}
	return cmd
}

// anyFlag looks a flag up in cmd and, since flags may come before the
// command's name, in every command below it.
func anyFlag(cmd *cobra.Command, name string) *pflag.Flag {
	if f := cmd.Flags().Lookup(name); f != nil {
		return f
	}
	if len(name) == 1 {
		if f := cmd.Flags().ShorthandLookup(name); f != nil {
			return f
		}
	}
	for _, sub := range cmd.Commands() {
		if f := anyFlag(sub, name); f != nil {
			return f
		}
	}
	return nil
}

// preLanguage decides the language of help and usage errors before the
// configuration is loaded: the `language` of the file -config names (or of
// config.toml in the working directory); Korean when there is none.
func preLanguage(args []string) i18n.Lang {
	path := defaultConfigPath
	for i, s := range args {
		if s == "--" {
			break
		}
		for _, p := range []string{"-config", "--config"} {
			if v, ok := strings.CutPrefix(s, p+"="); ok {
				path = v
			} else if s == p && i+1 < len(args) {
				path = args[i+1]
			}
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return i18n.Korean
	}
	defer f.Close()
	var doc struct {
		Language string `toml:"language"`
	}
	// A broken file is reported by the command that loads it; here only
	// the language matters.
	_ = toml.NewDecoder(io.LimitReader(f, 4<<20)).Decode(&doc)
	return i18n.Parse(doc.Language)
}

// printHelp writes a command's help: usage, description, examples, its
// subcommands and flags, in language l.
func printHelp(w io.Writer, l i18n.Lang, c *cobra.Command) {
	if !c.HasParent() {
		fmt.Fprintf(w, "%s\n\n%s\n  monitord %s\n\n%s\n", c.Short, l.T("cli.help.usage"), l.T("cli.help.root_usage"), l.T("cli.help.commands"))
		printCommands(w, c)
		printExamples(w, l, c)
		fmt.Fprintf(w, "\n%s\n", l.T("cli.help.root_footer"))
		return
	}
	fmt.Fprintf(w, "%s %s\n", l.T("cli.help.usage"), usageLine(l, c))
	desc := c.Long
	if desc == "" {
		desc = c.Short
	}
	fmt.Fprintf(w, "\n%s\n", strings.TrimRight(desc, "\n"))
	printExamples(w, l, c)
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\n%s\n", l.T("cli.help.commands"))
		printCommands(w, c)
	}
	fmt.Fprintf(w, "\n%s\n", l.T("cli.help.flags"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	c.LocalFlags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		names := "-" + f.Name
		if f.Shorthand != "" {
			names = "-" + f.Shorthand + ", -" + f.Name
		}
		if f.NoOptDefVal == "" {
			names += " " + placeholder(f)
		}
		usage := f.Usage
		if def := defaultText(f); def != "" {
			usage += " " + l.T("cli.help.default", def)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", names, usage)
	})
	tw.Flush()
}

func printCommands(w io.Writer, c *cobra.Command) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, sub := range c.Commands() {
		if sub.Hidden || sub.Name() == "help" && c.HasParent() {
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\n", sub.Name(), sub.Short)
	}
	tw.Flush()
}

func printExamples(w io.Writer, l i18n.Lang, c *cobra.Command) {
	if c.Example == "" {
		return
	}
	fmt.Fprintf(w, "\n%s\n", l.T("cli.help.examples"))
	for _, line := range strings.Split(strings.TrimRight(c.Example, "\n"), "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
}

// usageLine is "monitord history NAME [flags]".
func usageLine(l i18n.Lang, c *cobra.Command) string {
	path := c.CommandPath()
	if c.HasParent() {
		if _, rest, ok := strings.Cut(c.Use, " "); ok {
			path += " " + rest
		}
	}
	if c.HasAvailableSubCommands() && c.Runnable() {
		path += " [" + l.T("cli.help.command_word") + "]"
	}
	return path + " [" + l.T("cli.help.flags_word") + "]"
}

// defaultText is a flag's default for help, or "" when it is the zero value.
func defaultText(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "bool":
		return ""
	case "duration":
		if d, err := time.ParseDuration(f.DefValue); err == nil && d == 0 {
			return ""
		}
	case "int":
		if f.DefValue == "0" {
			return ""
		}
	case "stringArray", "stringSlice":
		if f.DefValue == "[]" {
			return ""
		}
	}
	return f.DefValue
}
