package render

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/i18n"
)

// Method is how a text was obtained; it is recorded with each version.
type Method string

// The methods, in the order auto tries them.
const (
	MethodStatic  Method = "static"  // the page's own HTML
	MethodFrame   Method = "iframe"  // the document of an <iframe> on the page, fetched
	MethodData    Method = "data"    // the JSON data of the page's script app
	MethodBrowser Method = "browser" // the DOM after Chromium ran the page's scripts
)

// ErrNoBrowser marks a page that needs a browser where none is installed.
var ErrNoBrowser = errors.New("render: no browser installed")

// NeedBrowserError is the failure of a target whose page needs a browser
// when none can be started. Its text is the catalogue's render.need_browser
// in the configured language.
type NeedBrowserError struct {
	Lang  i18n.Lang
	Cause error
}

func (e *NeedBrowserError) Error() string {
	return e.Lang.T("render.need_browser") + " (" + e.Cause.Error() + ")"
}

// Unwrap returns ErrNoBrowser and the cause.
func (e *NeedBrowserError) Unwrap() []error { return []error{ErrNoBrowser, e.Cause} }

// Fetcher fetches one document; the monitor's polite *fetch.Client.
type Fetcher interface {
	Fetch(ctx context.Context, r fetch.Request) (*fetch.Response, error)
}

// Result is a text found by another method than the page's own HTML.
type Result struct {
	Method Method
	// URL is the address of the document the text came from (the frame's
	// for MethodFrame, the page's otherwise).
	URL  string
	Text string
	// Raw is that document as the text was extracted from it: the frame
	// as fetched, or the rendered HTML (UTF-8). MediaType and Charset
	// describe Raw.
	Raw                []byte
	MediaType, Charset string
	// HTML is that document decoded (the links to past versions are read
	// from it).
	HTML string
}

// Resolver finds the policy text of pages whose static HTML does not hold
// it. It is safe for concurrent use.
type Resolver struct {
	fetch   Fetcher
	browser *Browser
	logger  *slog.Logger
}

// NewResolver returns a Resolver fetching through f and rendering with b
// (nil: no browser; pages that need one fail with NeedBrowserError).
func NewResolver(f Fetcher, b *Browser, logger *slog.Logger) *Resolver {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Resolver{fetch: f, browser: b, logger: logger}
}

// Alternative looks for the policy of page elsewhere, once the page's own
// text was refused: in its frames (fetched statically), in its script
// app's data, and, when the page is a script app, in the DOM the browser
// renders. It returns nil and no error when the page shows no sign of
// holding its text elsewhere: the caller's own refusal stands.
func (r *Resolver) Alternative(ctx context.Context, page *fetch.Response, rules extract.Rules, accept Accept, lang i18n.Lang) (*Result, error) {
	a := Analyze(page.URL, page.Text)
	for _, u := range a.Frames {
		if res := r.frame(ctx, u, rules, accept); res != nil {
			return res, nil
		}
	}
	for _, d := range a.Data {
		if text := DataText(d, accept); text != "" {
			return &Result{Method: MethodData, URL: page.URL, Text: text, Raw: page.Raw, MediaType: page.MediaType, Charset: page.Charset, HTML: page.Text}, nil
		}
	}
	if !a.NeedsScript() {
		return nil, nil
	}
	r.logger.Debug("page is a script app; rendering it", "url", fetch.RedactURL(page.URL), "signs", a.Shell)
	return r.Render(ctx, page, rules, lang)
}

// frame fetches one frame's document and returns its text when accepted.
func (r *Resolver) frame(ctx context.Context, u string, rules extract.Rules, accept Accept) *Result {
	resp, err := r.fetch.Fetch(ctx, fetch.Request{URL: u})
	if err != nil || resp.NotModified {
		r.logger.Debug("frame not read", "url", fetch.RedactURL(u), slog.Any("error", err))
		return nil
	}
	text, err := extract.Content(resp.Text, resp.MediaType, rules)
	if err != nil || accept(text) != nil {
		return nil
	}
	return &Result{Method: MethodFrame, URL: resp.URL, Text: text, Raw: resp.Raw, MediaType: resp.MediaType, Charset: resp.Charset, HTML: resp.Text}
}

// Render renders page in the browser and extracts its text with rules.
// The browser gets the page's own bytes for the page's address (so the
// rendered DOM is of the very response the caller stores) and may fetch
// only from the page's site and the hosts of its assets.
func (r *Resolver) Render(ctx context.Context, page *fetch.Response, rules extract.Rules, lang i18n.Lang) (*Result, error) {
	if r.browser == nil {
		return nil, &NeedBrowserError{Lang: lang, Cause: errors.New("no browser configured")}
	}
	a := Analyze(page.URL, page.Text)
	out, err := r.browser.Render(ctx, Job{
		URL: page.URL, Body: page.Raw, ContentType: page.Header.Get("Content-Type"),
		Assets: a.Assets, Selector: rules.Selector,
	})
	if err != nil {
		if errors.Is(err, ErrNoBrowser) {
			return nil, &NeedBrowserError{Lang: lang, Cause: err}
		}
		return nil, fmt.Errorf("%s: %w", lang.T("render.browser_failed", fetch.RedactURL(page.URL)), err)
	}
	text, err := extract.HTML(out.HTML, rules)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.T("render.no_policy"), err)
	}
	return &Result{Method: MethodBrowser, URL: out.URL, Text: text, Raw: []byte(out.HTML), MediaType: "text/html", Charset: "utf-8", HTML: out.HTML}, nil
}
