package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/monitord/monitord/internal/i18n"
	retryhttp "github.com/monitord/monitord/internal/retry"
)

// DefaultUserAgent names monitord to the sites it reads.
const DefaultUserAgent = "monitord/0.1 (+https://github.com/monitord/monitord; privacy policy change monitor)"

// Defaults applied by New to zero Options fields.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxBodyBytes   = 10 << 20
	DefaultMaxRedirects   = 10
	DefaultRetryBase      = time.Second
	DefaultMaxRetryWait   = 60 * time.Second
	DefaultConcurrency    = 8
	DefaultPerHost        = 2
)

// acceptHeader prefers HTML, then the plain-text and Markdown forms some apps
// publish their policy in.
const acceptHeader = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,text/markdown;q=0.8,*/*;q=0.5"

// Options configure a Client. Zero values take the defaults named on each
// field.
type Options struct {
	// UserAgent is sent with every request (default DefaultUserAgent).
	UserAgent string
	// ConnectTimeout bounds dialing and the TLS handshake (default 10s).
	ConnectTimeout time.Duration
	// Timeout bounds one attempt: connect, headers and body (default 30s).
	Timeout time.Duration
	// MaxBodyBytes caps the body after decompression (default 10 MiB).
	MaxBodyBytes int64
	// MaxRedirects is how many redirects are followed (default 10; a
	// negative value follows none).
	MaxRedirects int
	// Retries is how many extra attempts one Fetch makes after a transient
	// failure: timeouts, connection errors, 408, 429 and 5xx. Zero means no
	// retry.
	Retries int
	// RetryBase is the first backoff wait; each retry doubles it, with
	// jitter (default 1s). A Retry-After header replaces the backoff.
	RetryBase time.Duration
	// MaxRetryWait caps any wait between attempts, Retry-After included
	// (default 60s).
	MaxRetryWait time.Duration
	// Concurrency limits requests in flight across all hosts (default 8).
	Concurrency int
	// PerHost limits requests in flight to one host name (default 2). The
	// host is the requested URL's; a redirect elsewhere counts against it.
	PerHost int
	// HostInterval is the minimum gap between the starts of two requests to
	// the same host name (default 0: none).
	HostInterval time.Duration
	// Logger receives retry and debug logs (default: discard).
	Logger *slog.Logger
	// Transport replaces the default tuned *http.Transport, for tests.
	Transport http.RoundTripper
	// Now is the clock (default time.Now). It dates Retry-After and
	// HostInterval decisions and measures Response.Duration.
	Now func() time.Time
}

// Request names what to fetch. ETag and LastModified, from the previous
// Response, make the request conditional.
type Request struct {
	URL          string
	ETag         string
	LastModified string
}

// Response is the outcome of a Fetch.
type Response struct {
	// URL is the final URL after redirects.
	URL string
	// Status is the HTTP status code of the final response.
	Status int
	// NotModified is true when a conditional request got 304; Raw and Text
	// are then empty.
	NotModified bool
	// Header is the final response's header.
	Header http.Header
	// MediaType is the lower-case media type, e.g. "text/html",
	// "text/plain" or "text/markdown" (also for .md files served as plain
	// text or without a type); sniffed when the server sends none.
	MediaType string
	// Charset is the canonical name of the charset Text was decoded from
	// ("utf-8", "euc-kr", ...); empty when the body is not textual.
	Charset string
	// Raw is the body as received, after gzip decoding, capped at
	// MaxBodyBytes.
	Raw []byte
	// Text is Raw decoded to valid UTF-8, for textual media types only.
	Text string
	// ETag and LastModified are the validators to send next time; on a 304
	// without them, the request's values are carried over.
	ETag         string
	LastModified string
	// Attempts is how many attempts this Fetch made.
	Attempts int
	// Duration is the wall time of the whole Fetch, waits included.
	Duration time.Duration
}

// Client fetches pages politely. It is safe for concurrent use; build one
// per process and share it.
type Client struct {
	o      Options
	hc     *http.Client
	log    *slog.Logger
	now    func() time.Time
	global chan struct{}

	mu    sync.Mutex
	hosts map[string]*hostSlot

	// sleep waits d or until ctx ends; tests replace it to observe waits.
	sleep func(ctx context.Context, d time.Duration) error
}

// hostSlot is the per-host limiter state.
type hostSlot struct {
	sem  chan struct{}
	next time.Time // earliest start of the next request (HostInterval)
	refs int       // Fetches holding or waiting for this slot
}

// New builds a Client, its http.Client and (unless Options.Transport is
// set) its connection pool. Zero option fields take their defaults.
func New(o Options) *Client {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = DefaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	o.Retries = max(o.Retries, 0)
	if o.RetryBase <= 0 {
		o.RetryBase = DefaultRetryBase
	}
	if o.MaxRetryWait <= 0 {
		o.MaxRetryWait = DefaultMaxRetryWait
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	o.HostInterval = max(o.HostInterval, 0)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	tr := o.Transport
	if tr == nil {
		tr = newTransport(o)
	}
	c := &Client{
		o:      o,
		log:    o.Logger,
		now:    o.Now,
		global: make(chan struct{}, o.Concurrency),
		hosts:  make(map[string]*hostSlot),
		sleep:  sleepCtx,
	}
	c.hc = &http.Client{
		Transport:     tr,
		CheckRedirect: c.checkRedirect,
	}
	return c
}

// newTransport builds the connection pool: connect timeout on dial and TLS,
// a header timeout, keep-alives sized to the per-host limit, and automatic
// gzip (the transport asks for it and decompresses, and the body cap applies
// to the decompressed stream).
func newTransport(o Options) *http.Transport {
	d := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ResponseHeaderTimeout: o.Timeout,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          max(100, o.Concurrency*2),
		MaxIdleConnsPerHost:   o.PerHost,
		IdleConnTimeout:       90 * time.Second,
	}
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.o.MaxRedirects {
		return fmt.Errorf("%w: more than %d, the last to %s; fix the target URL or raise the limit",
			ErrTooManyRedirects, c.o.MaxRedirects, redact(req.URL))
	}
	return nil
}

// Fetch downloads r.URL. It returns the Response and nil on a 2xx, or on a
// 304 answering a conditional request (NotModified). On any other final
// status it returns the Response and a *StatusError. Transient failures are
// retried up to Options.Retries times; ctx ends any wait at once.
func (c *Client) Fetch(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		safe := RedactURL(r.URL)
		return nil, &Error{Kind: CodeInvalidURL, URL: safe, msgs: []i18n.Msg{i18n.M("fetch.error.invalid_url", safe)},
			err: fmt.Errorf("fetch: invalid URL %q: it must be an absolute http or https URL", safe)}
	}
	safe := redact(u)
	start := c.now()
	total := c.o.Retries + 1
	for attempt := 1; ; attempt++ {
		resp, retryAfter, retry, err := c.attempt(ctx, u, r)
		if resp != nil {
			resp.Attempts = attempt
			resp.Duration = c.now().Sub(start)
		}
		if err == nil {
			c.decodeBody(resp)
			c.log.Debug("fetched", slog.String("url", safe), slog.Int("status", resp.Status),
				slog.Bool("not_modified", resp.NotModified), slog.Int("bytes", len(resp.Raw)),
				slog.String("charset", resp.Charset), slog.Int("attempts", attempt),
				slog.Duration("duration", resp.Duration))
			return resp, nil
		}
		if resp != nil {
			c.decodeBody(resp) // an error page is still recorded by callers
		}
		if ctx.Err() != nil {
			return resp, stopped(fmt.Errorf("fetch: GET %s: stopped: %w", safe, context.Cause(ctx)), safe, attempt)
		}
		if !retry || attempt >= total {
			return resp, c.localize(wrapFinal(err, safe, attempt), u, safe, attempt)
		}
		wait := c.backoff(attempt, retryAfter)
		if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
			// The caller's deadline would pass while waiting: report the
			// failure now rather than sleep into a cancellation.
			return resp, c.localize(wrapFinal(err, safe, attempt), u, safe, attempt)
		}
		c.log.Info("fetch failed, will retry",
			slog.String("url", safe), slog.Int("attempt", attempt), slog.Int("attempts", total),
			slog.Duration("wait", wait), slog.Any("error", err))
		if serr := c.sleep(ctx, wait); serr != nil {
			return resp, stopped(fmt.Errorf("fetch: GET %s: stopped while waiting to retry: %w (last failure: %w)", safe, serr, err), safe, attempt)
		}
	}
}

// wrapFinal adds the URL and attempt count to an attempt's error, keeping
// the chain for errors.Is and errors.As.
func wrapFinal(err error, safe string, attempt int) error {
	where := "GET " + safe
	if attempt > 1 {
		where += fmt.Sprintf(", after %d attempts", attempt)
	}
	if strings.HasPrefix(err.Error(), "fetch: ") {
		return fmt.Errorf("%w (%s)", err, where)
	}
	return fmt.Errorf("fetch: %s: %w", where, err)
}

// decodeBody fills resp.Text and resp.Charset when the body is textual.
func (c *Client) decodeBody(resp *Response) {
	if resp.NotModified || !isTextual(resp.MediaType) {
		return
	}
	_, label := parseContentType(resp.Header.Get("Content-Type"))
	text, cs, err := decode(resp.Raw, resp.MediaType, label)
	if err != nil {
		// decode only fails if a decoder does; fall back to replacement so
		// callers always get valid UTF-8.
		c.log.Warn("fetch: decode failed", slog.String("url", RedactURL(resp.URL)), slog.Any("error", err))
		text, cs = string(bytes.ToValidUTF8(resp.Raw, []byte("\uFFFD"))), charsetUTF8
	}
	resp.Text, resp.Charset = text, cs
}

// isTextual reports whether a media type is worth decoding to text.
func isTextual(mt string) bool {
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+xml"):
		return true
	case mt == "application/xml", mt == "application/json":
		return true
	}
	return false
}

// attempt makes one request under the concurrency limits and the
// per-attempt timeout. retryAfter is negative when the server sent none;
// retry reports whether err is transient.
func (c *Client) attempt(ctx context.Context, u *url.URL, r Request) (resp *Response, retryAfter time.Duration, retry bool, err error) {
	retryAfter = -1
	release, err := c.acquire(ctx, strings.ToLower(u.Hostname()))
	if err != nil {
		return nil, retryAfter, false, err
	}
	defer release()

	errAttempt := fmt.Errorf("%w: no complete response within %s", ErrTimeout, c.o.Timeout)
	actx, cancel := context.WithTimeoutCause(ctx, c.o.Timeout, errAttempt)
	defer cancel()

	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, retryAfter, false, fmt.Errorf("fetch: build request: %w", err)
	}
	req.Header.Set("User-Agent", c.o.UserAgent)
	req.Header.Set("Accept", acceptHeader)
	req.Header.Set("Accept-Language", "ko-KR,ko;q=0.9,en;q=0.5")
	conditional := r.ETag != "" || r.LastModified != ""
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}

	res, err := c.hc.Do(req)
	if err != nil {
		err, retry = classify(actx, err)
		return nil, retryAfter, retry, err
	}
	defer res.Body.Close()

	resp = &Response{
		URL:          res.Request.URL.String(),
		Status:       res.StatusCode,
		Header:       res.Header,
		ETag:         res.Header.Get("ETag"),
		LastModified: res.Header.Get("Last-Modified"),
	}
	if res.StatusCode == http.StatusNotModified && conditional {
		resp.NotModified = true
		if resp.ETag == "" {
			resp.ETag = r.ETag
		}
		if resp.LastModified == "" {
			resp.LastModified = r.LastModified
		}
		return resp, retryAfter, false, nil
	}

	body, err := c.readBody(res)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return resp, retryAfter, false, err
		}
		err, retry = classify(actx, err)
		return nil, retryAfter, retry, err
	}
	resp.Raw = body
	resp.MediaType = mediaTypeOf(res.Header.Get("Content-Type"), res.Request.URL, body)

	if res.StatusCode >= 200 && res.StatusCode <= 299 {
		return resp, retryAfter, false, nil
	}
	if d, ok := retryhttp.ParseAfter(res.Header.Get("Retry-After"), c.now()); ok {
		retryAfter = d
	}
	se := &StatusError{Code: res.StatusCode, Status: res.Status}
	if retryAfter > 0 {
		se.RetryAfter = retryAfter
	}
	return resp, retryAfter, retryableStatus(res.StatusCode), se
}

// readBody reads at most MaxBodyBytes of the (decompressed) body. A gzip
// body the transport did not decode itself (a custom Transport, or gzip we
// did not ask for) is decoded here, under the same cap.
func (c *Client) readBody(res *http.Response) ([]byte, error) {
	limit := c.o.MaxBodyBytes
	tooLarge := fmt.Errorf("%w of %d bytes; raise max_body_bytes or point the target at a smaller page", ErrTooLarge, limit)
	var src io.Reader = res.Body
	size := int64(-1) // unknown
	if !res.Uncompressed && strings.EqualFold(strings.TrimSpace(res.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %w", errReadBody, err)
		}
		defer zr.Close()
		src = zr
		res.Header.Del("Content-Encoding")
		res.Header.Del("Content-Length")
	} else if n := res.ContentLength; n > limit {
		return nil, tooLarge
	} else if n > 0 {
		size = n
	}
	body, err := readAll(io.LimitReader(src, limit+1), size)
	if int64(len(body)) > limit {
		return nil, tooLarge
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errReadBody, err)
	}
	return body, nil
}

// readChunk is the size of the pieces a body of unknown length is read in.
const readChunk = 32 << 10

var chunkPool = sync.Pool{New: func() any { b := make([]byte, readChunk); return &b }}

// readAll reads r to its end into a buffer of its own. With the size known
// (Content-Length) the buffer is that size, with room to see the end;
// otherwise (chunked or gzip bodies) r is read in pooled pieces copied once
// into a buffer of the exact length, instead of a buffer grown by doubling
// that copies the body several times and keeps up to twice its size.
func readAll(r io.Reader, size int64) ([]byte, error) {
	if size > 0 {
		buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
		_, err := buf.ReadFrom(r)
		return buf.Bytes(), err
	}
	var chunks []*[]byte
	defer func() {
		for _, c := range chunks {
			chunkPool.Put(c)
		}
	}()
	total, last := 0, 0
	var err error
	for {
		c := chunkPool.Get().(*[]byte)
		chunks = append(chunks, c)
		last, err = io.ReadFull(r, *c)
		total += last
		if err != nil {
			break
		}
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	out := make([]byte, total)
	n := 0
	for _, c := range chunks {
		n += copy(out[n:], *c)
	}
	return out, err
}

// classify unwraps a transport error (dropping url.Error, whose message
// repeats the unredacted URL) and reports whether it is transient.
func classify(actx context.Context, err error) (error, bool) {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if cause := context.Cause(actx); cause != nil && errors.Is(cause, ErrTimeout) {
		return cause, true
	}
	var (
		ne       net.Error
		dnsErr   *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
	)
	switch {
	case errors.Is(err, ErrTooManyRedirects):
		return err, false
	case errors.As(err, &verify), errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid):
		return fmt.Errorf("%w (the site's TLS certificate is not trusted; retrying will not help)", err), false
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Errorf("%w (check the host name in the target URL)", err), false
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%w: %w", ErrTimeout, err), true
	}
	return err, true
}

// mediaTypeOf returns the lower-case media type of a body: the header's,
// text/markdown for .md/.markdown files served as plain text or untyped,
// else sniffed.
func mediaTypeOf(ct string, u *url.URL, body []byte) string {
	mt, _ := parseContentType(ct)
	if mt == "text/x-markdown" {
		mt = "text/markdown"
	}
	if mt == "" || mt == "text/plain" || mt == "application/octet-stream" {
		switch strings.ToLower(path.Ext(u.Path)) {
		case ".md", ".markdown":
			return "text/markdown"
		}
	}
	if mt == "" {
		// DetectContentType's charset is a guess we do not trust; Decode
		// makes its own.
		mt, _ = parseContentType(http.DetectContentType(body))
	}
	return mt
}

// backoff returns the wait before attempt+1: the server's Retry-After when
// given, else RetryBase doubled per attempt with jitter (between half and
// all of it); both capped by MaxRetryWait.
func (c *Client) backoff(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter >= 0 {
		return min(retryAfter, c.o.MaxRetryWait)
	}
	return retryhttp.Backoff(attempt, c.o.RetryBase, c.o.MaxRetryWait, rand.Float64)
}

// acquire takes a per-host slot, waits out HostInterval, then takes a global
// slot, in that order so that a host's queue never holds global slots. It
// returns the function that releases both.
func (c *Client) acquire(ctx context.Context, host string) (func(), error) {
	c.mu.Lock()
	h := c.hosts[host]
	if h == nil {
		h = &hostSlot{sem: make(chan struct{}, c.o.PerHost)}
		c.hosts[host] = h
	}
	h.refs++
	c.mu.Unlock()

	done := func() {
		c.mu.Lock()
		h.refs--
		if h.refs == 0 && !h.next.After(c.now()) {
			delete(c.hosts, host)
		}
		c.mu.Unlock()
	}
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		done()
		return nil, context.Cause(ctx)
	}
	if c.o.HostInterval > 0 {
		c.mu.Lock()
		now := c.now()
		startAt := now
		if h.next.After(now) {
			startAt = h.next
		}
		h.next = startAt.Add(c.o.HostInterval)
		c.mu.Unlock()
		if err := c.sleep(ctx, startAt.Sub(now)); err != nil {
			<-h.sem
			done()
			return nil, err
		}
	}
	select {
	case c.global <- struct{}{}:
	case <-ctx.Done():
		<-h.sem
		done()
		return nil, context.Cause(ctx)
	}
	return func() {
		<-c.global
		<-h.sem
		done()
	}, nil
}

// sleepCtx waits d, or returns the cause as soon as ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return context.Cause(ctx)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
