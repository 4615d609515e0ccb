package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/table"
)

// extractFlags are the flags of extract.
type extractFlags struct {
	config, target, selector, format string
	exclude                          []string
	text                             bool
}

func (a *app) extractCmd() *cobra.Command {
	var f extractFlags
	c := a.command("extract", "extract", []string{"[URL|FILE|-]"}, func(cmd *cobra.Command, args []string) error {
		return cmdExtract(cmd.Context(), a.e, f, args)
	})
	fs := c.Flags()
	a.configFlag(fs, &f.config, "")
	fs.StringVar(&f.target, "target", "", a.l.T("cli.flag.extract_target"))
	flagValue(fs, "target", "NAME")
	fs.StringVar(&f.selector, "selector", "", a.l.T("cli.flag.selector"))
	flagValue(fs, "selector", "SELECTOR")
	fs.StringArrayVar(&f.exclude, "exclude", nil, a.l.T("cli.flag.exclude"))
	flagValue(fs, "exclude", "SELECTOR")
	a.formatFlag(fs, &f.format)
	fs.BoolVar(&f.text, "text", false, a.l.T("cli.flag.text"))
	return c
}

func cmdExtract(ctx context.Context, e *env, f extractFlags, args []string) error {
	if err := checkFormat(e.lang, f.format); err != nil {
		return err
	}
	var cfg *config.Config
	if f.config != "" || f.target != "" {
		p := f.config
		if p == "" {
			p = defaultConfigPath
		}
		var err error
		if cfg, err = loadReadingConfig(e, p); err != nil {
			return err
		}
	}
	l := e.lang
	if cfg != nil {
		l = i18n.Parse(cfg.Language)
	}
	rules := extract.Rules{Selector: f.selector, Exclude: f.exclude}
	src := ""
	if len(args) > 0 {
		src = args[0]
	}
	if f.target != "" {
		t, ok := cfg.Target(f.target)
		if !ok {
			return &usageError{msg: l.T("cli.error.no_target", f.target), hint: "monitord targets"}
		}
		if src == "" {
			src = t.URL
		}
		if f.selector == "" && len(f.exclude) == 0 {
			rules = extract.Rules{Selector: t.Selector, Exclude: t.Exclude}
		}
	}
	if src == "" {
		return &usageError{msg: l.T("cli.usage.extract_src"), hint: "monitord extract https://example.kr/privacy"}
	}

	body, mediaType, err := load(ctx, e, cfg, src)
	if err != nil {
		return err
	}
	text, err := extract.Content(body, mediaType, rules)
	if err != nil {
		return fmt.Errorf("extract %s: %w", src, err)
	}
	doc := policy.Parse(text)
	if f.format == "json" {
		out := struct {
			Source   string           `json:"source"`
			Rules    extract.Rules    `json:"rules"`
			Document *policy.Document `json:"document"`
			Text     string           `json:"text,omitempty"`
		}{Source: src, Rules: rules, Document: doc}
		if f.text {
			out.Text = text
		}
		return writeJSON(e.stdout, out)
	}
	printOutline(e.stdout, l, text, doc)
	if f.text {
		fmt.Fprintln(e.stdout, "\n"+l.T("cli.extract.text"))
		fmt.Fprintln(e.stdout, text)
	}
	return nil
}

// load reads src (a URL, a file or "-") and returns its text decoded to
// UTF-8 and its media type.
func load(ctx context.Context, e *env, cfg *config.Config, src string) (string, string, error) {
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		if cfg == nil {
			var err error
			if cfg, err = config.Parse(nil, "(defaults)", e.getenv); err != nil {
				return "", "", err
			}
		}
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		resp, err := fetch.New(monitor.FetchOptions(cfg, nil, nil)).Fetch(ctx, fetch.Request{URL: src})
		if err != nil {
			return "", "", fmt.Errorf("fetch %s: %w", src, err)
		}
		return resp.Text, resp.MediaType, nil
	}
	var (
		b   []byte
		err error
	)
	if src == "-" {
		b, err = io.ReadAll(io.LimitReader(e.stdin, 64<<20))
	} else {
		b, err = os.ReadFile(src)
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", "", &usageError{msg: e.lang.T("cli.error.no_file", src), hint: "monitord extract page.html"}
		}
		return "", "", fmt.Errorf("read %s: %w", src, err)
	}
	mediaType := "text/html"
	switch strings.ToLower(filepath.Ext(src)) {
	case ".md", ".markdown":
		mediaType = "text/markdown"
	case ".txt":
		mediaType = "text/plain"
	}
	text, _, err := fetch.Decode(b, mediaType)
	if err != nil {
		return "", "", fmt.Errorf("decode %s: %w", src, err)
	}
	return text, mediaType, nil
}

func printOutline(w io.Writer, l i18n.Lang, text string, doc *policy.Document) {
	lines := strings.Count(text, "\n") + 1
	fmt.Fprintln(w, l.T("cli.extract.counts", lines, utf8.RuneCountInString(text), len(doc.Sections)))
	for _, x := range documentDates(l, doc) {
		if x.ref != nil {
			fmt.Fprintln(w, l.T("cli.extract.date", x.label, x.ref.Date, x.ref.Line, x.ref.Label, x.ref.Text))
		} else {
			fmt.Fprintln(w, l.T("cli.extract.no_date", x.label))
		}
	}
	if p := doc.Promise; p != nil {
		if p.ImportantDays > 0 {
			fmt.Fprintln(w, l.T("cli.extract.promise2", l.T("days", p.Days), l.T("days", p.ImportantDays), p.Line, p.Text))
		} else {
			fmt.Fprintln(w, l.T("cli.extract.promise", l.T("days", p.Days), p.Line, p.Text))
		}
	}
	for _, h := range doc.History {
		fmt.Fprintln(w, l.T("cli.extract.history", h.From, dash(h.To.String()), h.Line, h.Text))
	}
	if len(doc.TOC) > 0 {
		fmt.Fprintln(w, l.T("cli.extract.toc", len(doc.TOC)))
	}
	fmt.Fprintln(w)
	tw := table.New(w)
	tw.Row(l.T("cli.extract.header"))
	for _, s := range doc.Sections {
		title := s.Title
		if s.Heading == "" && title == "" {
			title = "(" + categoryText(l, s.Category) + ")"
		}
		tw.Row(fmt.Sprintf("%d\t%d-%d\t%s\t%s%s", s.Level, s.Start, s.End, categoryText(l, s.Category), strings.Repeat("  ", max(s.Level-1, 0)), title))
	}
	tw.Flush()
}
