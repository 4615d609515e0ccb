package fetch

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/monitord/monitord/internal/i18n"
)

// Codes of Error: stable names of why a fetch failed, for JSON and for
// code that branches on them. People read Error.Message, in their language.
const (
	CodeInvalidURL = "invalid_url"
	CodeDNS        = "dns"
	CodeTLS        = "tls"
	CodeRefused    = "refused"
	CodeTimeout    = "timeout"
	CodeStatus     = "http_status"
	CodeTooLarge   = "too_large"
	CodeRedirects  = "too_many_redirects"
	CodeStopped    = "stopped"
	CodeReset      = "connection_reset"
	CodeBody       = "body"
	CodeNetwork    = "network"
)

// Error is every error Fetch returns: the English chain it always had (for
// logs, errors.Is and errors.As: StatusError, ErrTimeout, net and x509
// errors are all still in it), a Code, and the words people read, in the
// catalogue (keys fetch.error.*), rendered in their language by
// i18n.Lang.Err or Lang.Render(Message()).
type Error struct {
	// Kind is one of the Code constants.
	Kind string
	// URL is the requested URL, redacted.
	URL string
	// Attempts is how many attempts were made (0 when none could start).
	Attempts int
	msgs     []i18n.Msg
	err      error
}

// Error is the English text, unchanged from the error it wraps.
func (e *Error) Error() string { return e.err.Error() }

// Unwrap returns the wrapped chain.
func (e *Error) Unwrap() error { return e.err }

// Code names the kind of failure (the Code constants).
func (e *Error) Code() string { return e.Kind }

// Message is what people read: what failed, what to do, and where.
func (e *Error) Message() []i18n.Msg { return e.msgs }

// localize wraps the final error of a Fetch of u in an *Error that says,
// in the catalogue's words, what failed and what the user can do.
func (c *Client) localize(err error, u *url.URL, safe string, attempts int) error {
	if err == nil {
		return nil
	}
	var fe *Error
	if errors.As(err, &fe) {
		return err
	}
	code, m := c.describe(err, u)
	msgs := []i18n.Msg{m}
	switch {
	case attempts > 1:
		msgs = append(msgs, i18n.M("fetch.error.where_attempts", safe, attempts))
	case safe != "" && code != CodeInvalidURL:
		msgs = append(msgs, i18n.M("fetch.error.where", safe))
	}
	return &Error{Kind: code, URL: safe, Attempts: attempts, msgs: msgs, err: err}
}

// stopped is the Error of a Fetch that its caller's context ended.
func stopped(err error, safe string, attempts int) error {
	return &Error{Kind: CodeStopped, URL: safe, Attempts: attempts, err: err,
		msgs: []i18n.Msg{i18n.M("fetch.error.stopped"), i18n.M("fetch.error.where", safe)}}
}

// describe names the kind of err and the sentence for it.
func (c *Client) describe(err error, u *url.URL) (string, i18n.Msg) {
	host := u.Hostname()
	var (
		se       *StatusError
		dnsErr   *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		ne       net.Error
	)
	switch {
	case errors.As(err, &se):
		return CodeStatus, statusMsg(se)
	case errors.Is(err, ErrTooLarge):
		return CodeTooLarge, i18n.M("fetch.error.too_large", c.o.MaxBodyBytes)
	case errors.Is(err, ErrTooManyRedirects):
		return CodeRedirects, i18n.M("fetch.error.redirects", c.o.MaxRedirects)
	case errors.As(err, &verify), errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid):
		return CodeTLS, i18n.M("fetch.error.tls", host)
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return CodeDNS, i18n.M("fetch.error.dns", host)
	case errors.As(err, &dnsErr):
		return CodeDNS, i18n.M("fetch.error.dns_failed", host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return CodeRefused, i18n.M("fetch.error.refused", u.Host)
	case errors.Is(err, ErrTimeout) || (errors.As(err, &ne) && ne.Timeout()):
		return CodeTimeout, i18n.M("fetch.error.timeout", durationText(c.o.Timeout), durationText(c.o.ConnectTimeout))
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return CodeStopped, i18n.M("fetch.error.stopped")
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF):
		return CodeReset, i18n.M("fetch.error.reset", host)
	case errors.Is(err, errReadBody), errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum):
		return CodeBody, i18n.M("fetch.error.body", host)
	}
	return CodeNetwork, i18n.M("fetch.error.network", host)
}

// statusMsg is the sentence for an HTTP status: what it means for a policy
// page and what to do.
func statusMsg(se *StatusError) i18n.Msg {
	code := strconv.Itoa(se.Code)
	switch {
	case se.Code == 404 || se.Code == 410:
		return i18n.M("fetch.error.status.gone", code)
	case se.Code == 401 || se.Code == 403:
		return i18n.M("fetch.error.status.denied", code)
	case se.Code == 429 && se.RetryAfter > 0:
		return i18n.M("fetch.error.status.busy_after", code, durationText(se.RetryAfter))
	case se.Code == 429:
		return i18n.M("fetch.error.status.busy", code)
	case se.Code >= 500 && se.RetryAfter > 0:
		return i18n.M("fetch.error.status.server_after", code, durationText(se.RetryAfter))
	case se.Code >= 500:
		return i18n.M("fetch.error.status.server", code)
	case se.Code >= 300 && se.Code < 400:
		return i18n.M("fetch.error.status.redirect", code)
	}
	return i18n.M("fetch.error.status.other", code)
}

// durationText writes d as Go does ("30s", "1m0s" → "1m"), which reads the
// same in Korean and English.
func durationText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
