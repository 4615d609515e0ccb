package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

// TestMigrateStoreOfRealChecks: a bbolt store made by real checks of
// loopback pages (baselines, a change, alerts delivered to a webhook) is
// copied into PostgreSQL by `monitord migrate`; verify agrees on both
// sides, a second run changes nothing, another store is refused.
func TestMigrateStoreOfRealChecks(t *testing.T) {
	dsn := pgtest.Start(t)
	var gen atomic.Int32
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		retention := "3년"
		if gen.Load() > 0 && strings.HasSuffix(r.URL.Path, "/1") {
			retention = "5년"
		}
		fmt.Fprint(w, page(retention, "2026-10-01", "2026-10-08"))
	}))
	defer site.Close()
	hook := newIDReceiver(t)
	var b strings.Builder
	fmt.Fprintf(&b, `[server]
listen = ""
[fetch]
retries = 0
timeout = "5s"
connect_timeout = "2s"
[[webhook]]
name = "hook"
url = %q
format = "json"
secret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
`, hook.srv.URL)
	for i := range 3 {
		fmt.Fprintf(&b, "[[target]]\nname = \"t%d\"\nurl = \"%s/t/%d\"\n", i, site.URL, i)
	}
	targets := b.String()
	boltCfg := writeConfig(t, "[storage]\npath = \"m.db\"\n"+targets)
	file := filepath.Join(filepath.Dir(boltCfg), "m.db")
	pgCfg := writeConfig(t, "[storage]\ndriver = \"postgres\"\ndsn = \"env:MONITORD_DSN\"\n"+targets)
	getenv := func(k string) string {
		if k == "MONITORD_DSN" {
			return dsn
		}
		return ""
	}

	for range 2 {
		if code, out, errs := cli(t, nil, "check", "-config", boltCfg); code != exitOK {
			t.Fatalf("check: %d\n%s\n%s", code, out, errs)
		}
		gen.Add(1)
	}
	if changes, _ := hook.byType("policy.changed"); changes != 1 {
		t.Fatalf("%d changes alerted before the migration, want 1", changes)
	}

	code, out, errs := cliEnv(t, getenv, "migrate", "-from", file, "-to", "postgres", "-config", pgCfg)
	if code != exitOK || !strings.Contains(out, file+" → ") {
		t.Fatalf("migrate: %d\n%s\n%s", code, out, errs)
	}
	t.Logf("migrate: %s%s", out, errs)
	// verify agrees on both sides.
	if code, out, errs := cli(t, nil, "verify", file); code != exitOK {
		t.Fatalf("verify %s: %d\n%s\n%s", file, code, out, errs)
	}
	if code, out, errs := cliEnv(t, getenv, "verify", "-config", pgCfg); code != exitOK {
		t.Fatalf("verify on PostgreSQL: %d\n%s\n%s", code, out, errs)
	}
	// The copy reads as the source does.
	_, fromFile, _ := cli(t, nil, "history", "t1", "-config", boltCfg)
	_, fromDB, _ := cliEnv(t, getenv, "history", "t1", "-config", pgCfg)
	if fromFile == "" || fromFile != fromDB {
		t.Fatalf("history differs:\nbbolt:\n%s\npostgres:\n%s", fromFile, fromDB)
	}

	// Again: an interrupted copy would resume; a complete one is left as is.
	if code, out, errs := cliEnv(t, getenv, "migrate", "-from", file, "-to", "postgres", "-dsn", dsn); code != exitOK {
		t.Fatalf("second migrate: %d\n%s\n%s", code, out, errs)
	}
	// Another store into the same database: refused.
	other := writeConfig(t, "[storage]\npath = \"o.db\"\n"+targets)
	if code, out, errs := cli(t, nil, "check", "-config", other); code != exitOK {
		t.Fatalf("check: %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = cliEnv(t, getenv, "migrate", "-from", filepath.Join(filepath.Dir(other), "o.db"), "-to", "postgres", "-dsn", dsn)
	if code != exitFailure || !strings.Contains(errs, "already holds a monitord history") {
		t.Fatalf("migrate of another store: %d\n%s", code, errs)
	}
	// Usage.
	if code, _, errs := cli(t, nil, "migrate", "-from", file, "-to", "sqlite"); code != exitUsage || !strings.Contains(errs, "postgres") {
		t.Fatalf("-to sqlite: %d %s", code, errs)
	}
	if code, _, _ := cli(t, nil, "migrate", "-to", "postgres"); code != exitUsage {
		t.Fatalf("no -from: %d", code)
	}
}
