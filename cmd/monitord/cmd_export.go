package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/i18n"
)

// exportOptions is what `monitord export` was asked to do.
type exportOptions struct {
	configPath string
	target     string
	from, to   uint64
	out        string // file (zip) or directory (dir); "-" is stdout for a zip
	format     string // zip | dir
	verbose    bool
}

func (a *app) exportCmd() *cobra.Command {
	var o exportOptions
	c := a.command("export", "export", []string{"NAME", "[FROM", "[TO]]"}, func(cmd *cobra.Command, args []string) error {
		o.target = args[0]
		for i, p := range []*uint64{&o.from, &o.to} {
			if len(args) <= i+1 {
				break
			}
			id, err := strconv.ParseUint(strings.TrimPrefix(args[i+1], "v"), 10, 64)
			if err != nil || id == 0 {
				return &usageError{msg: a.l.T("cli.export.bad_id", args[i+1]), hint: "monitord export " + o.target + " 3 4 -o evidence.zip"}
			}
			*p = id
		}
		if o.format != "zip" && o.format != "dir" {
			return &usageError{msg: a.l.T("cli.export.format", o.format), hint: "-format dir"}
		}
		return runExport(cmd.Context(), a.e, o)
	})
	fs := c.Flags()
	a.configFlag(fs, &o.configPath, defaultConfigPath)
	fs.StringVarP(&o.out, "output", "o", "", a.l.T("cli.flag.export_output"))
	flagValue(fs, "output", "FILE")
	fs.StringVar(&o.format, "format", "zip", a.l.T("cli.flag.export_format"))
	flagValue(fs, "format", "FORMAT")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, a.l.T("cli.flag.export_verbose"))
	return c
}

func runExport(ctx context.Context, e *env, o exportOptions) error {
	cfg, err := loadConfig(e, o.configPath)
	if err != nil {
		return err
	}
	l := i18n.Parse(cfg.Language)
	ev, via, closeFn, err := openEvidence(cfg, l)
	if err != nil {
		return err
	}
	defer closeFn()
	var buf bytes.Buffer
	if err := ev.ExportZip(ctx, o.target, o.from, o.to, &buf); err != nil {
		return err
	}
	zipped := int64(buf.Len())
	out := o.out
	if out == "" {
		out = o.target + "-evidence"
		if o.format == "zip" {
			out += ".zip"
		}
	}
	switch {
	case o.format == "dir":
		if err := unzipInto(l, buf.Bytes(), out); err != nil {
			return err
		}
	case out == "-":
		_, err = e.stdout.Write(buf.Bytes())
		return err
	default:
		if _, err := writeFileAtomic(out, func(w io.Writer) (int64, error) { return io.Copy(w, &buf) }); err != nil {
			return fmt.Errorf("%s: %w", l.T("cli.export.failed", out), err)
		}
	}
	if o.verbose || o.out == "" {
		fmt.Fprintln(e.stderr, l.T("cli.export.wrote", out, byteSize(zipped), zipped, via))
	}
	return nil
}

// unzipInto writes a bundle's files (without its top folder) into dir,
// which must be new or empty.
func unzipInto(l i18n.Lang, data []byte, dir string) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%s: %w", l.T("cli.export.unzip"), err)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return errors.New(l.T("cli.export.nonempty", dir))
	}
	for _, f := range zr.File {
		_, rel, ok := strings.Cut(f.Name, "/")
		if !ok || rel == "" || strings.Contains(rel, "..") || filepath.IsAbs(rel) {
			return fmt.Errorf("the bundle holds an unexpected path %q", f.Name)
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("read %s from the bundle: %w", f.Name, err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
