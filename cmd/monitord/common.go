package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/i18n"
)

const defaultConfigPath = "config.toml"

// loadConfig reads the configuration; its problems are configuration errors
// (exit 2).
func loadConfig(e *env, path string) (*config.Config, error) {
	cfg, err := config.Load(path, e.getenv)
	if err != nil {
		return nil, &configError{err}
	}
	return cfg, nil
}

// loadReadingConfig reads the configuration for a command that only reads
// the store: webhook secrets whose variables are unset are not needed.
func loadReadingConfig(e *env, path string) (*config.Config, error) {
	cfg, err := config.LoadForReading(path, e.getenv)
	if err != nil {
		return nil, &configError{err}
	}
	return cfg, nil
}

// newLogger builds the process logger once: text or JSON per config, on
// stderr, at the configured level or atLeast, whichever is higher.
func newLogger(cfg *config.Config, w io.Writer, atLeast slog.Level) *slog.Logger {
	level := slog.LevelInfo
	if cfg != nil {
		level = cfg.Log.SlogLevel()
	}
	level = max(level, atLeast)
	opts := &slog.HandlerOptions{Level: level}
	if cfg != nil && cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// checkFormat validates -format.
func checkFormat(l i18n.Lang, f string) error {
	if f != "text" && f != "json" {
		return &usageError{msg: l.T("cli.usage.format", f), hint: "-format json"}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// isTerminal reports whether w is a character device (a TTY).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// lang returns the language for people-facing text.
func lang(cfg *config.Config) string {
	return string(i18n.Parse(cfg.Language))
}

// day formats an instant as a KST calendar date for people.
func day(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format(time.DateOnly)
}

// stamp formats an instant for people: date and minute, in loc.
func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}
