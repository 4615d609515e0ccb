package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// middleware wraps a handler.
type middleware func(http.Handler) http.Handler

// chain applies ms so that the first one is the outermost.
func chain(h http.Handler, ms ...middleware) http.Handler {
	for i := len(ms) - 1; i >= 0; i-- {
		h = ms[i](h)
	}
	return h
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs every request at debug level, without its query or headers.
func logRequests(l *slog.Logger) middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r)
			l.LogAttrs(r.Context(), slog.LevelDebug, "http request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", time.Since(start)), slog.String("remote", r.RemoteAddr))
		})
	}
}

// recoverPanics turns a handler panic into a logged 500, so one bad request
// cannot take the daemon down. http.ErrAbortHandler keeps its meaning.
func recoverPanics(l *slog.Logger) middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := &statusWriter{ResponseWriter: w}
			defer func() {
				p := recover()
				if p == nil {
					return
				}
				if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(p)
				}
				l.Error("http handler panicked", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("panic", p))
				if sw.status == 0 {
					writeError(sw, http.StatusInternalServerError, "internal error: the handler failed; see the daemon's log")
				}
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// securityHeaders sets headers that keep responses out of frames, caches and
// content sniffing. API responses are data, never pages.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// openPaths need no token: probes must work without credentials, and the
// UI's login form and stylesheets must load before one is given.
var openPaths = map[string]bool{"/healthz": true, "/readyz": true, "/login": true}

// openPrefixes are path prefixes served without a token (static UI files:
// stylesheets and scripts embedded in the binary, nothing from the store).
var openPrefixes = []string{"/static/"}

func isOpen(path string) bool {
	if openPaths[path] {
		return true
	}
	for _, p := range openPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// SessionCookie is the name of the web UI's login cookie.
const SessionCookie = "monitord_session"

// SessionValue is the value of the login cookie for token: a digest of the
// token, so the cookie never holds the token itself, yet a changed token
// (a restart with a new [server] token) logs every browser out.
func SessionValue(token string) string {
	sum := sha256.Sum256([]byte("monitord web ui session\x00" + token))
	return hex.EncodeToString(sum[:])
}

// isPage reports whether a path is a page of the web UI (not the API or
// metrics): unauthenticated requests for it are sent to the login form.
func isPage(path string) bool {
	return !strings.HasPrefix(path, "/api/") && path != "/metrics"
}

// tokenAuth returns the auth middleware. With a token, every route but the
// open ones needs "Authorization: Bearer <token>" or the web UI's login
// cookie (SessionCookie, set by the login form; HttpOnly, SameSite=Strict);
// a page asked for without either is redirected to /login. Without a token
// (the server is on loopback) the Host header must name a loopback host, so
// a web page that rebinds its own name to 127.0.0.1 cannot read the API or
// the UI from a browser.
func tokenAuth(token string) middleware {
	want := sha256.Sum256([]byte(token))
	wantSession := sha256.Sum256([]byte(SessionValue(token)))
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if token == "" {
				if !loopbackHost(r.Host) && !openPaths[r.URL.Path] {
					writeError(w, http.StatusForbidden, fmt.Sprintf("host %q is not a loopback name: without [server] token this server answers only http://127.0.0.1, http://[::1] or http://localhost", r.Host))
					return
				}
				next.ServeHTTP(w, r)
				return
			}
			if isOpen(r.URL.Path) || bearerMatches(r.Header.Get("Authorization"), want) || sessionMatches(r, wantSession) {
				next.ServeHTTP(w, r)
				return
			}
			if isPage(r.URL.Path) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="monitord"`)
			writeError(w, http.StatusUnauthorized, "missing or wrong token: send \"Authorization: Bearer <token>\" with [server] token from config.toml, or log in at /login")
		})
	}
}

// sessionMatches reports whether the request carries the login cookie
// whose sha256 is want, compared in constant time.
func sessionMatches(r *http.Request, want [sha256.Size]byte) bool {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return false
	}
	got := sha256.Sum256([]byte(c.Value))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// bearerMatches reports whether header carries the token whose sha256 is
// want. Comparing digests, which always have the same length, keeps the time
// independent of the token's content and length.
func bearerMatches(header string, want [sha256.Size]byte) bool {
	scheme, cred, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		cred = "" // still compare, so a malformed header costs the same
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(cred)))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1 && ok && cred != ""
}

// loopbackHost reports whether a Host header names this machine's loopback.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackListen reports whether a listen address ("127.0.0.1:8080")
// binds loopback only.
func IsLoopbackListen(addr string) (bool, error) { return isLoopbackListen(addr) }

// isLoopbackListen reports whether a listen address binds loopback only.
func isLoopbackListen(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("web: invalid listen address %q: write host:port such as 127.0.0.1:8080: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}
