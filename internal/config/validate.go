package config

import (
	"encoding/base64"
	"errors"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/http/httpguts"
)

// Limits Validate enforces.
const (
	MaxNoticeDays  = 365
	MaxJitter      = time.Hour
	MaxBodyLimit   = 1 << 30
	MinBodyLimit   = 1 << 10
	MinTokenLength = 16
	maxNameLength  = 64
)

// Validate checks every value of c and returns all problems joined with
// errors.Join, each an *Error (with its line when c came from Parse or Load).
// It does not change c. Parse and Load call it; call it again after changing
// a Config by hand.
func (c *Config) Validate() error {
	col := &collector{file: c.File, src: c.src}
	c.validate(col)
	return col.err()
}

func (c *Config) validate(col *collector) {
	top := col.root()
	oneOf(top, "language", c.Language, LanguageKorean, LanguageEnglish)

	s := col.table("log")
	oneOf(s, "level", c.Log.Level, "debug", "info", "warn", "error")
	oneOf(s, "format", c.Log.Format, "text", "json")

	c.validateStorage(col.table("storage"))

	c.validateNotice(col.table("notice"))

	s = col.table("schedule")
	if _, err := ParseSchedule(c.Schedule.Default); err != nil {
		s.fail("default", err)
	}
	durationIn(s, "jitter", c.Schedule.Jitter, 0, MaxJitter)

	c.validateFetch(col.table("fetch"))
	c.validateServer(col.table("server"))

	targets := make(map[string]int, len(c.Targets)) // name → index
	for i := range c.Targets {
		t := &c.Targets[i]
		s := col.item("target", i, t.Name)
		if validName(s, "name", t.Name, "target") {
			if j, dup := targets[t.Name]; dup {
				s.failf("name", "duplicate target name %q, already used by target[%d] at %s; target names must be unique",
					t.Name, j+1, col.where(col.item("target", j, "").lineOf("name")))
			} else {
				targets[t.Name] = i
			}
		}
		t.validate(s)
	}

	webhooks := make(map[string]int, len(c.Webhooks))
	for i := range c.Webhooks {
		w := &c.Webhooks[i]
		s := col.item("webhook", i, w.Name)
		if validName(s, "name", w.Name, "webhook") {
			if j, dup := webhooks[w.Name]; dup {
				s.failf("name", "duplicate webhook name %q, already used by webhook[%d] at %s; webhook names must be unique",
					w.Name, j+1, col.where(col.item("webhook", j, "").lineOf("name")))
			} else {
				webhooks[w.Name] = i
			}
		}
		w.validate(s, targets, c.Language)
	}
}

// validateStorage checks [storage]: the driver, and what that driver
// needs (bbolt a path, postgres a DSN; each ignores the other's key).
func (c *Config) validateStorage(s scope) {
	if !oneOf(s, "driver", c.Storage.Driver, DriverBbolt, DriverPostgres) {
		return
	}
	if c.Storage.Postgres() {
		if !c.Storage.DSN.IsSet() && !s.c.hasFailed(s, "dsn") {
			s.failf("driver", `"postgres" needs [storage] dsn: the connection string, such as "env:MONITORD_DSN" with MONITORD_DSN="postgres://monitord@db.example.kr/monitord"`)
		}
		return
	}
	durationIn(s, "lease", c.Storage.Lease, 5*time.Second, time.Hour)
	durationIn(s, "claim_poll", c.Storage.ClaimPoll, 10*time.Millisecond, time.Minute)
	if strings.TrimSpace(c.Storage.Path) == "" {
		s.failf("path", "must not be empty: give the bbolt file, such as %q", DefaultStoragePath)
	} else if strings.ContainsRune(c.Storage.Path, 0) {
		s.failf("path", "must not contain a NUL byte")
	}
}

func (c *Config) validateNotice(s scope) {
	intIn(s, "days", c.Notice.Days, 0, MaxNoticeDays)
	if _, err := loadZone(c.Notice.Timezone); err != nil {
		s.fail("timezone", err)
	}
	intIn(s, "failing_after", c.Notice.FailingAfter, 1, 1000)
	oneOf(s, "send", c.Notice.Send, SendAll, SendViolations)
	durationIn(s, "expire", c.Notice.Expire, time.Minute, 365*24*time.Hour)
}

func (c *Config) validateFetch(s scope) {
	f := &c.Fetch
	durationIn(s, "timeout", f.Timeout, time.Second, 10*time.Minute)
	durationIn(s, "connect_timeout", f.ConnectTimeout, 100*time.Millisecond, 10*time.Minute)
	if f.ConnectTimeout > f.Timeout && f.Timeout > 0 {
		s.failf("connect_timeout", "%s is longer than fetch.timeout (%s), which bounds the whole request: make it shorter", f.ConnectTimeout, f.Timeout)
	}
	if f.MaxBody < MinBodyLimit || f.MaxBody > MaxBodyLimit {
		s.failf("max_body", `must be between 1KiB and 1GiB, got %d bytes; write a size such as "10MiB"`, f.MaxBody)
	}
	intIn(s, "max_redirects", f.MaxRedirects, 0, 30)
	intIn(s, "retries", f.Retries, 0, 10)
	intIn(s, "concurrency", f.Concurrency, 1, 1024)
	if f.PerHost < 1 || (f.Concurrency >= 1 && f.PerHost > f.Concurrency) {
		s.failf("per_host", "must be between 1 and fetch.concurrency (%d), got %d", f.Concurrency, f.PerHost)
	}
	durationIn(s, "host_interval", f.HostInterval, 0, time.Minute)
	switch {
	case strings.TrimSpace(f.UserAgent) == "":
		s.failf("user_agent", "must not be empty: sites should see who is fetching; remove the key for the default %q", DefaultUserAgent("VERSION"))
	case !httpguts.ValidHeaderFieldValue(f.UserAgent):
		s.failf("user_agent", "must be a valid HTTP header value (no control characters or line breaks)")
	}
	if strings.TrimSpace(f.Browser) == "" || strings.ContainsRune(f.Browser, 0) {
		s.failf("browser", "must name the Chromium executable (looked up on PATH) or its path; remove the key for the default %q", DefaultBrowser)
	}
	intIn(s, "browser_concurrency", f.BrowserConcurrency, 1, 16)
}

func (c *Config) validateServer(s scope) {
	if c.Server.Listen != "" {
		loopback, err := checkListen(c.Server.Listen)
		switch {
		case err != nil:
			s.fail("listen", err)
		case !loopback && !c.Server.Token.IsSet() && !s.c.hasFailed(s, "token"):
			s.failf("listen", `%q is not a loopback address, so server.token is required (such as token = "env:MONITORD_TOKEN"); or listen on 127.0.0.1`, c.Server.Listen)
		}
	}
	if b := c.Server.BaseURL; b != "" {
		u, err := url.Parse(b)
		switch {
		case err != nil:
			s.failf("base_url", "%q is not a URL: write the address people open the web UI at, such as \"https://monitord.example.kr\"", b)
		case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
			s.failf("base_url", "%q must be an absolute http:// or https:// URL, such as \"https://monitord.example.kr\"", b)
		case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
			s.failf("base_url", "%q must hold no query, fragment or user name: only scheme, host and an optional path prefix", b)
		}
	}
	if tok := c.Server.Token.Reveal(); tok != "" {
		if len(tok) < MinTokenLength {
			s.failf("token", "too short: use at least %d characters, such as the output of `openssl rand -hex 16`", MinTokenLength)
		} else if !visibleASCII(tok) {
			s.failf("token", "must be printable ASCII without spaces (it is sent as a bearer token)")
		}
	}
}

// checkListen parses host:port and reports whether the host is loopback.
func checkListen(addr string) (loopback bool, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false, cerr(`invalid address %q: write host:port such as "127.0.0.1:8080" or "[::1]:8080", or "" to disable the server`, addr)
	}
	if n, convErr := strconv.Atoi(port); convErr != nil || n < 0 || n > 65535 {
		return false, cerr("invalid port %q in %q: must be a number from 0 to 65535", port, addr)
	}
	if strings.EqualFold(host, "localhost") {
		return true, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback(), nil
	}
	return false, nil
}

func (t *Target) validate(s scope) {
	if t.URL == "" {
		s.failf("url", "missing: every [[target]] needs the http or https URL of its policy page")
	} else if err := checkURL(t.URL, false); err != nil {
		s.failf("url", "invalid URL %q: %w", t.URL, err)
	}
	if t.Selector != "" {
		if err := checkSelector(t.Selector); err != nil {
			s.failf("selector", "invalid CSS selector %q: %w", t.Selector, err)
		}
	}
	for i, sel := range t.Exclude {
		if err := checkSelector(sel); err != nil {
			s.failf("exclude."+strconv.Itoa(i), "invalid CSS selector %q: %w", sel, err)
		}
	}
	if t.ScheduleSpec != "" {
		if _, err := ParseSchedule(t.ScheduleSpec); err != nil {
			s.fail("schedule", err)
		}
	}
	if t.NoticeDays != nil {
		intIn(s, "notice_days", *t.NoticeDays, 0, MaxNoticeDays)
	}
	if t.NoticeURL != NoticeAuto && t.NoticeURL != NoticeOff {
		if err := checkURL(t.NoticeURL, false); err != nil {
			s.failf("notice_url", "invalid URL %q: %w; or write %q to find the board, \"\" for none", t.NoticeURL, err, NoticeAuto)
		}
	}
	oneOf(s, "render", t.Render, RenderAuto, RenderStatic, RenderBrowser)
}

func (w *Webhook) validate(s scope, targets map[string]int, language string) {
	switch {
	case !w.URL.IsSet() && w.Format == FormatEmail:
		s.failf("url", "missing: an e-mail [[webhook]] needs its SMTP server, smtp://host:587 (STARTTLS) or smtps://host:465 (TLS)")
	case !w.URL.IsSet():
		s.failf("url", "missing: every [[webhook]] needs the http or https URL to POST to")
	case w.Format == FormatEmail:
		if err := checkSMTPURL(w.URL.Reveal()); err != nil {
			s.failf("url", "invalid SMTP server URL (value not shown, it is a secret): %w", err)
		}
	default:
		if err := checkURL(w.URL.Reveal(), true); err != nil {
			// The URL is a credential: say what is wrong without quoting it.
			s.failf("url", "invalid URL (value not shown, it is a secret): %w", err)
		}
	}
	formatOK := oneOf(s, "format", w.Format, FormatJSON, FormatSlack, FormatDiscord, FormatJandi, FormatTeams, FormatDooray, FormatEmail)
	w.validateMessageKeys(s, formatOK)
	if w.Secret.IsSet() {
		if formatOK && w.Format != FormatJSON {
			s.failf("secret", "only format %q signs its requests; remove the secret or use format = %q", FormatJSON, FormatJSON)
		} else if err := checkSigningSecret(w.Secret.Reveal()); err != nil {
			s.fail("secret", err)
		}
	}
	if len(w.Events) == 0 {
		s.failf("events", "must list at least one event (%s), or be left out for all", eventsList)
	}
	for i, e := range w.Events {
		if !slices.Contains(Events(), e) {
			s.failf("events."+strconv.Itoa(i), "unknown event %q: must be one of %s", e, eventsList)
		} else if slices.Index(w.Events, e) < i {
			s.failf("events."+strconv.Itoa(i), "event %q is listed twice", e)
		}
	}
	for i, name := range w.Targets {
		if _, ok := targets[name]; !ok {
			s.failf("targets."+strconv.Itoa(i), "no [[target]] is named %q: use the name of a target, or leave targets out for all", name)
		} else if slices.Index(w.Targets, name) < i {
			s.failf("targets."+strconv.Itoa(i), "target %q is listed twice", name)
		}
	}
	if w.MinBasis != "" {
		oneOf(s, "min_basis", w.MinBasis, BasisPage, BasisObserved, BasisUnconfirmed)
	}
	durationIn(s, "timeout", w.Timeout, time.Second, 5*time.Minute)
	if w.Language != language { // an inherited language is checked at the top level
		oneOf(s, "language", w.Language, LanguageKorean, LanguageEnglish)
	}
}

// checkURL accepts absolute http and https URLs with a host. For a secret
// URL the error says nothing of the value (url.Parse errors quote it).
func checkURL(raw string, secret bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		if secret {
			return cerr("it does not parse as a URL; write an absolute http or https URL")
		}
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // url.Error repeats the URL, which the message quotes already.
		}
		err = errors.New(strings.TrimPrefix(err.Error(), "net/url: "))
		return cerr("%w; write an absolute http or https URL", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return cerr(`scheme must be "http" or "https"`)
	}
	if u.Hostname() == "" {
		return cerr("missing host; write an absolute URL such as https://example.kr/privacy")
	}
	return nil
}

// checkSelector compiles sel as the extractor will (goquery uses
// cascadia.Compile and silently matches nothing on an invalid selector).
func checkSelector(sel string) error {
	if strings.TrimSpace(sel) == "" {
		return cerr("empty selector")
	}
	_, err := cascadia.Compile(sel)
	return err
}

// checkSigningSecret accepts Standard Webhooks secrets: "whsec_" + base64.
func checkSigningSecret(secret string) error {
	const hint = "must be \"whsec_\" followed by the base64 of at least 16 random bytes (such as \"whsec_\" + the output of `openssl rand -base64 32`)"
	b64, ok := strings.CutPrefix(strings.TrimSpace(secret), "whsec_")
	if !ok {
		return cerr(hint)
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(b64)
	}
	if err != nil || len(key) < 16 {
		return cerr(hint)
	}
	return nil
}

// loadZone loads an IANA time zone, refusing the names LoadLocation maps to
// the machine's settings ("" and "Local").
func loadZone(name string) (*time.Location, error) {
	const hint = `must be an IANA time zone name such as "Asia/Seoul"`
	if name == "" || name == "Local" {
		return nil, cerr("%q: %s", name, cerr(hint))
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, cerr("unknown time zone %q: %s", name, cerr(hint))
	}
	return loc, nil
}

// validName checks a target or webhook name; it reports false when the name
// is unusable (so duplicates are not checked).
func validName(s scope, key, name, kind string) bool {
	if name == "" {
		s.failf(key, "missing: every [[%s]] needs a name (letters, digits, '.', '_', '-')", kind)
		return false
	}
	if len(name) > maxNameLength || !nameChars(name) {
		s.failf(key, "invalid name %q: use 1 to %d letters, digits, '.', '_' or '-', starting with a letter or digit", name, maxNameLength)
		return false
	}
	return true
}

// nameChars matches ^[A-Za-z0-9][A-Za-z0-9._-]*$.
func nameChars(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case (c == '.' || c == '_' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return name != ""
}

func visibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// oneOf checks that v is one of valid.
func oneOf(s scope, key, v string, valid ...string) bool {
	if slices.Contains(valid, v) {
		return true
	}
	quoted := make([]string, len(valid))
	for i, x := range valid {
		quoted[i] = strconv.Quote(x)
	}
	s.failf(key, "invalid value %q: must be one of %s", v, strings.Join(quoted, ", "))
	return false
}

func intIn(s scope, key string, v, lo, hi int) {
	if v < lo || v > hi {
		s.failf(key, "must be between %d and %d, got %d", lo, hi, v)
	}
}

func durationIn(s scope, key string, d, lo, hi time.Duration) {
	if d < lo || d > hi {
		s.failf(key, "must be between %s and %s, got %s", fmtDuration(lo), fmtDuration(hi), fmtDuration(d))
	}
}

// fmtDuration prints durations as people write them ("72h", not "72h0m0s").
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
