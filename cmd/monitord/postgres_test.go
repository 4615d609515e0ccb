package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

// On driver = "postgres" the commands keep the database at [storage] dsn:
// check writes it, verify checks it, and the reading commands read it with
// only the DSN in the environment (no webhook secret), also while another
// process has it open; without the DSN they say which key is missing.
func TestCommandsOnPostgres(t *testing.T) {
	dsn := pgtest.Start(t)
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	withDSN := func(k string) string {
		if k == "TEST_MONITORD_DSN" {
			return dsn
		}
		return ""
	}
	storage := `[storage]
driver = "postgres"
dsn = "env:TEST_MONITORD_DSN"
path = "never-created.db"
`
	cfg := writeConfig(t, strings.Replace(baseConfig(site.srv.URL+"/p"), "[storage]\npath = \"m.db\"\n", storage, 1))
	if code, out, errs := cliEnv(t, withDSN, "check", "-config", cfg); code != exitOK || !strings.Contains(out, "첫 수집 1") {
		t.Fatalf("first check: code %d\nout: %s\nerr: %s", code, out, errs)
	}
	site.set(page("5년", "2026-10-20", "2026-10-21"))
	if code, out, errs := cliEnv(t, withDSN, "check", "-config", cfg); code != exitOK || !strings.Contains(out, "변경 1") {
		t.Fatalf("second check: code %d\nout: %s\nerr: %s", code, out, errs)
	}
	if code, out, errs := cliEnv(t, withDSN, "verify", "-config", cfg); code != exitOK {
		t.Fatalf("verify: code %d\nout: %s\nerr: %s", code, out, errs)
	}

	// The readers' config also names a webhook whose secrets are unset.
	reading := writeConfig(t, strings.Replace(baseConfig(site.srv.URL+"/p"), "[storage]\npath = \"m.db\"\n", storage, 1)+`
[[webhook]]
name = "ops"
url = "env:TEST_HOOK_URL_UNSET"
secret = "env:TEST_HOOK_SECRET_UNSET"
`)
	for _, args := range [][]string{
		{"history", "chorok"},
		{"show", "chorok", "1"},
		{"diff", "chorok"},
		{"targets", "-format", "json"},
		{"alerts"},
	} {
		code, out, errs := cliEnv(t, withDSN, append([]string{args[0], "-config", reading}, args[1:]...)...)
		if code != exitOK || out == "" {
			t.Errorf("%v with only the DSN set: code %d\nout: %s\nerr: %s", args, code, out, errs)
		}
	}
	code, out, _ := cliEnv(t, withDSN, "history", "-config", reading, "chorok")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != exitOK || len(lines) != 3 || !strings.Contains(out, "2026-10-21") {
		t.Errorf("history: code %d, want a header and 2 versions:\n%s", code, out)
	}
	code, _, errs := cliEnv(t, func(string) string { return "" }, "history", "-config", reading, "chorok")
	if code != exitUsage || !strings.Contains(errs, "storage.dsn") || !strings.Contains(errs, "TEST_MONITORD_DSN") || strings.Contains(errs, "TEST_HOOK") {
		t.Errorf("history without the DSN: code %d, want a configuration error naming storage.dsn only:\n%s", code, errs)
	}
	for _, dir := range []string{filepath.Dir(cfg), "."} {
		if _, err := os.Stat(filepath.Join(dir, "never-created.db")); !os.IsNotExist(err) {
			t.Errorf("[storage] path was used with driver postgres (%s): %v", dir, err)
		}
	}
}
