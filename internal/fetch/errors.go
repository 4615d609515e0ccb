package fetch

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/retry"
)

var (
	// ErrTooLarge reports a response body larger than Options.MaxBodyBytes
	// (after decompression). Raise the limit or point the target at a
	// smaller page.
	ErrTooLarge = errors.New("fetch: response body exceeds the size limit")

	// ErrTooManyRedirects reports a redirect chain longer than
	// Options.MaxRedirects, which includes redirect loops.
	ErrTooManyRedirects = errors.New("fetch: too many redirects")

	// ErrTimeout reports an attempt that got no complete response within
	// Options.Timeout or could not connect within Options.ConnectTimeout.
	ErrTimeout = errors.New("fetch: timed out")

	// errReadBody marks a body that broke off or did not decode (gzip).
	errReadBody = errors.New("fetch: read body")
)

// StatusError reports a final response whose status is neither 2xx nor a 304
// answering a conditional request. Fetch returns it together with the
// Response so that callers can record the status and body.
type StatusError struct {
	Code   int
	Status string
	// RetryAfter is the server's Retry-After, 0 when it sent none.
	RetryAfter time.Duration
}

// Error implements error.
func (e *StatusError) Error() string {
	s := strings.TrimSpace(e.Status)
	if s == "" {
		s = fmt.Sprint(e.Code)
	}
	return "fetch: server answered " + s
}

// Temporary reports whether the status is one Fetch retries: 408, 429 and
// 5xx.
func (e *StatusError) Temporary() bool {
	return retryableStatus(e.Code)
}

// retryableStatus reports whether a status is a transient failure (the one
// rule of internal/retry).
func retryableStatus(code int) bool { return retry.Retryable(code) }

// secretParams are query parameters whose values are redacted from errors
// and logs. Matching is by substring of the lower-cased name.
var secretParams = []string{"token", "key", "secret", "password", "passwd", "pwd", "auth", "sig", "session", "credential"}

// RedactURL returns raw with any password in the userinfo and the values of
// secret-looking query parameters replaced, for use in errors and logs.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable url>"
	}
	return redact(u)
}

func redact(u *url.URL) string {
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for k, vs := range q {
			lk := strings.ToLower(k)
			for _, s := range secretParams {
				if strings.Contains(lk, s) {
					for i := range vs {
						vs[i] = "REDACTED"
					}
					changed = true
					break
				}
			}
		}
		if changed {
			c := *u
			c.RawQuery = q.Encode()
			u = &c
		}
	}
	return u.Redacted()
}
