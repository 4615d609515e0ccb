package ui

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/diffview"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// contentSecurityPolicy is sent with every page: nothing inline, nothing
// from elsewhere, no frames, forms only to this server.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// sessionMaxAge is how long a login lasts.
const sessionMaxAge = 7 * 24 * time.Hour

// Options configures the UI.
type Options struct {
	// Source is what the pages read (web.NewStoreSource in the daemon).
	Source web.Source
	// Config returns the configuration in force: language, time zone,
	// notice days. Nil means defaults (Korean, Asia/Seoul).
	Config func() *config.Config
	// Token is [server] token; with one, the login form accepts it and
	// the retry button is shown. "" (loopback only) means no login.
	Token string
	// OnRetry is called after an alert was re-queued from the events page.
	OnRetry func(eventID string)
	// Logger receives failures (default: discard).
	Logger *slog.Logger
	// Now is the clock ("changed recently"); default time.Now.
	Now func() time.Time
}

// UI is the web UI's handler.
type UI struct {
	o     Options
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux
	seoul *time.Location
}

// New parses the templates and builds the routes.
func New(o Options) (*UI, error) {
	if o.Source == nil {
		return nil, errors.New("ui: no Source to read from")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		return nil, fmt.Errorf("ui: load Asia/Seoul: %w", err)
	}
	u := &UI{o: o, log: o.Logger, pages: map[string]*template.Template{}, seoul: seoul}
	if err := u.parse(); err != nil {
		return nil, err
	}
	u.mux = http.NewServeMux()
	u.mux.HandleFunc("GET /{$}", u.targets)
	u.mux.HandleFunc("GET /t/{name}", u.timeline)
	u.mux.HandleFunc("GET /t/{name}/diff", u.diff)
	u.mux.HandleFunc("GET /t/{name}/v/{id}", u.version)
	u.mux.HandleFunc("GET /events", u.events)
	u.mux.HandleFunc("POST /events/{id}/retry", u.retry)
	u.mux.HandleFunc("GET /login", u.loginForm)
	u.mux.HandleFunc("POST /login", u.login)
	u.mux.HandleFunc("POST /logout", u.logout)
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("ui: static files: %w", err)
	}
	u.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	u.mux.HandleFunc("GET /static/diffview.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		_, _ = w.Write(diffview.CSS())
	})
	u.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		u.fail(w, r, http.StatusNotFound, u.lang().T("ui.error.notfound", r.URL.Path))
	})
	return u, nil
}

// pageNames are the page templates; each is parsed with layout.html and
// the diffview set.
var pageNames = []string{"targets", "timeline", "diff", "version", "events", "login", "error"}

func (u *UI) parse() error {
	funcs := template.FuncMap{
		"t":     func(l i18n.Lang, key string, args ...any) string { return l.T(key, args...) },
		"query": withQuery,
		"add":   func(a, b int) int { return a + b },
	}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("ui: parse %s: %w", name, err)
		}
		if name == "diff" {
			if t, err = diffview.AddTo(t); err != nil {
				return fmt.Errorf("ui: %w", err)
			}
		}
		u.pages[name] = t
	}
	return nil
}

// Handler returns the UI's handler, to be given as web.Options.UI.
func (u *UI) Handler() http.Handler { return u.mux }

func (u *UI) config() *config.Config {
	if u.o.Config != nil {
		if c := u.o.Config(); c != nil {
			return c
		}
	}
	return &config.Config{}
}

func (u *UI) lang() i18n.Lang { return i18n.Parse(u.config().Language) }

func (u *UI) loc() *time.Location {
	if l := u.config().Notice.Location; l != nil {
		return l
	}
	return u.seoul
}

// page is what every template gets: the page's own data in Data.
type page struct {
	L       i18n.Lang
	Title   string
	Nav     string // "targets" or "events": the highlighted link
	Login   bool   // a token is configured: show the logout button
	Data    any
	Message string // a note on top ("re-queued")
}

// render writes a page; a template failure is logged and answered with a
// plain 500, since half a page may already be out otherwise.
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.L = u.lang()
	p.Login = u.o.Token != ""
	var buf bytes.Buffer
	if err := u.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		u.log.Error("ui: render page", slog.String("page", name), slog.String("path", r.URL.Path), slog.Any("error", err))
		http.Error(w, "internal error: the page could not be rendered; see the daemon's log", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// fail answers with the error page.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	u.render(w, r, status, "error", page{Title: u.lang().T("ui.error.heading"), Data: msg})
}

// failErr maps a Source error to a status and the error page.
func (u *UI) failErr(w http.ResponseWriter, r *http.Request, err error) {
	l := u.lang()
	switch {
	case errors.Is(err, snapshot.ErrNotFound):
		u.fail(w, r, http.StatusNotFound, l.T("ui.error.notfound", err.Error()))
	case errors.Is(err, snapshot.ErrDeliveryState):
		u.fail(w, r, http.StatusConflict, err.Error())
	default:
		u.log.Error("ui: read failed", slog.String("path", r.URL.Path), slog.Any("error", err))
		u.fail(w, r, http.StatusInternalServerError, l.T("ui.error.internal"))
	}
}

func (u *UI) loginForm(w http.ResponseWriter, r *http.Request) {
	if u.o.Token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	u.render(w, r, http.StatusOK, "login", page{Title: u.lang().T("ui.login.heading"), Data: loginView{Next: safeNext(r.URL.Query().Get("next"))}})
}

type loginView struct {
	Next  string
	Wrong bool
}

func (u *UI) login(w http.ResponseWriter, r *http.Request) {
	if u.o.Token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, http.StatusBadRequest, u.lang().T("ui.error.badrequest", err.Error()))
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	got := sha256.Sum256([]byte(strings.TrimSpace(r.PostForm.Get("token"))))
	want := sha256.Sum256([]byte(u.o.Token))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		u.log.Warn("ui: login with a wrong token", slog.String("remote", r.RemoteAddr))
		u.render(w, r, http.StatusUnauthorized, "login", page{Title: u.lang().T("ui.login.heading"), Data: loginView{Next: next, Wrong: true}})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: web.SessionCookie, Value: web.SessionValue(u.o.Token), Path: "/",
		MaxAge: int(sessionMaxAge / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https",
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (u *UI) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a post-login redirect on this server: a path, never
// "//host" or a URL.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

// withQuery returns base with the non-empty key/value pairs as its query.
func withQuery(base string, kv ...string) string {
	var b strings.Builder
	b.WriteString(base)
	sep := "?"
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		b.WriteString(sep + url.QueryEscape(kv[i]) + "=" + url.QueryEscape(kv[i+1]))
		sep = "&"
	}
	return b.String()
}
