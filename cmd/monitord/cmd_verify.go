package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

// verifyOptions is what `monitord verify` was asked to do.
type verifyOptions struct {
	configPath string
	// file is a store file to verify instead of the configured one (a backup).
	file    string
	format  string
	verbose bool
}

func (a *app) verifyCmd() *cobra.Command {
	var o verifyOptions
	c := a.command("verify", "verify", []string{"[FILE]"}, func(cmd *cobra.Command, args []string) error {
		if len(args) == 1 {
			o.file = args[0]
		}
		if err := checkFormat(a.l, o.format); err != nil {
			return err
		}
		return runVerify(cmd.Context(), a.e, o)
	})
	fs := c.Flags()
	a.configFlag(fs, &o.configPath, defaultConfigPath)
	a.formatFlag(fs, &o.format)
	fs.BoolVarP(&o.verbose, "verbose", "v", false, a.l.T("cli.flag.verify_verbose"))
	return c
}

func runVerify(ctx context.Context, e *env, o verifyOptions) error {
	// The language is the configuration's; for a FILE without -config, the
	// one help uses (config.toml beside, else Korean).
	l := e.lang
	st, via, cleanup, err := verifyTarget(ctx, e, o, &l)
	if err != nil {
		return err
	}
	defer cleanup()
	var progress snapshot.VerifyProgress
	if o.format == "text" && isTerminal(e.stderr) {
		progress = func(stage string, done, total int) {
			fmt.Fprint(e.stderr, "\r\033[K"+l.T("cli.verify.progress", l.T("cli.verify.stage."+stage), done, total))
		}
	}
	rep, err := st.Verify(ctx, progress)
	if progress != nil {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if err != nil {
		return &failedError{msg: l.T("cli.verify.unreadable", via, err)}
	}
	if o.format == "json" {
		type out struct {
			Store string `json:"store"`
			OK    bool   `json:"ok"`
			*snapshot.VerifyReport
		}
		if err := writeJSON(e.stdout, out{Store: via, OK: rep.OK(), VerifyReport: rep}); err != nil {
			return err
		}
	} else {
		printVerify(e.stdout, l, via, rep, o.verbose)
	}
	if !rep.OK() {
		return &failedError{}
	}
	return nil
}

// verifyTarget opens the store to verify: FILE, the configured store, or,
// while the daemon holds its bbolt file, a consistent copy taken through its
// API (removed by cleanup, which also closes the store). It sets *l to the
// configuration's language when it loads one.
func verifyTarget(ctx context.Context, e *env, o verifyOptions, l *i18n.Lang) (st storage.Reader, via string, cleanup func(), err error) {
	open := func(path, via string, remove bool) (storage.Reader, string, func(), error) {
		st, err := storage.OpenFile(path, storage.Options{ReadOnly: true, Timeout: verifyOpenTimeout})
		if err != nil {
			if remove {
				os.Remove(path)
			}
			return nil, "", nil, &failedError{msg: l.T("cli.verify.unreadable", via, err)}
		}
		return st, via, func() {
			st.Close()
			if remove {
				os.Remove(path)
			}
		}, nil
	}
	if o.file != "" {
		return open(o.file, o.file, false)
	}
	cfg, err := loadConfig(e, o.configPath)
	if err != nil {
		return nil, "", nil, err
	}
	*l = i18n.Parse(cfg.Language)
	st, err = storage.OpenReader(cfg, storage.Options{Timeout: verifyOpenTimeout})
	if err == nil {
		return st, st.Path(), func() { st.Close() }, nil
	}
	if !errors.Is(err, storage.ErrInUse) {
		return nil, "", nil, &failedError{msg: l.T("cli.verify.unreadable", storage.Name(cfg), err)}
	}
	ev, via, closeFn, err := openEvidence(cfg, *l)
	if err != nil {
		return nil, "", nil, err
	}
	defer closeFn()
	f, err := os.CreateTemp("", "monitord-verify-*.db")
	if err != nil {
		return nil, "", nil, err
	}
	tmp := f.Name()
	_, err = ev.Backup(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return nil, "", nil, fmt.Errorf("%s: %w", l.T("cli.verify.copy_failed", via), err)
	}
	return open(tmp, l.T("cli.verify.via_copy", cfg.Storage.Path, via), true)
}

// verifyOpenTimeout bounds the wait for a bbolt file's lock before verify
// turns to the daemon that holds it.
const verifyOpenTimeout = 500 * time.Millisecond

// maxProblemsShown bounds the problems printed per target in text output;
// -format json lists them all.
const maxProblemsShown = 5

func printVerify(w io.Writer, l i18n.Lang, via string, rep *snapshot.VerifyReport, verbose bool) {
	for _, c := range rep.Consistency {
		fmt.Fprintln(w, l.T("cli.verify.bbolt", c))
	}
	shown := map[string]int{}
	for _, p := range rep.Problems {
		name := p.Target
		if name == "" {
			name = l.T("cli.verify.store")
		}
		shown[name]++
		switch n := shown[name]; {
		case n == 1 && p.Record != 0 && p.Version == 0:
			fmt.Fprintln(w, l.T("cli.verify.broken_at", name, p.Record, p.Text(l)))
		case n == 1:
			fmt.Fprintln(w, l.T("cli.verify.problem", name, p.Text(l)))
		case n <= maxProblemsShown:
			fmt.Fprintln(w, l.T("cli.verify.also", name, p.Text(l)))
		case n == maxProblemsShown+1:
			fmt.Fprintln(w, l.T("cli.verify.more", name))
		}
	}
	migrated := 0
	for _, c := range rep.Chains {
		if c.TrustedFrom > 1 {
			migrated++
		}
		if verbose {
			trust := l.T("cli.verify.chain_whole")
			if c.TrustedFrom > 1 {
				trust = l.T("cli.verify.chain_migrated", c.TrustedFrom, c.TrustedFrom)
			}
			status := l.T("cli.verify.chain_ok")
			if !c.OK {
				status = l.T("cli.verify.chain_broken")
			}
			fmt.Fprintln(w, l.T("cli.verify.chain", c.Target, status, c.Records, c.Head, trust))
		}
	}
	verdict := l.T("cli.verify.whole")
	if !rep.OK() {
		verdict = l.T("cli.verify.broken", len(rep.Problems)+len(rep.Consistency))
	}
	fmt.Fprintln(w, l.T("cli.verify.summary",
		via, verdict, rep.Targets, rep.Records, rep.Versions, rep.Blobs, byteSize(rep.Bytes), rep.Duration.Round(time.Millisecond)))
	if migrated > 0 {
		fmt.Fprintln(w, l.T("cli.verify.migrated", migrated))
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
