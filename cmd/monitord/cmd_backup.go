package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/web"
)

// backupOptions is what `monitord backup` was asked to do.
type backupOptions struct {
	configPath string
	file       string
	verbose    bool
}

func (a *app) backupCmd() *cobra.Command {
	var o backupOptions
	c := a.command("backup", "backup", []string{"FILE"}, func(cmd *cobra.Command, args []string) error {
		o.file = args[0]
		return runBackup(cmd.Context(), a.e, o)
	})
	fs := c.Flags()
	a.configFlag(fs, &o.configPath, defaultConfigPath)
	fs.BoolVarP(&o.verbose, "verbose", "v", false, a.l.T("cli.flag.backup_verbose"))
	return c
}

// runBackup writes the copy next to FILE and renames it into place once it
// is complete and synced, so FILE is never a partial copy.
func runBackup(ctx context.Context, e *env, o backupOptions) error {
	cfg, err := loadConfig(e, o.configPath)
	if err != nil {
		return err
	}
	l := i18n.Parse(cfg.Language)
	if same, _ := sameFile(cfg.Storage.Path, o.file); same && !cfg.Storage.Postgres() {
		return &usageError{msg: l.T("cli.backup.itself", o.file)}
	}
	ev, via, closeFn, err := openEvidence(cfg, l)
	if err != nil {
		return err
	}
	defer closeFn()
	n, err := writeFileAtomic(o.file, func(w io.Writer) (int64, error) { return ev.Backup(ctx, w) })
	if err != nil {
		return fmt.Errorf("%s: %w", l.T("cli.backup.failed", via), err)
	}
	if o.verbose {
		fmt.Fprintln(e.stderr, l.T("cli.backup.wrote", via, o.file, byteSize(n), n))
	}
	return nil
}

// openEvidence opens the store read-only, or, when the daemon holds it,
// its API; with [server] listen = "" it says that the daemon must stop.
// The source it names is in language l.
func openEvidence(cfg *config.Config, l i18n.Lang) (web.Evidence, string, func() error, error) {
	src, via, closeFn, err := web.OpenSource(cfg, web.OpenOptions{})
	if err != nil {
		return nil, "", nil, err
	}
	ev, ok := src.(web.Evidence)
	if !ok {
		closeFn()
		return nil, "", nil, errors.New(l.T("cli.evidence.no_backup"))
	}
	if rest, ok := strings.CutPrefix(via, "store "); ok {
		via = l.T("cli.evidence.via_store", rest)
	} else if rest, ok := strings.CutPrefix(via, "daemon "); ok {
		via = l.T("cli.evidence.via_daemon", rest)
	}
	return ev, via, closeFn, nil
}

// writeFileAtomic writes a file through fill into a temporary file in the
// same directory, syncs it, renames it over path and syncs the directory.
func writeFileAtomic(path string, fill func(io.Writer) (int64, error)) (int64, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	n, err := fill(f)
	if err != nil {
		return n, err
	}
	if err := f.Chmod(0o600); err != nil {
		return n, err
	}
	if err := f.Sync(); err != nil {
		return n, err
	}
	if err := f.Close(); err != nil {
		return n, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return n, err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return n, nil
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}
