package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Secret values used by the fixtures; tests assert they never leak.
const (
	tokenValue = "tok-SECRETVALUE-0123456789abcdef"
	hookValue  = "https://hooks.example/SECRETHOOK/abc"
)

// testEnv is the environment the fixtures see.
func testEnv(name string) string {
	return map[string]string{
		"MONITORD_TOKEN":    tokenValue,
		"MONITORD_HOOK_URL": hookValue,
		"MONITORD_DSN":      "postgres://monitord:pw@127.0.0.1:5432/monitord",
	}[name]
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// problems splits a joined error into its *Error parts.
func problems(t *testing.T, err error) []*Error {
	t.Helper()
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]*Error, 0, len(errs))
	for _, e := range errs {
		var ce *Error
		if !errors.As(e, &ce) {
			t.Fatalf("problem %q is a %T, want *config.Error", e, e)
		}
		out = append(out, ce)
	}
	return out
}

// TestBadFixtures parses every testdata/bad file. Each file lists the
// problems it must produce as "# want: <substring>" lines; the error must
// hold every one of them, and no other problem.
func TestBadFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data := readFixture(t, filepath.Join("bad", filepath.Base(file)))
			var wants []string
			for line := range strings.Lines(string(data)) {
				if w, ok := strings.CutPrefix(line, "# want: "); ok {
					wants = append(wants, strings.TrimRight(w, "\n"))
				}
			}
			if len(wants) == 0 {
				t.Fatal("fixture has no # want: lines")
			}
			c, err := Parse(data, "config.toml", testEnv)
			if err == nil {
				t.Fatalf("Parse succeeded (%+v), want errors:\n%s", c, strings.Join(wants, "\n"))
			}
			if c != nil {
				t.Errorf("Parse returned a config with an error")
			}
			msg := err.Error()
			for _, w := range wants {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q; got:\n%s", w, msg)
				}
			}
			got := problems(t, err)
			if len(got) != len(wants) {
				t.Errorf("got %d problems, want %d:\n%s", len(got), len(wants), msg)
			}
			for _, p := range got {
				if p.File != "config.toml" || p.Line == 0 || p.Key == "" {
					t.Errorf("problem %q lacks file, line or key: %#v", p, p)
				}
				if strings.Contains(p.Error(), "\n") {
					t.Errorf("problem %q spans lines", p)
				}
			}
			if !slices.IsSortedFunc(got, func(a, b *Error) int { return a.Line - b.Line }) {
				t.Errorf("problems are not in line order:\n%s", msg)
			}
		})
	}
}

func TestGoodFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "good", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			c, err := Parse(readFixture(t, filepath.Join("good", filepath.Base(file))), "config.toml", testEnv)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("Validate after Parse: %v", err)
			}
			if c.Notice.Location == nil || c.Notice.Location.String() != c.Notice.Timezone {
				t.Errorf("Location = %v, want %s", c.Notice.Location, c.Notice.Timezone)
			}
		})
	}
}

func TestFull(t *testing.T) {
	c, err := Parse(readFixture(t, "good/full.toml"), "full.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	days30 := 30
	want := &Config{
		File:     "full.toml",
		Language: "en",
		Log:      Log{Level: "debug", Format: "json"},
		Storage:  Storage{Driver: DriverBbolt, Path: "/var/lib/monitord/policies.db", Lease: 45 * time.Second, ClaimPoll: 500 * time.Millisecond},
		Notice: Notice{Days: 14, Timezone: "Europe/Berlin", FailingAfter: 5, Send: SendViolations,
			Expire: 24 * time.Hour},
		Schedule: Schedule{Default: "@every 2h", Jitter: time.Minute},
		Fetch: Fetch{Timeout: 45 * time.Second, ConnectTimeout: 5 * time.Second, MaxBody: 512 << 10,
			MaxRedirects: 5, Retries: 1, Concurrency: 16, PerHost: 4, HostInterval: time.Second,
			UserAgent: "monitord-test/1.0 (+https://example.kr/about)",
			Browser:   "/usr/lib/chromium/chromium", BrowserConcurrency: 3},
		Server: Server{Listen: "0.0.0.0:9090", Token: tokenValue, BaseURL: "https://monitord.example.kr/watch"},
		Webhooks: []Webhook{
			{Name: "compliance", URL: hookValue, Format: FormatJSON, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
				Events: []string{EventPolicyChanged, EventTargetFailing}, Targets: []string{"shop"},
				OnlyViolations: true, MinBasis: BasisObserved, Timeout: 20 * time.Second, Language: "ko"},
			{Name: "webhook-2", URL: "https://hooks.slack.example/services/T000/B000/XXXX", Format: FormatSlack,
				Events: Events(), Timeout: DefaultWebhookTimeout, Language: "en"},
		},
		Targets: []Target{
			{Name: "shop", URL: "https://shop.example.kr/policy/privacy", Selector: "#policy-body",
				Exclude: []string{".popup", "nav.breadcrumb", "div[data-ad]"}, ScheduleSpec: "30 9 * * 1-5",
				NoticeDays: &days30, Enabled: true, NoticeURL: "https://shop.example.kr/board/notice", Render: RenderBrowser},
			{Name: "bank.app_v2", URL: "http://bank.example.kr:8080/privacy.html?lang=ko", NoticeURL: NoticeAuto, Render: RenderAuto},
		},
	}
	c.src, c.Notice.Location = nil, nil
	if !reflect.DeepEqual(c, want) {
		gotJSON, _ := json.MarshalIndent(c, "", "  ")
		wantJSON, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("full.toml parsed as\n%s\nwant\n%s", gotJSON, wantJSON)
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse(nil, "empty.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Notice.Location == nil || c.Notice.Location.String() != "Asia/Seoul" {
		t.Errorf("Location = %v, want Asia/Seoul", c.Notice.Location)
	}
	c.src, c.Notice.Location = nil, nil
	want := &Config{
		File:     "empty.toml",
		Language: "ko",
		Log:      Log{Level: "info", Format: "text"},
		Storage:  Storage{Driver: DriverBbolt, Path: "monitord.db", Lease: 30 * time.Second, ClaimPoll: time.Second},
		Notice:   Notice{Days: 7, Timezone: "Asia/Seoul", FailingAfter: 3, Send: SendAll, Expire: 72 * time.Hour},
		Schedule: Schedule{Default: "0 */6 * * *", Jitter: 30 * time.Second},
		Fetch: Fetch{Timeout: 30 * time.Second, ConnectTimeout: 10 * time.Second, MaxBody: 10 << 20,
			MaxRedirects: 10, Retries: 3, Concurrency: 8, PerHost: 2, HostInterval: 500 * time.Millisecond,
			UserAgent: DefaultUserAgent(buildVersion()), Browser: DefaultBrowser, BrowserConcurrency: DefaultBrowserConc},
		Server: Server{Listen: "127.0.0.1:8080"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}
	if !strings.HasPrefix(c.Fetch.UserAgent, "monitord/") || !strings.Contains(c.Fetch.UserAgent, "https://github.com/monitord/monitord") {
		t.Errorf("default User-Agent %q does not name monitord and its home", c.Fetch.UserAgent)
	}

	// Per-item defaults.
	c, err = Parse([]byte("[[webhook]]\nurl = \"https://h.example/x\"\n[[target]]\nname = \"a\"\nurl = \"https://a.example/p\"\n"), "c.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	w := c.Webhooks[0]
	if w.Name != "webhook-1" || w.Format != FormatJSON || !slices.Equal(w.Events, Events()) || w.Targets != nil ||
		w.OnlyViolations || w.Timeout != 10*time.Second || w.Language != "ko" {
		t.Errorf("webhook defaults: %+v", w)
	}
	tg := c.Targets[0]
	if !tg.Enabled || tg.NoticeDays != nil || tg.Schedule(c) != DefaultSchedule || tg.Selector != "" || tg.Exclude != nil {
		t.Errorf("target defaults: %+v (schedule %q)", tg, tg.Schedule(c))
	}
}

// TestZeroValuesAreKept checks that an explicit zero is not mistaken for an
// absent key: notice_days = 0, listen = "" and enabled = false mean something.
func TestZeroValuesAreKept(t *testing.T) {
	c, err := Parse([]byte(`
[notice]
days = 0
[fetch]
retries = 0
max_redirects = 0
host_interval = "0s"
[schedule]
jitter = "0s"
[server]
listen = ""
[[target]]
name = "a"
url = "https://a.example/p"
notice_days = 0
enabled = false
`), "c.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	tg, ok := c.Target("a")
	if !ok {
		t.Fatal(`Target("a") not found`)
	}
	if c.Notice.Days != 0 || c.Fetch.Retries != 0 || c.Fetch.MaxRedirects != 0 || c.Fetch.HostInterval != 0 ||
		c.Schedule.Jitter != 0 || c.Server.Enabled() || tg.NoticeDays == nil || *tg.NoticeDays != 0 || tg.Enabled {
		t.Errorf("zero values lost: %+v, target %+v", c, tg)
	}
	if got := c.EnabledTargets(); len(got) != 0 {
		t.Errorf("EnabledTargets = %v, want none", got)
	}
	if _, ok := c.Target("b"); ok {
		t.Error(`Target("b") found`)
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"4096", 4096},
		{"512KiB", 512 << 10},
		{"10MiB", 10 << 20},
		{"10 MiB", 10 << 20},
		{"2mb", 2_000_000},
		{"1GiB", 1 << 30},
		{"3kb", 3000},
		{"100B", 100},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "MiB", "1.5MiB", "-1", "10 parsecs", "99999999999999GiB", "1e6"} {
		if got, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", bad, got)
		}
	}
}

func TestEnvSecrets(t *testing.T) {
	doc := `
[server]
listen = "0.0.0.0:8080"
token = "env:MONITORD_TOKEN"
[[webhook]]
url = "env:MONITORD_HOOK_URL"
secret = "env:MONITORD_HOOK_SECRET"
`
	env := map[string]string{
		"MONITORD_TOKEN":       tokenValue,
		"MONITORD_HOOK_URL":    hookValue,
		"MONITORD_HOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	}
	var asked []string
	getenv := func(k string) string { asked = append(asked, k); return env[k] }
	c, err := Parse([]byte(doc), "c.toml", getenv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.Token.Reveal() != tokenValue || c.Webhooks[0].URL.Reveal() != hookValue ||
		c.Webhooks[0].Secret.Reveal() != env["MONITORD_HOOK_SECRET"] {
		t.Errorf("secrets not read from the environment: %q %q %q",
			c.Server.Token.Reveal(), c.Webhooks[0].URL.Reveal(), c.Webhooks[0].Secret.Reveal())
	}
	slices.Sort(asked)
	if want := []string{"MONITORD_HOOK_SECRET", "MONITORD_HOOK_URL", "MONITORD_TOKEN"}; !slices.Equal(asked, want) {
		t.Errorf("getenv asked for %v, want %v", asked, want)
	}

	// An empty variable counts as missing; the error names the key and variable.
	env["MONITORD_TOKEN"] = ""
	_, err = Parse([]byte(doc), "c.toml", getenv)
	if err == nil || !strings.Contains(err.Error(), "c.toml:4: server.token: environment variable MONITORD_TOKEN is not set") {
		t.Errorf("empty env var: got %v", err)
	}

	// Only "env:" at the start means the environment; other values are literal.
	c, err = Parse([]byte("[server]\ntoken = \"xenv:NOT_A_REFERENCE_12345\"\n"), "c.toml", func(string) string {
		t.Error("getenv called for a literal secret")
		return ""
	})
	if err != nil || c.Server.Token.Reveal() != "xenv:NOT_A_REFERENCE_12345" {
		t.Errorf("literal secret: %v, %q", err, c.Server.Token.Reveal())
	}

	// A nil getenv reads the process environment.
	t.Setenv("MONITORD_CONFIG_TEST_TOKEN", tokenValue)
	c, err = Parse([]byte("[server]\ntoken = \"env:MONITORD_CONFIG_TEST_TOKEN\"\n"), "c.toml", nil)
	if err != nil || c.Server.Token.Reveal() != tokenValue {
		t.Errorf("nil getenv: %v", err)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	c, err := Parse(readFixture(t, "good/full.toml"), "full.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{tokenValue, hookValue, "SECRETHOOK", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		"hooks.slack.example/services/T000/B000/XXXX"}
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", c), "%+v": fmt.Sprintf("%+v", c), "%#v": fmt.Sprintf("%#v", c),
		"%v value": fmt.Sprintf("%v", *c), "%+v value": fmt.Sprintf("%+v", *c), "%#v value": fmt.Sprintf("%#v", *c),
		"%s": fmt.Sprintf("%s", c.Server.Token), "%q": fmt.Sprintf("%q", c.Server.Token),
		"%x": fmt.Sprintf("%x", c.Server.Token), "%d": fmt.Sprintf("%d", c.Server.Token),
		"%v webhooks": fmt.Sprintf("%v", c.Webhooks), "%+v webhook": fmt.Sprintf("%+v", c.Webhooks[0]),
		"json": string(js),
	}
	for name, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s output leaks %q:\n%s", name, s, out)
			}
		}
	}
	var decoded struct {
		Server   struct{ Token string }
		Webhooks []struct{ URL, Secret string }
	}
	if err := json.Unmarshal(js, &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded.Server.Token != "<secret>" || decoded.Webhooks[0].URL != "<secret>" || decoded.Webhooks[0].Secret != "<secret>" ||
		!strings.Contains(outputs["%+v"], "Token:<secret>") || !strings.Contains(outputs["%#v"], "<secret>") {
		t.Errorf("secrets are not shown as <secret>:\n%s\n%s", js, outputs["%+v"])
	}
	if b, _ := c.Server.Token.MarshalText(); string(b) != "<secret>" {
		t.Errorf("MarshalText = %q", b)
	}
	if s := Secret("").String(); s != "" {
		t.Errorf(`Secret("").String() = %q, want ""`, s)
	}

	// Nor may a problem report quote a webhook URL.
	doc := "[[webhook]]\nurl = \"ftp://hooks.example/SECRETHOOK\"\n[[webhook]]\nurl = \"https://hooks.example/SECRETHOOK/%zz\"\n"
	_, err = Parse([]byte(doc), "c.toml", testEnv)
	if err == nil || strings.Contains(err.Error(), "SECRETHOOK") || strings.Contains(err.Error(), "%zz") {
		t.Errorf("webhook URL error leaks or is missing: %v", err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, readFixture(t, "good/minimal.toml"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "monitord.db"); c.Storage.Path != want {
		t.Errorf("storage.path = %q, want %q (relative to the config file)", c.Storage.Path, want)
	}
	if c.File != path {
		t.Errorf("File = %q, want %q", c.File, path)
	}

	// Absolute paths are kept; relative ones with directories are joined.
	for in, want := range map[string]string{
		"/srv/m.db":   "/srv/m.db",
		"data/m.db":   filepath.Join(dir, "data", "m.db"),
		"../x/m.db":   filepath.Join(filepath.Dir(dir), "x", "m.db"),
		"./monitor.d": filepath.Join(dir, "monitor.d"),
	} {
		if err := os.WriteFile(path, []byte(fmt.Sprintf("[storage]\npath = %q\n", in)), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path, testEnv)
		if err != nil {
			t.Fatal(err)
		}
		if c.Storage.Path != want {
			t.Errorf("storage.path %q → %q, want %q", in, c.Storage.Path, want)
		}
	}

	// Errors name the path given to Load.
	if err := os.WriteFile(path, []byte("[notice]\ndays = 999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, testEnv); err == nil || !strings.Contains(err.Error(), path+":2: notice.days:") {
		t.Errorf("Load error = %v, want it to name %s:2", err, path)
	}
	if _, err := Load(filepath.Join(dir, "missing.toml"), testEnv); err == nil || !errors.Is(err, os.ErrNotExist) ||
		!strings.HasPrefix(err.Error(), "config: ") {
		t.Errorf("missing file: %v", err)
	}
}

// TestSampleConfig parses config.toml at the repository root.
func TestSampleConfig(t *testing.T) {
	path := filepath.Join("..", "..", "config.toml")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("sample config not found at %s: %v", path, err)
	}
	c, err := Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatalf("the sample config.toml does not load:\n%v", err)
	}
	if len(c.Targets) < 3 || c.Server.Listen != "127.0.0.1:8080" || c.Notice.Days != 7 || c.Notice.Timezone != "Asia/Seoul" {
		t.Errorf("sample config: %+v", c)
	}
	for _, tg := range c.Targets {
		if !strings.HasPrefix(tg.URL, "https://") {
			t.Errorf("target %s: %s is not https", tg.Name, tg.URL)
		}
	}
}

func TestValidateHandBuilt(t *testing.T) {
	c, err := Parse(readFixture(t, "good/minimal.toml"), "config.toml", testEnv)
	if err != nil {
		t.Fatal(err)
	}
	c.Targets = append(c.Targets, Target{Name: "a", URL: "https://b.example/p", ScheduleSpec: "nope", Enabled: true})
	c.Notice.Days = -1 // not in the file: no line to point at
	c.Targets[0].URL = "mailto:privacy@example.kr"
	err = c.Validate()
	if err == nil {
		t.Fatal("Validate accepted a duplicate name, a bad schedule and negative days")
	}
	for _, want := range []string{
		"config.toml: notice.days: must be between 0 and 365, got -1",
		`config.toml:3: target[1] "a": url: invalid URL "mailto:privacy@example.kr": scheme must be`,
		`config.toml: target[2] "a": name: duplicate target name "a", already used by target[1] at config.toml:2`,
		`config.toml: target[2] "a": schedule: invalid cron spec "nope"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error lacks %q:\n%v", want, err)
		}
	}
	// A Config built from nothing has no file or lines, and still says what is wrong.
	err = (&Config{}).Validate()
	if err == nil || !strings.Contains(err.Error(), `language: invalid value "": must be one of "ko", "en"`) {
		t.Errorf("zero Config: %v", err)
	}
}

func TestParseSchedule(t *testing.T) {
	from := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	good := map[string]time.Time{
		"0 */6 * * *":  time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC),
		"@every 1h":    from.Add(time.Hour),
		"@every 1m":    from.Add(time.Minute),
		"@daily":       time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		"@hourly":      from.Add(time.Hour),
		"30 9 * * MON": time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC),
		"0 0 29 2 *":   time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC),
		" @weekly ":    time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC),
	}
	for spec, want := range good {
		s, err := ParseSchedule(spec)
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", spec, err)
			continue
		}
		if got := s.Next(from); !got.Equal(want) {
			t.Errorf("ParseSchedule(%q).Next(%s) = %s, want %s", spec, from, got, want)
		}
	}
	bad := map[string]string{
		"":                   "empty schedule",
		"x":                  "expected exactly 5 fields",
		"0 0 * * * *":        "expected exactly 5 fields",
		"@every 59s":         "at least 1m",
		"@every forever":     "failed to parse duration",
		"@fortnightly":       "unrecognized descriptor",
		"0 0 31 4 *":         "never fires",
		"TZ=Asia/Seoul":      "time zone prefixes",
		"CRON_TZ=UTC @daily": "time zone prefixes",
		"*/0 * * * *":        "step of range",
	}
	for spec, want := range bad {
		_, err := ParseSchedule(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSchedule(%q) = %v, want an error containing %q", spec, err, want)
		}
	}
	// The scheduler's parser is the same one.
	if _, err := CronParser().Parse("0 */6 * * *"); err != nil {
		t.Errorf("CronParser: %v", err)
	}
	if _, err := CronParser().Parse("0 0 */6 * * *"); err == nil {
		t.Error("CronParser accepts a seconds field")
	}
}

func TestWebhookAccepts(t *testing.T) {
	w := Webhook{Events: []string{EventPolicyChanged, EventTargetFailing}, Targets: []string{"a"}, OnlyViolations: true}
	tests := []struct {
		event, target string
		violations    bool
		want          bool
	}{
		{EventPolicyChanged, "a", true, true},
		{EventPolicyChanged, "a", false, false},
		{EventPolicyChanged, "b", true, false},
		{EventPolicyBaseline, "a", true, false},
		{EventTargetFailing, "a", false, true},
	}
	for _, tt := range tests {
		if got := w.Accepts(tt.event, tt.target, tt.violations); got != tt.want {
			t.Errorf("Accepts(%s, %s, %v) = %v, want %v", tt.event, tt.target, tt.violations, got, tt.want)
		}
	}
	all := Webhook{}
	if !all.Accepts(EventPolicyBaseline, "any", false) {
		t.Error("a webhook without filters refuses an event")
	}
}

func TestSlogLevel(t *testing.T) {
	for level, want := range map[string]string{"debug": "DEBUG", "info": "INFO", "warn": "WARN", "error": "ERROR", "": "INFO"} {
		if got := (Log{Level: level}).SlogLevel().String(); got != want {
			t.Errorf("SlogLevel(%q) = %s, want %s", level, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, dir := range []string{"good", "bad"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.toml"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("[[target]]\nname = \"a\"\nurl = \"https://a.example/p\"\nschedule = \"@every 1h\"\n"))
	f.Add([]byte("a.b.c = 1\n[x.y]\n[[x.y.z]]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.toml", testEnv)
		if err != nil {
			if c != nil {
				t.Fatal("Parse returned both a config and an error")
			}
			for _, p := range problems(t, err) {
				if !strings.HasPrefix(p.Error(), "fuzz.toml") {
					t.Fatalf("problem does not name the file: %q", p)
				}
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted a config that Validate rejects: %v\n%s", err, data)
		}
		if c.Notice.Location == nil {
			t.Fatal("Parse succeeded without a Location")
		}
		for i := range c.Targets {
			tg := &c.Targets[i]
			if _, err := ParseSchedule(tg.Schedule(c)); err != nil {
				t.Fatalf("target %s: effective schedule %q: %v", tg.Name, tg.Schedule(c), err)
			}
			if got, ok := c.Target(tg.Name); !ok || got != tg {
				t.Fatalf("Target(%q) does not find target %d", tg.Name, i)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data := readFixture(b, "good/full.toml")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, "full.toml", testEnv); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"0 */6 * * *", "@every 1h", "@daily", "x", "TZ=", "CRON_TZ=Asia/Seoul 0 * * * *",
		"*/0 * * * *", "0 0 30 2 *", "1-2/3,4 * * JAN-MAR MON-FRI", "@every -1s", "59-0 * * * *"} {
		f.Add(s)
	}
	from := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := ParseSchedule(spec)
		if err != nil {
			if s != nil {
				t.Fatal("ParseSchedule returned a schedule and an error")
			}
			return
		}
		next := s.Next(from)
		if next.IsZero() || !next.After(from) {
			t.Fatalf("ParseSchedule(%q).Next(%s) = %s, want a later time", spec, from, next)
		}
		if again, err := ParseSchedule(spec); err != nil || !again.Next(next).After(next) {
			t.Fatalf("ParseSchedule(%q) is not stable: %v", spec, err)
		}
	})
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"10MiB", "512 KiB", "4096", "1GB", "x", "9223372036854775807", "99999999999GiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseSize(s)
		if err == nil && n < 0 {
			t.Fatalf("parseSize(%q) = %d, want a positive size", s, n)
		}
	})
}

func TestErrorFields(t *testing.T) {
	_, err := Parse(readFixture(t, "bad/bad-cron.toml"), "config.toml", testEnv)
	var first *Error
	if !errors.As(err, &first) {
		t.Fatalf("errors.As(*Error) failed on %v", err)
	}
	got := problems(t, err)[1]
	want := Error{File: "config.toml", Line: 12, Section: `target[1] "naver"`, Key: "schedule"}
	if got.File != want.File || got.Line != want.Line || got.Section != want.Section || got.Key != want.Key || got.Err == nil {
		t.Errorf("problem = %#v, want %#v", got, want)
	}
	if !strings.HasPrefix(got.Error(), `config.toml:12: target[1] "naver": schedule: invalid cron spec "x": `) {
		t.Errorf("Error() = %q", got.Error())
	}
	if errors.Unwrap(got) != got.Err {
		t.Error("Unwrap does not return Err")
	}
	if s := (&Error{Line: 3, Key: "k", Err: errors.New("bad")}).Error(); s != "line 3: k: bad" {
		t.Errorf("Error() without a file = %q", s)
	}
}

func TestWebhookCountsBasis(t *testing.T) {
	for _, tt := range []struct {
		min, basis string
		want       bool
	}{
		{"", "unconfirmed", true}, {"", "", true},
		{BasisPage, BasisPage, true}, {BasisPage, BasisObserved, false}, {BasisPage, BasisUnconfirmed, false},
		{BasisObserved, BasisPage, true}, {BasisObserved, BasisObserved, true}, {BasisObserved, BasisUnconfirmed, false},
		{BasisObserved, "", false}, {BasisUnconfirmed, BasisUnconfirmed, true},
	} {
		w := Webhook{MinBasis: tt.min}
		if got := w.Counts(tt.basis); got != tt.want {
			t.Errorf("min_basis %q counts %q = %v, want %v", tt.min, tt.basis, got, tt.want)
		}
	}
	w := Webhook{OnlyViolations: true}
	if w.Accepts(EventPolicyAnnounced, "x", false) {
		t.Error("an only_violations webhook accepts policy.announced")
	}
}
