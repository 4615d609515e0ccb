package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/monitor"
	"github.com/monitord/monitord/internal/policy"
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
	if err := checkFormat(f.format); err != nil {
		return err
	}
	cfgPath, targetName, selector, exclude, format, textOnly := &f.config, &f.target, &f.selector, f.exclude, &f.format, &f.text
	var cfg *config.Config
	if *cfgPath != "" || *targetName != "" {
		p := *cfgPath
		if p == "" {
			p = defaultConfigPath
		}
		var err error
		if cfg, err = loadReadingConfig(e, p); err != nil {
			return err
		}
	}
	rules := extract.Rules{Selector: *selector, Exclude: exclude}
	src := ""
	if len(args) > 0 {
		src = args[0]
	}
	if *targetName != "" {
		t, ok := cfg.Target(*targetName)
		if !ok {
			return &usageError{msg: fmt.Sprintf("no target named %q", *targetName), hint: "monitord targets"}
		}
		if src == "" {
			src = t.URL
		}
		if *selector == "" && len(exclude) == 0 {
			rules = extract.Rules{Selector: t.Selector, Exclude: t.Exclude}
		}
	}
	if src == "" {
		return &usageError{msg: "extract takes one URL, FILE or -", hint: "monitord extract https://example.kr/privacy"}
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
	if *format == "json" {
		out := struct {
			Source   string           `json:"source"`
			Rules    extract.Rules    `json:"rules"`
			Document *policy.Document `json:"document"`
			Text     string           `json:"text,omitempty"`
		}{Source: src, Rules: rules, Document: doc}
		if *textOnly {
			out.Text = text
		}
		return writeJSON(e.stdout, out)
	}
	printOutline(e.stdout, text, doc)
	if *textOnly {
		fmt.Fprintln(e.stdout, "\n--- text ---")
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
			return "", "", &usageError{msg: fmt.Sprintf("no such file: %s", src), hint: "monitord extract page.html"}
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

func printOutline(w io.Writer, text string, doc *policy.Document) {
	lines := strings.Count(text, "\n") + 1
	fmt.Fprintf(w, "%d lines, %d characters, %d sections\n", lines, utf8.RuneCountInString(text), len(doc.Sections))
	for _, x := range []struct {
		label string
		ref   *policy.DateRef
	}{{"공고일자", doc.Announced}, {"시행일자", doc.Effective}, {"개정일", doc.Revised}} {
		if x.ref != nil {
			fmt.Fprintf(w, "%s  %s  line %d (%s): %s\n", x.label, x.ref.Date, x.ref.Line, x.ref.Label, x.ref.Text)
		} else {
			fmt.Fprintf(w, "%s  -\n", x.label)
		}
	}
	if p := doc.Promise; p != nil {
		if p.ImportantDays > 0 {
			fmt.Fprintf(w, "promise   %d days (important changes: %d days)  line %d: %s\n", p.Days, p.ImportantDays, p.Line, p.Text)
		} else {
			fmt.Fprintf(w, "promise   %d days  line %d: %s\n", p.Days, p.Line, p.Text)
		}
	}
	for _, h := range doc.History {
		fmt.Fprintf(w, "history   %s ~ %s  line %d: %s\n", h.From, dash(h.To.String()), h.Line, h.Text)
	}
	if len(doc.TOC) > 0 {
		fmt.Fprintf(w, "contents  %d entries (kept out of the sections)\n", len(doc.TOC))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LEVEL\tLINES\tCATEGORY\tTITLE")
	for _, s := range doc.Sections {
		title := s.Title
		if s.Heading == "" && title == "" {
			title = "(" + string(s.Category) + ")"
		}
		fmt.Fprintf(tw, "%d\t%d-%d\t%s\t%s%s\n", s.Level, s.Start, s.End, s.Category, strings.Repeat("  ", max(s.Level-1, 0)), title)
	}
	tw.Flush()
}
