package render

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdpfetch "github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/publicsuffix"

	"github.com/monitord/monitord/internal/chromium"
)

// Job is one page to render.
type Job struct {
	// URL is the page's address; the browser is served Body for it instead
	// of fetching it again, so the DOM is built from the response the
	// caller stores.
	URL         string
	Body        []byte
	ContentType string
	// Assets are further hosts the page may load from (see
	// Analysis.Assets); the page's own site is always allowed.
	Assets []string
	// Selector, when set, is the policy signal: rendering is done once it
	// matches an element with text. Without it the signal is policy words
	// in the page's text.
	Selector string
	// Timeout, when positive, bounds this page instead of the Browser's.
	Timeout time.Duration
}

// Rendered is the outcome of a Job.
type Rendered struct {
	// URL is the document's address after rendering (the page's own:
	// navigations away are blocked).
	URL  string
	HTML string
	// Requests counts the requests the page made, Blocked those refused.
	Requests, Blocked int
	// Signal reports whether the policy signal was seen; Idle whether the
	// network was idle when the DOM was read.
	Signal, Idle bool
	Duration     time.Duration
}

// BrowserOptions configures a Browser.
type BrowserOptions struct {
	// Executable is the configured [fetch] browser ("chromium": looked up
	// on PATH, with the usual other names of Chromium).
	Executable string
	// Concurrency bounds the pages rendered at once (default 2).
	Concurrency int
	// Timeout bounds one page, from the first request to the DOM read
	// (default 30s: the fetch timeout).
	Timeout time.Duration
	Logger  *slog.Logger
}

// Timing of a render.
const (
	// idleQuiet is how long the network must be quiet to count as idle.
	idleQuiet = 500 * time.Millisecond
	// pollEvery is how often the page is asked whether it is done.
	pollEvery = 100 * time.Millisecond
	// evalTimeout bounds one question to the page; a page whose script
	// never yields does not answer and runs into the job's deadline.
	evalTimeout = 2 * time.Second
	// maxRendersPerProcess restarts the browser after so many pages, which
	// bounds the memory a long-running process accumulates.
	maxRendersPerProcess = 200
)

// Browser owns one headless Chromium process, started when the first page
// needs it and restarted when it crashes, after a page that failed in it
// (hung, or never showed its policy), and after maxRendersPerProcess pages. Close stops it. At most Concurrency pages
// render at once, each in its own tab, closed after the page. It is safe for
// concurrent use.
type Browser struct {
	opts BrowserOptions
	sem  chan struct{}

	mu      sync.Mutex
	proc    *chromium.Browser
	renders int // pages rendered by proc
	closed  bool

	starts, pages atomic.Int64
}

// NewBrowser returns a Browser; nothing is started until Render.
func NewBrowser(o BrowserOptions) *Browser {
	if o.Concurrency < 1 {
		o.Concurrency = 2
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Browser{opts: o, sem: make(chan struct{}, o.Concurrency)}
}

// Starts reports how many browser processes were started so far.
func (b *Browser) Starts() int64 { return b.starts.Load() }

// PID is the browser process's id, 0 when none runs (benchmarks read its
// memory).
func (b *Browser) PID() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.proc == nil {
		return 0
	}
	if c := chromedp.FromContext(b.proc.Context()); c != nil && c.Browser != nil {
		if p := c.Browser.Process(); p != nil {
			return p.Pid
		}
	}
	return 0
}

// Close stops the browser process; renders in flight fail.
func (b *Browser) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return b.stopLocked()
}

func (b *Browser) stopLocked() error {
	if b.proc == nil {
		return nil
	}
	err := b.proc.Close()
	b.proc, b.renders = nil, 0
	return err
}

// process returns the running browser, starting one when none runs or the
// last one died or is due for a restart.
func (b *Browser) process() (*chromium.Browser, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, errors.New("render: the browser is shut down")
	}
	if b.proc != nil && (b.proc.Context().Err() != nil || b.renders >= maxRendersPerProcess) {
		if b.proc.Context().Err() != nil {
			b.opts.Logger.Warn("browser process is gone; starting a new one")
		}
		_ = b.stopLocked()
	}
	if b.proc == nil {
		exe, err := chromium.Find(b.opts.Executable)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNoBrowser, err)
		}
		// Site isolation off: a cross-site frame then stays in the page's
		// process, so the request filter of the page sees its requests too.
		// The profile is fresh and empty, so there is nothing to isolate.
		p, err := chromium.Start(context.Background(), exe,
			chromedp.Flag("disable-features", "SitePerProcess,IsolateOrigins,site-per-process"),
			chromedp.Flag("disable-site-isolation-trials", true),
			chromedp.Flag("block-new-web-contents", true),
		)
		if err != nil {
			return nil, err
		}
		b.proc = p
		b.starts.Add(1)
		b.opts.Logger.Info("browser started", "executable", exe)
	}
	b.renders++
	return b.proc, nil
}

// restart stops p, if it is still the running browser, so that the next
// page starts a new process.
func (b *Browser) restart(p *chromium.Browser) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.proc == p {
		b.opts.Logger.Warn("a page failed in the browser; restarting it")
		_ = b.stopLocked()
	}
}

// Render renders one page. It waits for a free slot (ctx bounds the wait),
// then for the network to be idle and the policy signal to show, bounded by
// the Timeout; a page that never settles is read as it is at the deadline
// when the signal showed, and fails otherwise.
func (b *Browser) Render(ctx context.Context, job Job) (*Rendered, error) {
	select {
	case b.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-b.sem }()
	p, err := b.process()
	if err != nil {
		return nil, err
	}
	out, err := b.render(ctx, p, job)
	if err != nil && ctx.Err() == nil {
		// A page that did not settle may leave its renderer spinning, and
		// with site isolation off the next page of that site would share
		// it: a failed page costs the process, the next one starts fresh.
		b.restart(p)
	}
	b.pages.Add(1)
	return out, err
}

func (b *Browser) render(ctx context.Context, p *chromium.Browser, job Job) (*Rendered, error) {
	start := time.Now()
	target, err := url.Parse(job.URL)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	allow := newHostFilter(target, job.Assets)

	tab, closeTab := p.Tab()
	defer closeTab()
	timeout := b.opts.Timeout
	if job.Timeout > 0 {
		timeout = job.Timeout
	}
	tctx, cancel := context.WithTimeout(tab, timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel) // the caller's shutdown ends the page too
	defer stop()
	if err := chromedp.Do(tctx); err != nil {
		return nil, fmt.Errorf("render: open a tab: %w", err)
	}

	t := &tracker{job: job, allow: allow, last: time.Now()}
	q := newQueue()
	if err := chromedp.Listen(tctx, q.push); err != nil {
		return nil, fmt.Errorf("render: listen: %w", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.serve(tctx, q)
	}()
	defer wg.Wait()
	defer cancel()

	if _, err := chromedp.Call(tctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: noPopups,
	}); err != nil {
		return nil, fmt.Errorf("render: prepare the tab: %w", err)
	}
	if _, err := chromedp.Call(tctx, cdpfetch.Enable, cdpfetch.EnableParams{
		Patterns: []*cdpfetch.RequestPattern{{URLPattern: "*"}},
	}); err != nil {
		return nil, fmt.Errorf("render: enable the request filter: %w", err)
	}
	if res, err := chromedp.Call(tctx, page.Navigate, page.NavigateParams{URL: job.URL}); err != nil {
		return nil, fmt.Errorf("render: navigate: %w", err)
	} else if res.ErrorText != "" {
		return nil, fmt.Errorf("render: navigate: %s", res.ErrorText)
	}

	deadline, _ := tctx.Deadline()
	readBy := deadline.Add(-min(3*time.Second, timeout/5))
	signalJS := signalScript(job.Selector)
	var signal, idle bool
	for {
		if err := sleepCtx(tctx, pollEvery); err != nil {
			return nil, timeoutErr(ctx, err, timeout, signal)
		}
		signal = evalBool(tctx, signalJS)
		idle = t.idle(time.Now())
		if signal && idle {
			break
		}
		if time.Now().After(readBy) {
			if !signal {
				return nil, fmt.Errorf("render: no policy text appeared within %s (network idle: %v)", timeout, idle)
			}
			break // read what the page shows; it keeps fetching but the policy is there
		}
	}
	ectx, ecancel := context.WithTimeout(tctx, evalTimeout)
	html, err := chromedp.Run(ectx, chromedp.Evaluate[string](`"<!DOCTYPE html>\n" + document.documentElement.outerHTML`))
	ecancel()
	if err != nil {
		return nil, fmt.Errorf("render: read the DOM: %w", err)
	}
	loc, _ := chromedp.Run(tctx, chromedp.Location())
	cancel()
	wg.Wait()
	req, blocked := t.counts()
	return &Rendered{URL: loc, HTML: html, Requests: req, Blocked: blocked, Signal: signal, Idle: idle, Duration: time.Since(start)}, nil
}

func timeoutErr(ctx context.Context, err error, timeout time.Duration, signal bool) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("render: the page did not settle within %s (policy signal: %v): %w", timeout, signal, err)
}

// noPopups runs in every frame before the page's scripts: window.open
// opens nothing, so a page cannot start tabs the request filter does not see.
const noPopups = `(() => { const none = () => null; try { Object.defineProperty(window, "open", {value: none, writable: false}); } catch (e) { window.open = none; } })();`

// signalScript returns the JavaScript expression that is true once the
// policy shows: the selector matches an element with text, or the text of
// the page holds at least three policy words and 200 characters.
func signalScript(selector string) string {
	if selector != "" {
		return fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.textContent.trim().length > 0; })()`, selector)
	}
	return `(() => { const b = document.body; if (!b) return false; const t = (b.innerText || "").replace(/\s+/g, ""); if (t.length < 100) return false;
const w = ["개인정보","수집","보유","파기","제3자","위탁","동의","처리방침","privacy","personal","cookie","retention"]; const l = t.toLowerCase(); let n = 0;
for (const x of w) if (l.includes(x)) n++; return n >= 3; })()`
}

func evalBool(ctx context.Context, js string) bool {
	ectx, cancel := context.WithTimeout(ctx, evalTimeout)
	defer cancel()
	v, err := chromedp.Run(ectx, chromedp.Evaluate[bool](js))
	return err == nil && v
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// hostFilter allows the page's own site (its registrable domain, or its
// host when it has none, like an IP address) and the asset hosts.
type hostFilter struct {
	site  string
	hosts map[string]bool
}

func newHostFilter(u *url.URL, assets []string) hostFilter {
	f := hostFilter{site: siteOf(u.Hostname()), hosts: map[string]bool{u.Host: true}}
	for _, h := range assets {
		f.hosts[h] = true
	}
	return f
}

func siteOf(host string) string {
	if s, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return s
	}
	return host
}

func (f hostFilter) allows(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob":
		return true
	case "http", "https":
	default:
		return false
	}
	return f.hosts[u.Host] || siteOf(u.Hostname()) == f.site
}

// tracker answers the tab's paused requests and dialogs and counts the
// requests in flight, from one goroutine per render.
type tracker struct {
	job   Job
	allow hostFilter

	mu        sync.Mutex
	mainFrame cdp.FrameID
	inflight  map[network.RequestID]bool
	last      time.Time
	requests  int
	blocked   int
}

func (t *tracker) idle(now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.mainFrame != "" && len(t.inflight) == 0 && now.Sub(t.last) >= idleQuiet
}

func (t *tracker) counts() (int, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.requests, t.blocked
}

func (t *tracker) serve(ctx context.Context, q *queue) {
	for {
		ev, ok := q.pop(ctx)
		if !ok {
			return
		}
		switch ev := ev.(type) {
		case *cdpfetch.EventRequestPaused:
			t.paused(ctx, ev)
		case *page.EventJavascriptDialogOpening:
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		case *network.EventRequestWillBeSent:
			t.mu.Lock()
			if t.inflight == nil {
				t.inflight = map[network.RequestID]bool{}
			}
			t.inflight[ev.RequestID] = true
			t.last = time.Now()
			t.mu.Unlock()
		case *network.EventLoadingFinished:
			t.done(ev.RequestID)
		case *network.EventLoadingFailed:
			t.done(ev.RequestID)
		}
	}
}

func (t *tracker) done(id network.RequestID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.inflight, id)
	t.last = time.Now()
}

func (t *tracker) paused(ctx context.Context, ev *cdpfetch.EventRequestPaused) {
	t.mu.Lock()
	t.requests++
	first := t.mainFrame == "" && ev.ResourceType == network.ResourceTypeDocument
	away := !first && ev.ResourceType == network.ResourceTypeDocument && ev.FrameID == t.mainFrame
	if first {
		t.mainFrame = ev.FrameID
	}
	ok := !away && (first || t.allow.allows(ev.Request.URL))
	if !ok {
		t.blocked++
	}
	t.mu.Unlock()
	switch {
	case first:
		// The page itself: the bytes the caller fetched and stores.
		headers := []*cdpfetch.HeaderEntry{{Name: "Content-Type", Value: t.job.ContentType}}
		if t.job.ContentType == "" {
			headers[0].Value = "text/html; charset=utf-8"
		}
		_, _ = chromedp.Call(ctx, cdpfetch.FulfillRequest, cdpfetch.FulfillRequestParams{
			RequestID: ev.RequestID, ResponseCode: 200, ResponseHeaders: headers, Body: t.job.Body,
		})
	case away:
		// A navigation of the page away from itself: answered with 204 No
		// Content, which leaves the page where it is (a refused request
		// would replace it with the browser's error page).
		_, _ = chromedp.Call(ctx, cdpfetch.FulfillRequest, cdpfetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 204})
	case ok:
		_, _ = chromedp.Call(ctx, cdpfetch.ContinueRequest, cdpfetch.ContinueRequestParams{RequestID: ev.RequestID})
	default:
		_, _ = chromedp.Call(ctx, cdpfetch.FailRequest, cdpfetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
	}
}

// queue hands the tab's events from chromedp's read loop (which must not
// block) to the tracker's goroutine, unbounded: a paused request that were
// dropped would hang until the deadline.
type queue struct {
	mu    sync.Mutex
	items []any
	ready chan struct{}
}

func newQueue() *queue { return &queue{ready: make(chan struct{}, 1)} }

func (q *queue) push(ev any) {
	switch ev.(type) {
	case *cdpfetch.EventRequestPaused, *page.EventJavascriptDialogOpening,
		*network.EventRequestWillBeSent, *network.EventLoadingFinished, *network.EventLoadingFailed:
	default:
		return
	}
	q.mu.Lock()
	q.items = append(q.items, ev)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

func (q *queue) pop(ctx context.Context) (any, bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			ev := q.items[0]
			q.items[0] = nil
			q.items = q.items[1:]
			q.mu.Unlock()
			return ev, true
		}
		q.mu.Unlock()
		select {
		case <-q.ready:
		case <-ctx.Done():
			return nil, false
		}
	}
}
