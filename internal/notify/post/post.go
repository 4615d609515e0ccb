package post

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/monitord/monitord/internal/retry"
)

// DefaultTimeout bounds one attempt when the configuration gives none.
const DefaultTimeout = 10 * time.Second

// MaxRetryAfter caps a receiver's Retry-After: a receiver asking for more
// than a day is not taken literally.
const MaxRetryAfter = retry.MaxAfter

const (
	maxDrain   = 64 << 10 // bytes read from a response before closing it
	maxSnippet = 200      // bytes of a response body quoted in an error
)

// ErrAttemptTimeout is the cause of an attempt that ran out of its Timeout.
var ErrAttemptTimeout = errors.New("post: attempt timed out")

// Endpoint is one webhook receiver.
type Endpoint struct {
	Format  string // json, slack, ... (for errors)
	Name    string // the webhook's name in the config (for errors)
	URL     *url.URL
	Timeout time.Duration
	Client  *http.Client
	Now     func() time.Time // to read an HTTP-date Retry-After
	// Check, when set, reads the body of a 2xx answer (its first 64 KiB)
	// for services that answer 200 and say in the body that they refused
	// the message (Dooray!). Nil: every 2xx is a delivery.
	Check Check
}

// Check reads a 2xx answer's body. It returns refused=true when the body
// says the message was not accepted, with the service's own result code
// and message for the error. A result code that is an HTTP status worth
// another attempt (Retryable) makes the failure transient; any other
// refusal is permanent, like a 4xx: the same message would be refused
// again.
type Check func(body []byte) (refused bool, result int, message string)

// NewEndpoint validates rawURL and builds an Endpoint. A nil client means
// http.DefaultClient, a zero timeout DefaultTimeout, a nil now time.Now.
func NewEndpoint(format, name, rawURL string, timeout time.Duration, client *http.Client, now func() time.Time) (*Endpoint, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("post: %s webhook %q: %w", format, name, err)
	}
	if timeout < 0 {
		return nil, fmt.Errorf("post: %s webhook %q: timeout %s is negative; use a positive duration such as 10s", format, name, timeout)
	}
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if client == nil {
		client = http.DefaultClient
	}
	// Whatever client the caller gives, redirects are not followed: Go
	// would turn a redirected POST into a GET without the body, and the
	// event would count as delivered although no receiver got it. A 3xx is
	// then a permanent failure for the operator to fix the URL. The copy
	// keeps the caller's transport and timeouts.
	c := *client
	c.CheckRedirect = noRedirect
	client = &c
	if now == nil {
		now = time.Now
	}
	return &Endpoint{Format: format, Name: name, URL: u, Timeout: timeout, Client: client, Now: now}, nil
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// ParseURL checks that raw is an absolute http or https URL. Its errors never
// contain raw, which may hold a token.
func ParseURL(raw string) (*url.URL, error) {
	u, err := parseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("post: %w", err)
	}
	return u, nil
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL
		}
		return nil, fmt.Errorf("url is not a valid URL (want https://host/path): %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, errors.New("url must start with https:// or http://")
	}
	if u.Host == "" {
		return nil, errors.New("url has no host (want https://host/path)")
	}
	return u, nil
}

// RedactURL returns only the scheme and host of u, which is what errors and
// logs may show of a webhook URL.
func RedactURL(u *url.URL) string {
	if u == nil {
		return "<no url>"
	}
	return u.Scheme + "://" + u.Host
}

// StatusError is a non-2xx answer from a receiver.
type StatusError struct {
	Format string // json, slack, ...
	Name   string // the webhook's name in the config
	Host   string // scheme and host only
	Code   int
	Body   string // a short, sanitized start of the response body
	// Refused is set for a 2xx answer whose body refused the message (see
	// Check); Result is then the service's result code and Body its
	// message.
	Refused bool
	Result  int
}

// Error names the format, webhook, host and status, never the URL path.
func (e *StatusError) Error() string {
	s := fmt.Sprintf("post: %s webhook %q: %s answered %d %s", e.Format, e.Name, e.Host, e.Code, http.StatusText(e.Code))
	if e.Refused {
		s += fmt.Sprintf(" but refused the message (result code %d)", e.Result)
	}
	if e.Body != "" {
		s += ": " + e.Body
	}
	return s
}

// RetryAfterError is a retryable failure for which the receiver said how long
// to wait (429 or 503 with Retry-After). Read it with errors.As.
type RetryAfterError struct {
	After time.Duration
	Err   error
}

// Error is the underlying error with the wait appended.
func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.Err, e.After)
}

// Unwrap returns the underlying *StatusError.
func (e *RetryAfterError) Unwrap() error { return e.Err }

// Retryable reports whether an HTTP status is worth another attempt (the
// one rule of internal/retry: 408, 429 and every 5xx).
func Retryable(code int) bool { return retry.Retryable(code) }

// ParseRetryAfter reads a Retry-After header (internal/retry's grammar:
// delay seconds, fractions allowed, or an HTTP-date), capped at
// MaxRetryAfter.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) { return retry.ParseAfter(v, now) }

// Post sends body with header to the endpoint, once, bounded by its Timeout.
// It returns retry=true when the failure is transient (see Retryable and
// network errors); a *RetryAfterError when the receiver gave a Retry-After; a
// *StatusError for any other non-2xx answer. The response body is always
// drained (up to 64 KiB) and closed so the connection can be reused.
func (e *Endpoint) Post(ctx context.Context, header http.Header, body []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeoutCause(ctx, e.Timeout, fmt.Errorf("%w after %s", ErrAttemptTimeout, e.Timeout))
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL.String(), bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("post: %s webhook %q: build request to %s: %w", e.Format, e.Name, RedactURL(e.URL), stripURL(err))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "monitord")
	}

	resp, err := e.Client.Do(req)
	if err != nil {
		cause := stripURL(err)
		if ctx.Err() != nil {
			cause = context.Cause(ctx)
		}
		return true, fmt.Errorf("post: %s webhook %q: send to %s: %w", e.Format, e.Name, RedactURL(e.URL), cause)
	}
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxDrain))
	_ = resp.Body.Close()
	snippet := answer[:min(len(answer), maxSnippet)]

	if resp.StatusCode/100 == 2 {
		if e.Check == nil {
			return false, nil
		}
		refused, result, msg := e.Check(answer)
		if !refused {
			return false, nil
		}
		msg = e.sanitize([]byte(msg[:min(len(msg), maxSnippet)]))
		return Retryable(result), &StatusError{Format: e.Format, Name: e.Name, Host: RedactURL(e.URL), Code: resp.StatusCode, Body: msg, Refused: true, Result: result}
	}
	se := &StatusError{Format: e.Format, Name: e.Name, Host: RedactURL(e.URL), Code: resp.StatusCode, Body: e.sanitize(snippet)}
	if !Retryable(resp.StatusCode) {
		return false, se
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), e.Now()); ok {
			return true, &RetryAfterError{After: d, Err: se}
		}
	}
	return true, se
}

// stripURL drops the *url.Error wrapper, whose message repeats the full URL.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// sanitize turns a response body start into one printable line that cannot
// echo the webhook's path or query back into a log.
func (e *Endpoint) sanitize(b []byte) string {
	// Dropping invalid bytes also drops a rune split by the maxSnippet cut.
	s := strings.ToValidUTF8(string(b), "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	for _, secret := range []string{e.URL.EscapedPath(), e.URL.Path, e.URL.RawQuery} {
		if len(secret) > 1 {
			s = strings.ReplaceAll(s, secret, "<redacted>")
		}
	}
	if e.URL.User != nil {
		if p, ok := e.URL.User.Password(); ok && p != "" {
			s = strings.ReplaceAll(s, p, "<redacted>")
		}
	}
	return strings.Join(strings.Fields(s), " ")
}
