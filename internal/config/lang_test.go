package config

import (
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/i18n/i18ntest"
)

// badConfig holds one of most problems a configuration can have.
const badConfig = `language = "ko"
[log]
level = "loud"
[storage]
path = ""
[notice]
days = 400
timezone = "Mars/Olympus"
failing_after = "three"
[schedule]
default = "@every 10s"
[fetch]
timeout = "forever"
connect_timeout = "20s"
max_body = "10 parsecs"
per_host = 0
retries = 99
user_agent = ""
[server]
listen = "0.0.0.0:8080"
token = "short"
base_url = "ftp://monitord.example.kr"

[[target]]
name = "naver"
url = ""
render = "sometimes"
notice_days = -1

[[target]]
name = "naver"
url = "ftp://example.kr/privacy"
schedule = "TZ=Asia/Seoul 0 * * * *"

[[target]]
name = "bad name!"
url = "https://example.kr/p"

[[webhook]]
name = "slack"
url = "env:SLACK_URL"
format = "slack"
events = ["policy.changed", "policy.exploded", "policy.changed"]
targets = ["naver", "daum"]
secret = "whsec_abc"
timeout = "1ms"

[[webhook]]
name = "mail"
format = "email"
`

// TestConfigErrorsInKorean renders every problem of a bad configuration in
// Korean and English: FILE:LINE and the key are the same in both and in
// Error(); the English rendering is Error() itself; the Korean holds no
// English words beyond keys, values and codes.
func TestConfigErrorsInKorean(t *testing.T) {
	_, err := Parse([]byte(badConfig), "config.toml", func(string) string { return "" })
	if err == nil {
		t.Fatal("the bad configuration parsed")
	}
	errs := err.(interface{ Unwrap() []error }).Unwrap()
	if len(errs) < 20 {
		t.Fatalf("only %d problems:\n%v", len(errs), err)
	}
	// Keys and values of the file, and the names of TOML tables, are not
	// English prose.
	allow := []string{"true", "false", "env", "selector", "username", "password", "token", "secret", "format", "targets", "events", "url", "name", "bearer", "cron", "s", "m", "h"}
	for _, e := range errs {
		var ce *Error
		if !errors.As(e, &ce) {
			t.Fatalf("%T is not a *config.Error: %v", e, e)
		}
		ko, en := i18n.Korean.Err(e), i18n.English.Err(e)
		if en != e.Error() {
			t.Errorf("English rendering differs from Error():\n got %s\nwant %s", en, e.Error())
		}
		prefix := ce.prefix()
		if !strings.HasPrefix(ko, prefix) || !strings.HasPrefix(prefix, "config.toml:"+strconv.Itoa(ce.Line)+": ") {
			t.Errorf("Korean line %q lost FILE:LINE %q", ko, prefix)
		}
		if ce.Code() == "config" {
			t.Errorf("no catalogue entry for %q", e.Error())
		}
		if runs := i18ntest.EnglishRuns(strings.TrimPrefix(ko, prefix), allow...); len(runs) > 0 {
			t.Errorf("Korean line holds English %q:\n%s", runs, ko)
		}
		t.Log(ko)
	}
}

// TestConfigErrorsInKoreanSyntax: a file that does not parse and one with
// an unknown key.
func TestConfigErrorsInKoreanSyntax(t *testing.T) {
	for _, doc := range []string{"[fetch\ntimeout = \"1s\"\n", "[fetch]\ntimout = \"1s\"\n", "fetch = 3\n"} {
		_, err := Parse([]byte(doc), "c.toml", nil)
		if err == nil {
			t.Fatalf("%q parsed", doc)
		}
		ko := i18n.Korean.Err(err)
		if !strings.HasPrefix(ko, "c.toml:") || i18n.English.Err(err) != err.Error() {
			t.Errorf("%q: ko %q en %q, error %q", doc, ko, i18n.English.Err(err), err)
		}
		if !strings.ContainsFunc(ko, func(r rune) bool { return r >= '가' && r <= '힣' }) {
			t.Errorf("%q: no Korean in %q", doc, ko)
		}
		t.Log(ko)
	}
}

// TestConfigTextsInCatalogue reads the package's sources: every format
// given to failf or cerr is the English of a config.* key, so that no
// configuration error stays English under language = "ko".
func TestConfigTextsInCatalogue(t *testing.T) {
	lit := regexp.MustCompile("(?:failf\\([^,]+,\\s*|cerr\\()\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`)")
	files, _ := os.ReadDir(".")
	n := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			s := m[1]
			if s[0] == '"' {
				if s, err = strconv.Unquote(s); err != nil {
					t.Fatal(err)
				}
			} else {
				s = s[1 : len(s)-1]
			}
			n++
			if _, ok := i18n.KeyOf("config.", s); !ok {
				t.Errorf("%s: %q is not the English of a config.* key (internal/i18n/msg_config.go)", f.Name(), s)
			}
		}
	}
	if n < 60 {
		t.Fatalf("found only %d texts: the pattern is broken", n)
	}
}
