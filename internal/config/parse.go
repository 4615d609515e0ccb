package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // notice.timezone must load on machines without zoneinfo.

	toml "github.com/pelletier/go-toml/v2"

	"github.com/monitord/monitord/internal/i18n"
)

// Defaults of every optional setting.
const (
	DefaultLanguage       = LanguageKorean
	DefaultLogLevel       = "info"
	DefaultLogFormat      = "text"
	DefaultStoragePath    = "monitord.db"
	DefaultDriver         = DriverBbolt
	DefaultLease          = 30 * time.Second
	DefaultClaimPoll      = time.Second
	DefaultNoticeDays     = 7
	DefaultTimezone       = "Asia/Seoul"
	DefaultFailingAfter   = 3
	DefaultSend           = SendAll
	DefaultExpire         = 72 * time.Hour
	DefaultSchedule       = "0 */6 * * *"
	DefaultJitter         = 30 * time.Second
	DefaultFetchTimeout   = 30 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultMaxBody        = 10 << 20
	DefaultMaxRedirects   = 10
	DefaultRetries        = 3
	DefaultConcurrency    = 8
	DefaultPerHost        = 2
	DefaultHostInterval   = 500 * time.Millisecond
	DefaultListen         = "127.0.0.1:8080"
	DefaultWebhookFormat  = FormatJSON
	DefaultWebhookTimeout = 10 * time.Second
	DefaultBrowser        = "chromium"
	DefaultBrowserConc    = 2
	DefaultRender         = RenderAuto
)

// maxFileSize bounds what Load reads: a config file is a few kilobytes.
const maxFileSize = 4 << 20

// envPrefix marks a secret read from the environment: "env:NAME".
const envPrefix = "env:"

// DefaultUserAgent returns the User-Agent sent when fetch.user_agent is not
// set, naming monitord, its version and where to learn about it.
func DefaultUserAgent(version string) string {
	return "monitord/" + version + " (+https://github.com/monitord/monitord; privacy-policy change monitor)"
}

// buildVersion is the main module's version from the build info, or "dev".
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return strings.TrimPrefix(v, "v")
		}
	}
	return "dev"
}

// Load reads and parses the configuration file at path; see Parse. A
// relative storage.path is resolved against the directory holding the file
// (made absolute), so the store does not depend on the working directory.
// getenv reads "env:NAME" secrets; nil means os.Getenv.
func Load(path string, getenv func(string) string) (*Config, error) {
	return load(path, getenv, false)
}

func load(path string, getenv func(string) string, reading bool) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is in the message already
		}
		return nil, cerr("config: open %s: %w (pass the path of config.toml with -config)", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, cerr("config: %s is larger than %d bytes: is it really config.toml?", path, maxFileSize)
	}
	c, err := parse(data, path, getenv, reading)
	if err != nil {
		return nil, err
	}
	if !c.Storage.Postgres() && !filepath.IsAbs(c.Storage.Path) {
		dir, err := filepath.Abs(filepath.Dir(path))
		if err != nil {
			return nil, fmt.Errorf("config: resolve storage.path against the directory of %s: %w", path, err)
		}
		c.Storage.Path = filepath.Join(dir, c.Storage.Path)
	}
	return c, nil
}

// Parse parses a config.toml document, applies defaults and validates the
// result. filename is used in error messages only. getenv reads "env:NAME"
// secrets; nil means os.Getenv.
//
// On failure it returns every problem found, joined with errors.Join, each an
// *Error naming the file, line and key. A syntax error, or a value whose type
// does not fit a table (say `target = 1`), stops parsing at that point and is
// reported alone.
func Parse(data []byte, filename string, getenv func(string) string) (*Config, error) {
	return parse(data, filename, getenv, false)
}

func parse(data []byte, filename string, getenv func(string) string, reading bool) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	col := &collector{file: filename, src: indexSource(data), reading: reading}

	var raw rawConfig
	var unknown []toml.DecodeError
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		var strict *toml.StrictMissingError
		var de *toml.DecodeError
		switch {
		case errors.As(err, &strict):
			// The document decoded fully; report the unknown keys along
			// with every other problem.
			unknown = strict.Errors
		case errors.As(err, &de):
			col.decodeError(de, data)
			return nil, col.err()
		default:
			return nil, fmt.Errorf("config: %s: %w", filename, err)
		}
	}

	c := raw.build(col, getenv)
	c.File = filename
	c.src = col.src
	for i := range unknown {
		col.unknownKey(&unknown[i], c)
	}
	if loc, err := loadZone(c.Notice.Timezone); err == nil {
		c.Notice.Location = loc
	}
	c.validate(col)
	if err := col.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// The raw* types mirror the file. Leaves are `any` so that a wrong type is
// reported by this package (with the key, the line and the expected type)
// alongside every other problem, instead of stopping the decoder.

type rawConfig struct {
	Language any          `toml:"language"`
	Log      rawLog       `toml:"log"`
	Storage  rawStorage   `toml:"storage"`
	Notice   rawNotice    `toml:"notice"`
	Schedule rawSchedule  `toml:"schedule"`
	Fetch    rawFetch     `toml:"fetch"`
	Server   rawServer    `toml:"server"`
	Webhook  []rawWebhook `toml:"webhook"`
	Target   []rawTarget  `toml:"target"`
}

type rawLog struct {
	Level  any `toml:"level"`
	Format any `toml:"format"`
}

type rawStorage struct {
	Driver    any `toml:"driver"`
	Path      any `toml:"path"`
	DSN       any `toml:"dsn"`
	Lease     any `toml:"lease"`
	ClaimPoll any `toml:"claim_poll"`
}

type rawNotice struct {
	Days         any `toml:"days"`
	Timezone     any `toml:"timezone"`
	FailingAfter any `toml:"failing_after"`
	Send         any `toml:"send"`
	Expire       any `toml:"expire"`
}

type rawSchedule struct {
	Default any `toml:"default"`
	Jitter  any `toml:"jitter"`
}

type rawFetch struct {
	Timeout        any `toml:"timeout"`
	ConnectTimeout any `toml:"connect_timeout"`
	MaxBody        any `toml:"max_body"`
	MaxRedirects   any `toml:"max_redirects"`
	Retries        any `toml:"retries"`
	Concurrency    any `toml:"concurrency"`
	PerHost        any `toml:"per_host"`
	HostInterval   any `toml:"host_interval"`
	UserAgent      any `toml:"user_agent"`
	Browser        any `toml:"browser"`
	BrowserConc    any `toml:"browser_concurrency"`
}

type rawServer struct {
	Listen  any `toml:"listen"`
	Token   any `toml:"token"`
	BaseURL any `toml:"base_url"`
}

type rawWebhook struct {
	Name           any `toml:"name"`
	URL            any `toml:"url"`
	Format         any `toml:"format"`
	Secret         any `toml:"secret"`
	Events         any `toml:"events"`
	Targets        any `toml:"targets"`
	OnlyViolations any `toml:"only_violations"`
	MinBasis       any `toml:"min_basis"`
	Timeout        any `toml:"timeout"`
	Language       any `toml:"language"`
	Template       any `toml:"template"`
	From           any `toml:"from"`
	To             any `toml:"to"`
	Username       any `toml:"username"`
	Password       any `toml:"password"`
}

type rawTarget struct {
	Name       any `toml:"name"`
	URL        any `toml:"url"`
	Selector   any `toml:"selector"`
	Exclude    any `toml:"exclude"`
	Schedule   any `toml:"schedule"`
	NoticeDays any `toml:"notice_days"`
	Enabled    any `toml:"enabled"`
	NoticeURL  any `toml:"notice_url"`
	Render     any `toml:"render"`
}

// build converts the raw document into a Config, filling defaults. Values of
// the wrong type are reported and replaced by their default, so that
// validation does not report them a second time.
func (r *rawConfig) build(col *collector, getenv func(string) string) *Config {
	top := col.root()
	c := &Config{
		Language: top.str("language", r.Language, DefaultLanguage),
	}

	s := col.table("log")
	c.Log = Log{
		Level:  s.str("level", r.Log.Level, DefaultLogLevel),
		Format: s.str("format", r.Log.Format, DefaultLogFormat),
	}

	s = col.table("storage")
	c.Storage = Storage{
		Driver:    s.str("driver", r.Storage.Driver, DefaultDriver),
		Path:      s.str("path", r.Storage.Path, DefaultStoragePath),
		Lease:     s.duration("lease", r.Storage.Lease, DefaultLease),
		ClaimPoll: s.duration("claim_poll", r.Storage.ClaimPoll, DefaultClaimPoll),
	}
	if c.Storage.Postgres() {
		// Readers need the database too: the DSN is read even by
		// LoadForReading. Another driver ignores it, unread.
		c.Storage.DSN = s.need().secret("dsn", r.Storage.DSN, getenv)
	}

	s = col.table("notice")
	c.Notice = Notice{
		Days:         s.integer("days", r.Notice.Days, DefaultNoticeDays),
		Timezone:     s.str("timezone", r.Notice.Timezone, DefaultTimezone),
		FailingAfter: s.integer("failing_after", r.Notice.FailingAfter, DefaultFailingAfter),
		Send:         s.str("send", r.Notice.Send, DefaultSend),
		Expire:       s.duration("expire", r.Notice.Expire, DefaultExpire),
	}

	s = col.table("schedule")
	c.Schedule = Schedule{
		Default: s.str("default", r.Schedule.Default, DefaultSchedule),
		Jitter:  s.duration("jitter", r.Schedule.Jitter, DefaultJitter),
	}

	s = col.table("fetch")
	c.Fetch = Fetch{
		Timeout:        s.duration("timeout", r.Fetch.Timeout, DefaultFetchTimeout),
		ConnectTimeout: s.duration("connect_timeout", r.Fetch.ConnectTimeout, DefaultConnectTimeout),
		MaxBody:        s.size("max_body", r.Fetch.MaxBody, DefaultMaxBody),
		MaxRedirects:   s.integer("max_redirects", r.Fetch.MaxRedirects, DefaultMaxRedirects),
		Retries:        s.integer("retries", r.Fetch.Retries, DefaultRetries),
		Concurrency:    s.integer("concurrency", r.Fetch.Concurrency, DefaultConcurrency),
		PerHost:        s.integer("per_host", r.Fetch.PerHost, DefaultPerHost),
		HostInterval:   s.duration("host_interval", r.Fetch.HostInterval, DefaultHostInterval),
		UserAgent:      s.str("user_agent", r.Fetch.UserAgent, DefaultUserAgent(buildVersion())),

		Browser:            s.str("browser", r.Fetch.Browser, DefaultBrowser),
		BrowserConcurrency: s.integer("browser_concurrency", r.Fetch.BrowserConc, DefaultBrowserConc),
	}

	s = col.table("server")
	c.Server = Server{
		Listen: s.str("listen", r.Server.Listen, DefaultListen),
		Token:  s.secret("token", r.Server.Token, getenv),
		// A trailing slash would double in every link.
		BaseURL: strings.TrimRight(s.str("base_url", r.Server.BaseURL, ""), "/"),
	}

	for i, w := range r.Webhook {
		name, _ := w.Name.(string)
		s := col.item("webhook", i, name)
		if w.Name == nil {
			name = "webhook-" + strconv.Itoa(i+1)
		} else {
			name = s.str("name", w.Name, "")
		}
		events, ok := s.strs("events", w.Events)
		if !ok {
			events = Events()
		}
		targets, _ := s.strs("targets", w.Targets)
		to, _ := s.strs("to", w.To)
		c.Webhooks = append(c.Webhooks, Webhook{
			Name:           name,
			URL:            s.secret("url", w.URL, getenv),
			Format:         s.str("format", w.Format, DefaultWebhookFormat),
			Secret:         s.secret("secret", w.Secret, getenv),
			Events:         events,
			Targets:        targets,
			OnlyViolations: s.boolean("only_violations", w.OnlyViolations, false),
			MinBasis:       s.str("min_basis", w.MinBasis, ""),
			Timeout:        s.duration("timeout", w.Timeout, DefaultWebhookTimeout),
			Language:       s.str("language", w.Language, c.Language),
			Template:       s.str("template", w.Template, ""),
			From:           s.str("from", w.From, ""),
			To:             to,
			Username:       s.str("username", w.Username, ""),
			Password:       s.secret("password", w.Password, getenv),
		})
	}

	for i, t := range r.Target {
		name, _ := t.Name.(string)
		s := col.item("target", i, name)
		exclude, _ := s.strs("exclude", t.Exclude)
		tg := Target{
			Name:         s.str("name", t.Name, ""),
			URL:          s.str("url", t.URL, ""),
			Selector:     s.str("selector", t.Selector, ""),
			Exclude:      exclude,
			ScheduleSpec: s.str("schedule", t.Schedule, ""),
			Enabled:      s.boolean("enabled", t.Enabled, true),
			NoticeURL:    s.str("notice_url", t.NoticeURL, NoticeAuto),
			Render:       s.str("render", t.Render, DefaultRender),
		}
		if t.NoticeDays != nil {
			d := s.integer("notice_days", t.NoticeDays, 0)
			if _, isInt := t.NoticeDays.(int64); isInt {
				tg.NoticeDays = &d
			}
		}
		c.Targets = append(c.Targets, tg)
	}
	return c
}

// describe names the TOML type of a decoded value for error messages.
func describe(v any) error {
	switch v := v.(type) {
	case string:
		return cerr("a string")
	case int64:
		return cerr("an integer (%d)", v)
	case float64:
		return cerr("a float")
	case bool:
		return cerr("a boolean")
	case []any:
		return cerr("an array")
	case map[string]any:
		return cerr("a table")
	case time.Time, toml.LocalDate, toml.LocalTime, toml.LocalDateTime:
		return cerr("a date or time")
	default:
		return cerr("a %T", v)
	}
}

// str converts a string value; def when absent or of the wrong type.
func (s scope) str(key string, v any, def string) string {
	switch v := v.(type) {
	case nil:
		return def
	case string:
		return v
	default:
		s.failf(key, "must be a string, got %s", describe(v))
		return def
	}
}

// integer converts an integer value; def when absent or of the wrong type.
func (s scope) integer(key string, v any, def int) int {
	switch v := v.(type) {
	case nil:
		return def
	case int64:
		if v < math.MinInt32 || v > math.MaxInt32 {
			s.failf(key, "integer %d is out of range", v)
			return def
		}
		return int(v)
	default:
		s.failf(key, "must be an integer, got %s", describe(v))
		return def
	}
}

// boolean converts a boolean value; def when absent or of the wrong type.
func (s scope) boolean(key string, v any, def bool) bool {
	switch v := v.(type) {
	case nil:
		return def
	case bool:
		return v
	default:
		s.failf(key, "must be true or false, got %s", describe(v))
		return def
	}
}

// strs converts an array of strings; ok is false when absent or invalid.
func (s scope) strs(key string, v any) (out []string, ok bool) {
	switch v := v.(type) {
	case nil:
		return nil, false
	case []any:
		out = make([]string, 0, len(v))
		ok = true
		for i, el := range v {
			str, isStr := el.(string)
			if !isStr {
				s.failf(key+"."+strconv.Itoa(i), "must be a string, got %s", describe(el))
				ok = false
				continue
			}
			out = append(out, str)
		}
		if !ok {
			return nil, false
		}
		return out, true
	default:
		s.failf(key, `must be an array of strings such as ["a", "b"], got %s`, describe(v))
		return nil, false
	}
}

// duration converts a duration string such as "30s"; def when absent or
// invalid.
func (s scope) duration(key string, v any, def time.Duration) time.Duration {
	switch v := v.(type) {
	case nil:
		return def
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			s.failf(key, `invalid duration %q: write a number with a unit (ms, s, m, h), such as "500ms", "30s" or "1h30m"`, v)
			return def
		}
		return d
	default:
		s.failf(key, `must be a duration string with a unit, such as "30s" or "10m", got %s`, describe(v))
		return def
	}
}

// size converts a byte count: an integer or a string such as "10MiB".
func (s scope) size(key string, v any, def int64) int64 {
	switch v := v.(type) {
	case nil:
		return def
	case int64:
		return v
	case string:
		n, err := parseSize(v)
		if err != nil {
			s.fail(key, err)
			return def
		}
		return n
	default:
		s.failf(key, `must be a number of bytes or a size such as "10MiB", got %s`, describe(v))
		return def
	}
}

// secret converts a secret, reading "env:NAME" through getenv. Errors never
// include the value.
func (s scope) secret(key string, v any, getenv func(string) string) Secret {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		name, fromEnv := strings.CutPrefix(v, envPrefix)
		if !fromEnv {
			return Secret(v)
		}
		if !validEnvName(name) {
			s.failf(key, `invalid environment variable name %q in "env:NAME": use letters, digits and _, not starting with a digit`, name)
			return ""
		}
		val := getenv(name)
		if val == "" && s.c.reading && !s.needed {
			s.unresolved(key)
			return ""
		}
		if val == "" {
			s.failf(key, "environment variable %s is not set or is empty: export it before starting monitord, or write the value here", name)
			return ""
		}
		return Secret(val)
	default:
		s.failf(key, `must be a string (or "env:NAME"), got %s`, describe(v))
		return ""
	}
}

func validEnvName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// parseSize parses "10MiB", "512 KiB", "1MB" or "4096" into bytes.
func parseSize(v string) (int64, error) {
	t := strings.TrimSpace(v)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	num, unit := t[:i], strings.TrimSpace(t[i:])
	bad := cerr(`invalid size %q: write an integer number of bytes or an integer with a unit (B, KB, KiB, MB, MiB, GB, GiB), such as "10MiB"`, v)
	if num == "" {
		return 0, bad
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, bad
	}
	units := [...]struct {
		name string
		mult int64
	}{
		{"", 1}, {"B", 1},
		{"KB", 1000}, {"KiB", 1 << 10},
		{"MB", 1000 * 1000}, {"MiB", 1 << 20},
		{"GB", 1000 * 1000 * 1000}, {"GiB", 1 << 30},
	}
	for _, u := range units {
		if strings.EqualFold(unit, u.name) {
			if n > math.MaxInt64/u.mult {
				return 0, cerr("size %q is too large", v)
			}
			return n * u.mult, nil
		}
	}
	return 0, bad
}

// unknownKey reports a key the schema does not have, with the valid keys.
func (c *collector) unknownKey(de *toml.DecodeError, cfg *Config) {
	line, _ := de.Position()
	parts := []string(de.Key())
	// The index knows the full path, with the [[target]] it is in.
	for _, path := range c.src.byLine[line] {
		if p := strings.Split(path, "."); sameTail(p, de.Key()) {
			parts = p
			break
		}
	}
	if len(parts) == 0 {
		c.errs = append(c.errs, &Error{File: c.file, Line: line, Err: errors.New("unknown key")})
		return
	}
	s, typ, rest := c.scopeOf(parts, cfg)
	valid := tomlKeys(typ)
	msg := fmt.Sprintf("unknown key %q", rest[0])
	msgs := []i18n.Msg{i18n.V("config.unknown_key", strconv.Quote(rest[0]))}
	if sug := closest(rest[0], valid); sug != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", sug)
		msgs = append(msgs, i18n.V("config.unknown_key.suggest", strconv.Quote(sug)))
	}
	msg += "; valid keys here: " + strings.Join(valid, ", ")
	msgs = append(msgs, i18n.V("config.unknown_key.valid", strings.Join(valid, ", ")))
	c.errs = append(c.errs, &Error{File: c.file, Line: line, Section: s.section, Key: s.keyBase + strings.Join(rest, "."),
		Err: i18n.WrapMsgs("unknown_key", errors.New(msg), msgs...)})
}

// scopeOf finds the scope a key path belongs to ("target.1.x" is in the
// second [[target]], "notice.x" in [notice]), the raw struct describing that
// scope and the rest of the path. cfg, when not nil, names the sections.
func (c *collector) scopeOf(parts []string, cfg *Config) (scope, reflect.Type, []string) {
	typ := reflect.TypeFor[rawConfig]()
	if len(parts) >= 3 && (parts[0] == "target" || parts[0] == "webhook") && isIndex(parts[1]) {
		i, _ := strconv.Atoi(parts[1])
		name := ""
		if parts[0] == "target" {
			typ = reflect.TypeFor[rawTarget]()
			if cfg != nil && i < len(cfg.Targets) {
				name = cfg.Targets[i].Name
			}
		} else {
			typ = reflect.TypeFor[rawWebhook]()
			if cfg != nil && i < len(cfg.Webhooks) {
				name = cfg.Webhooks[i].Name
			}
		}
		return c.item(parts[0], i, name), typ, parts[2:]
	}
	if len(parts) >= 2 {
		for f := range typ.Fields() {
			if tomlName(typ, f.Name) == parts[0] && f.Type.Kind() == reflect.Struct {
				return c.table(parts[0]), f.Type, parts[1:]
			}
		}
	}
	return c.root(), typ, parts
}

// sameTail reports whether the indexed path ends with the decoder's key
// (the index has array positions the decoder's key lacks).
func sameTail(path []string, key toml.Key) bool {
	if len(key) == 0 {
		return false
	}
	return len(path) > 0 && path[len(path)-1] == key[len(key)-1]
}

func isIndex(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// tomlName returns the toml tag of typ's field named field.
func tomlName(typ reflect.Type, field string) string {
	f, ok := typ.FieldByName(field)
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	return name
}

// tomlKeys lists the keys a raw struct accepts, in declaration order.
func tomlKeys(typ reflect.Type) []string {
	keys := make([]string, 0, typ.NumField())
	for f := range typ.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("toml"), ","); name != "" {
			keys = append(keys, name)
		}
	}
	return keys
}

// closest returns the valid key nearest to key when it is a likely typo.
func closest(key string, valid []string) string {
	best, bestD := "", 3
	for _, v := range valid {
		if d := editDistance(key, v); d < bestD {
			best, bestD = v, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between two short keys.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// tableHint says how to write a table or an array of tables when a value
// of the wrong type stands in its place.
func tableHint(key string) (error, bool) {
	switch key {
	case "log", "storage", "notice", "fetch", "server":
		return cerr("must be a table: write [%s] and its keys below it", key), true
	case "schedule":
		return cerr("must be a table: write [schedule] and its keys below it; a target's own schedule goes inside its [[target]]"), true
	case "webhook", "target":
		return cerr("must be an array of tables: write [[%s]] above each %s's keys", key, key), true
	}
	return nil, false
}

// decodeError reports a syntax error or a value that cannot fill a table.
func (c *collector) decodeError(de *toml.DecodeError, data []byte) {
	line, col := de.Position()
	parts := []string(de.Key())
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	var err error
	if hint, ok := tableHint(strings.Join(parts, ".")); ok && strings.Contains(msg, "cannot decode") {
		err = hint
	} else {
		err = i18n.WrapV("toml_syntax", fmt.Errorf("invalid TOML at column %d: %s", col, msg), "config.toml_syntax", col, msg)
	}
	if len(parts) == 0 {
		parts = c.src.guessKey(data, line)
	}
	e := &Error{File: c.file, Line: line, Key: strings.Join(parts, "."), Err: err}
	if len(parts) > 0 {
		s, _, rest := c.scopeOf(parts, nil)
		e.Section, e.Key = s.section, s.keyBase+strings.Join(rest, ".")
	}
	c.errs = append(c.errs, e)
}
