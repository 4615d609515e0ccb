package config

import (
	"log/slog"
	"slices"
	"time"
)

// Event types a webhook can subscribe to (webhook.events).
const (
	EventPolicyBaseline  = "policy.baseline"
	EventPolicyChanged   = "policy.changed"
	EventTargetFailing   = "target.failing"
	EventTargetRecovered = "target.recovered"
	// EventPolicyAnnounced: a notice-board post announces a coming change.
	EventPolicyAnnounced = "policy.announced"

	eventsList = EventPolicyBaseline + ", " + EventPolicyChanged + ", " + EventTargetFailing + ", " + EventTargetRecovered + ", " + EventPolicyAnnounced
)

// Webhook payload formats (webhook.format).
const (
	FormatJSON    = "json"
	FormatSlack   = "slack"
	FormatDiscord = "discord"
	FormatJandi   = "jandi"
	FormatTeams   = "teams"  // Microsoft Teams Workflows webhook (Adaptive Card)
	FormatDooray  = "dooray" // Dooray! messenger incoming webhook
	FormatEmail   = "email"  // SMTP: url is smtp://host:587 (STARTTLS) or smtps://host:465
)

// Languages of human-facing messages (language, webhook.language).
const (
	LanguageKorean  = "ko"
	LanguageEnglish = "en"
)

// Values of target.render.
const (
	RenderAuto    = "auto"
	RenderStatic  = "static"
	RenderBrowser = "browser"
)

// Values of notice.send.
const (
	SendAll        = "all"
	SendViolations = "violations"
)

// Events returns every webhook event type, in a stable order.
func Events() []string {
	return []string{EventPolicyBaseline, EventPolicyChanged, EventTargetFailing, EventTargetRecovered, EventPolicyAnnounced}
}

// Verdict bases (webhook.min_basis), strongest first: the page's own dates,
// what monitord observed with the notice board watched, the policy page alone.
const (
	BasisPage        = "page"
	BasisObserved    = "observed"
	BasisUnconfirmed = "unconfirmed"
)

// Values of target.notice_url besides a URL.
const (
	// NoticeAuto finds the board from the policy page's and the site's links.
	NoticeAuto = "auto"
	// NoticeOff ("") watches no board.
	NoticeOff = ""
)

// Config is a parsed, defaulted and validated config.toml. Build it with Load
// or Parse; a Config built by hand should pass Validate before use.
type Config struct {
	// File is the name of the file the configuration came from (as given to
	// Load or Parse); errors start with it.
	File string `json:"file"`
	// Language of human-facing messages: "ko" (default) or "en".
	Language string   `json:"language"`
	Log      Log      `json:"log"`
	Storage  Storage  `json:"storage"`
	Notice   Notice   `json:"notice"`
	Schedule Schedule `json:"schedule"`
	Fetch    Fetch    `json:"fetch"`
	Server   Server   `json:"server"`
	// Webhooks are the [[webhook]] tables, in file order.
	Webhooks []Webhook `json:"webhooks"`
	// Targets are the [[target]] tables, in file order.
	Targets []Target `json:"targets"`

	// src remembers where each key was written, for Validate's messages.
	src *source
}

// Log is the [log] table.
type Log struct {
	// Level is "debug", "info" (default), "warn" or "error".
	Level string `json:"level"`
	// Format is "text" (default) or "json".
	Format string `json:"format"`
}

// SlogLevel returns Level as a slog.Level (info for an unknown level).
func (l Log) SlogLevel() slog.Level {
	switch l.Level {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}

// Storage drivers, the values of [storage] driver.
const (
	DriverBbolt    = "bbolt"
	DriverPostgres = "postgres"
)

// Storage is the [storage] table.
type Storage struct {
	// Driver is "bbolt" (default: the embedded file at Path) or "postgres"
	// (the database at DSN, shared by any number of workers).
	Driver string `json:"driver"`
	// Path of the bbolt file (default "monitord.db"). Load makes a relative
	// path relative to the config file's directory. Ignored with postgres.
	Path string `json:"path"`
	// DSN is the PostgreSQL connection string (postgres only), usually
	// "env:NAME". LoadForReading reads it too: readers need it.
	DSN Secret `json:"dsn,omitempty"`
	// Lease is how long a target or an alert a worker claimed from a shared
	// store (postgres) stays with it without a heartbeat: a worker that dies
	// loses its work to the others after at most this long (default 30s,
	// 5s..1h; the heartbeat runs every third of it).
	Lease time.Duration `json:"lease"`
	// ClaimPoll is how often an idle worker of a shared store asks for due
	// targets (default 1s, 10ms..1m).
	ClaimPoll time.Duration `json:"claim_poll"`
}

// Postgres reports whether the store is PostgreSQL.
func (s Storage) Postgres() bool { return s.Driver == DriverPostgres }

// Notice is the [notice] table: the notice-period rules and alert policy.
type Notice struct {
	// Days of notice required between 공고일자 and 시행일자 when neither the
	// target nor the policy itself says otherwise (default 7, 0..365).
	Days int `json:"days"`
	// Timezone is the IANA zone calendar days are counted in (default
	// "Asia/Seoul").
	Timezone string `json:"timezone"`
	// Location is Timezone loaded (tzdata is embedded). Not read from TOML.
	Location *time.Location `json:"-"`
	// FailingAfter is the number of consecutive failed checks before a
	// target.failing event (default 3).
	FailingAfter int `json:"failing_after"`
	// Send is "all" (default: every baseline and change is sent) or
	// "violations" (only baselines and changes that carry violations).
	Send string `json:"send"`
	// Expire is how old an undelivered alert may get before delivery gives up
	// (default 72h).
	Expire time.Duration `json:"expire"`
}

// Schedule is the [schedule] table.
type Schedule struct {
	// Default is the cron spec of targets without their own (default
	// "0 */6 * * *"). See ParseSchedule for the accepted forms.
	Default string `json:"default"`
	// Jitter is the largest random delay added to each scheduled check so
	// that many targets do not fire in the same second (default 30s, ≤ 1h).
	Jitter time.Duration `json:"jitter"`
}

// Fetch is the [fetch] table: HTTP client limits.
type Fetch struct {
	// Timeout bounds one request from dial to the end of the body (default 30s).
	Timeout time.Duration `json:"timeout"`
	// ConnectTimeout bounds the TCP and TLS handshakes (default 10s).
	ConnectTimeout time.Duration `json:"connect_timeout"`
	// MaxBody is the largest body read, in bytes (default 10 MiB). TOML
	// accepts an integer or a string with a unit: "512KiB", "10MiB", "1MB".
	MaxBody int64 `json:"max_body"`
	// MaxRedirects is how many redirects one request follows (default 10).
	MaxRedirects int `json:"max_redirects"`
	// Retries is how many times a transient failure is retried within one
	// check (default 3).
	Retries int `json:"retries"`
	// Concurrency is the global limit of requests in flight (default 8).
	Concurrency int `json:"concurrency"`
	// PerHost is the limit of requests in flight to one host (default 2).
	PerHost int `json:"per_host"`
	// HostInterval is the least time between two requests to one host
	// (default 500ms).
	HostInterval time.Duration `json:"host_interval"`
	// UserAgent is sent with every request; the default names monitord, its
	// version and where to learn about it.
	UserAgent string `json:"user_agent"`
	// Browser is the Chromium executable pages that need a browser are
	// rendered with: a name looked up on PATH or a path (default
	// "chromium"). It is started only when a target needs it.
	Browser string `json:"browser"`
	// BrowserConcurrency is how many pages are rendered at once (default 2).
	BrowserConcurrency int `json:"browser_concurrency"`
}

// Server is the [server] table.
type Server struct {
	// Listen is the address of the health, metrics and read-only HTTP server
	// (default "127.0.0.1:8080"); "" disables the server.
	Listen string `json:"listen"`
	// Token is required as a bearer token when Listen is not a loopback
	// address.
	Token Secret `json:"token"`
	// BaseURL is where people reach the web UI ("https://monitord.example.kr",
	// no trailing slash; "" when unset): alerts then link to the UI's diff
	// page of their change (message.Event.DiffURL).
	BaseURL string `json:"base_url"`
}

// Enabled reports whether the HTTP server should run.
func (s Server) Enabled() bool { return s.Listen != "" }

// Webhook is one [[webhook]] table.
type Webhook struct {
	// Name identifies the webhook in logs and metrics (default "webhook-N",
	// N counting [[webhook]] tables from 1).
	Name string `json:"name"`
	// URL is where events are POSTed. Webhook URLs carry credentials, hence
	// a Secret.
	URL Secret `json:"url"`
	// Format is "json" (default, Standard Webhooks), "slack", "discord" or
	// "jandi".
	Format string `json:"format"`
	// Secret signs json deliveries: "whsec_" followed by base64.
	Secret Secret `json:"secret"`
	// Events the webhook receives (default: all of Events()).
	Events []string `json:"events"`
	// Targets whose events the webhook receives (default, when empty: all).
	Targets []string `json:"targets"`
	// OnlyViolations limits policy.* events to those that carry violations.
	OnlyViolations bool `json:"only_violations"`
	// MinBasis is the weakest verdict basis that counts as a violation for
	// only_violations: "page", "observed" or "unconfirmed" ("" counts all).
	MinBasis string `json:"min_basis,omitempty"`
	// Timeout bounds one delivery attempt (default 10s).
	Timeout time.Duration `json:"timeout"`
	// Language of the messages (default: the top-level language).
	Language string `json:"language"`
	// Template is a text/template redefining the chat formats' "title" and
	// "body" (or e-mail's "subject" and "text"), over a message.View.
	Template string `json:"template,omitempty"`
	// From, To, Username and Password are format "email"'s: the sender,
	// the recipients, and the SMTP AUTH credentials (both or neither).
	From     string   `json:"from,omitempty"`
	To       []string `json:"to,omitempty"`
	Username string   `json:"username,omitempty"`
	Password Secret   `json:"password,omitempty"`
}

// Accepts reports whether the webhook's own filters (events, targets,
// only_violations) let through an event of type event for target, which
// carries violations or not. notice.send is applied by the caller.
func (w *Webhook) Accepts(event, target string, hasViolations bool) bool {
	if len(w.Events) > 0 && !slices.Contains(w.Events, event) {
		return false
	}
	if len(w.Targets) > 0 && !slices.Contains(w.Targets, target) {
		return false
	}
	// policy.announced carries no violation: an early warning, not a verdict.
	if w.OnlyViolations && (event == EventPolicyBaseline || event == EventPolicyChanged || event == EventPolicyAnnounced) && !hasViolations {
		return false
	}
	return true
}

// Counts reports whether a violation with the given basis counts for the
// webhook's only_violations filter: a basis at least as strong as
// min_basis (page > observed > unconfirmed). A violation without a basis
// counts as unconfirmed.
func (w *Webhook) Counts(basis string) bool {
	rank := func(b string) int {
		switch b {
		case BasisPage:
			return 0
		case BasisObserved:
			return 1
		}
		return 2
	}
	return w.MinBasis == "" || rank(basis) <= rank(w.MinBasis)
}

// Target is one [[target]] table: a page holding a privacy policy.
type Target struct {
	// Name is unique and matches ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$.
	Name string `json:"name"`
	// URL of the policy page (http or https).
	URL string `json:"url"`
	// Selector is an optional CSS selector of the policy body.
	Selector string `json:"selector,omitempty"`
	// Exclude lists CSS selectors removed before extraction.
	Exclude []string `json:"exclude,omitempty"`
	// ScheduleSpec is the target's own cron spec; "" means [schedule]
	// default. Use Schedule for the effective spec.
	ScheduleSpec string `json:"schedule,omitempty"`
	// NoticeDays overrides the required notice period when set (0..365).
	NoticeDays *int `json:"notice_days,omitempty"`
	// Enabled targets are checked (default true).
	Enabled bool `json:"enabled"`
	// NoticeURL is the target's notice board (list page): NoticeAuto
	// (default) finds it, NoticeOff ("") watches none.
	NoticeURL string `json:"notice_url"`
	// Render is how the page is read: RenderAuto (default), RenderStatic
	// or RenderBrowser (see internal/render).
	Render string `json:"render"`
}

// Schedule returns the target's effective cron spec: its own, or c's default.
func (t *Target) Schedule(c *Config) string {
	if t.ScheduleSpec != "" {
		return t.ScheduleSpec
	}
	return c.Schedule.Default
}

// Target returns the target named name.
func (c *Config) Target(name string) (*Target, bool) {
	for i := range c.Targets {
		if c.Targets[i].Name == name {
			return &c.Targets[i], true
		}
	}
	return nil, false
}

// EnabledTargets returns the targets with enabled = true, in file order.
func (c *Config) EnabledTargets() []*Target {
	out := make([]*Target, 0, len(c.Targets))
	for i := range c.Targets {
		if c.Targets[i].Enabled {
			out = append(out, &c.Targets[i])
		}
	}
	return out
}
