package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const secretsConfig = `language = "en"
[server]
listen = "0.0.0.0:8080"
token = "env:TEST_TOKEN"
[[webhook]]
name = "signed"
url = "env:TEST_HOOK_URL"
secret = "env:TEST_HOOK_SECRET"
[[webhook]]
name = "slack"
format = "slack"
url = "env:TEST_SLACK_URL"
[[target]]
name = "a"
url = "https://example.kr/privacy"
`

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadForReadingLeavesUnsetSecrets(t *testing.T) {
	path := writeFile(t, secretsConfig)
	unset := func(string) string { return "" }
	if _, err := Load(path, unset); err == nil || !strings.Contains(err.Error(), "TEST_HOOK_SECRET is not set") {
		t.Fatalf("Load with the variables unset: %v, want the unset variable named", err)
	}
	c, err := LoadForReading(path, unset)
	if err != nil {
		t.Fatalf("LoadForReading with the variables unset: %v", err)
	}
	if len(c.Webhooks) != 2 || c.Webhooks[0].URL.IsSet() || c.Webhooks[0].Secret.IsSet() || c.Server.Token.IsSet() {
		t.Fatalf("unset secrets should stay empty: %+v", c.Webhooks)
	}
	if len(c.Targets) != 1 || c.Language != LanguageEnglish {
		t.Fatalf("the rest of the file is read: %+v", c)
	}

	// A set variable is read (the server token lets a reader talk to a
	// daemon that requires it).
	c, err = LoadForReading(path, func(k string) string {
		if k == "TEST_TOKEN" {
			return "a-long-enough-token-for-the-server-0123456789"
		}
		return ""
	})
	if err != nil || c.Server.Token.Reveal() != "a-long-enough-token-for-the-server-0123456789" {
		t.Fatalf("set token: %v", err)
	}
}

func TestLoadForReadingStillReportsOtherProblems(t *testing.T) {
	path := writeFile(t, secretsConfig+"[notice]\ndays = 900\n")
	_, err := LoadForReading(path, func(string) string { return "" })
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "notice.days") || strings.Contains(err.Error(), "TEST_") {
		t.Fatalf("got %v, want only the notice.days problem", err)
	}
	// A malformed reference is a mistake in the file, not a missing secret.
	path = writeFile(t, strings.Replace(secretsConfig, "env:TEST_HOOK_SECRET", "env:9bad", 1))
	if _, err := LoadForReading(path, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "invalid environment variable name") {
		t.Fatalf("bad env name: %v", err)
	}
}

// Readers of a PostgreSQL store need its DSN: LoadForReading resolves it
// (and fails without it) while it still leaves webhook secrets unset; a
// bbolt store ignores the key, unread.
func TestLoadForReadingResolvesTheDSN(t *testing.T) {
	const dsn = "postgres://monitord:pw@127.0.0.1:5432/monitord"
	pg := secretsConfig + "[storage]\ndriver = \"postgres\"\ndsn = \"env:TEST_DSN\"\npath = \"ignored.db\"\n"
	path := writeFile(t, pg)
	c, err := LoadForReading(path, func(k string) string {
		if k == "TEST_DSN" {
			return dsn
		}
		return ""
	})
	if err != nil {
		t.Fatalf("LoadForReading with only the DSN set: %v", err)
	}
	if c.Storage.DSN.Reveal() != dsn || !c.Storage.Postgres() || c.Webhooks[0].Secret.IsSet() {
		t.Fatalf("storage %+v, webhook secret set %v: want the DSN read and the webhook secret left", c.Storage, c.Webhooks[0].Secret.IsSet())
	}
	if c.Storage.Path != "ignored.db" {
		t.Errorf("path %q: with postgres it is ignored, not resolved against the config's directory", c.Storage.Path)
	}
	_, err = LoadForReading(path, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "storage.dsn: environment variable TEST_DSN is not set") || strings.Contains(err.Error(), "TEST_HOOK") {
		t.Fatalf("LoadForReading without the DSN: %v, want only the DSN named", err)
	}

	bbolt := writeFile(t, secretsConfig+"[storage]\ndriver = \"bbolt\"\ndsn = \"env:TEST_DSN\"\n")
	c, err = Load(bbolt, func(k string) string {
		switch k {
		case "TEST_HOOK_URL", "TEST_SLACK_URL":
			return "https://hooks.example.kr/x"
		case "TEST_HOOK_SECRET":
			return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		}
		if k == "TEST_TOKEN" {
			return "a-long-enough-token-for-the-server-0123456789"
		}
		return ""
	})
	if err != nil || c.Storage.DSN.IsSet() {
		t.Fatalf("bbolt with an unset DSN variable: %v (dsn set %v), want it ignored", err, c != nil && c.Storage.DSN.IsSet())
	}
}
