package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// FuzzOpenDSN: whatever [storage] dsn holds, Open and Redact do not panic,
// an error names [storage] dsn, and the password never shows.
func FuzzOpenDSN(f *testing.F) {
	for _, s := range []string{
		"postgres://monitord:hunter2@127.0.0.1:1/monitord",
		"postgresql://u:hunter2@[::1]:1/db?sslmode=disable&connect_timeout=1",
		"host=127.0.0.1 port=1 user=u password=hunter2 dbname=d connect_timeout=1",
		"host=127.0.0.1 port=1 password='hunter 2' connect_timeout=1",
		"postgres://u:hunter2@h:99999/db", "postgres://u:hunter2@%zz/db", "port=x password=hunter2",
		"env:MONITORD_DSN", "", "=", "'", "postgres://:hunter2@/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		const secret = "hunter2"
		r := Redact(dsn)
		cfg, perr := pgconn.ParseConfig(dsn)
		if perr == nil && cfg.Password != "" && cfg.Password != "xxxxx" {
			// What Redact leaves must not connect with the password.
			if rc, err := pgconn.ParseConfig(r); err == nil && rc.Password == cfg.Password {
				t.Fatalf("Redact(%q) = %q keeps the password %q", dsn, r, cfg.Password)
			}
		}
		// Keep the fuzzer off the network: Open only what fails to parse
		// or names loopback port 1 alone, where nobody listens.
		if perr == nil {
			ok := cfg.Port == 1 && (cfg.Host == "127.0.0.1" || cfg.Host == "::1")
			for _, fb := range cfg.Fallbacks {
				ok = ok && fb.Port == 1 && (fb.Host == "127.0.0.1" || fb.Host == "::1")
			}
			if !ok {
				return
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		s, err := Open(ctx, dsn, Options{Timeout: 2 * time.Second})
		if err == nil {
			s.Close()
			t.Fatalf("Open(%q) connected to port 1", dsn)
		}
		if !strings.Contains(err.Error(), "[storage] dsn") {
			t.Fatalf("Open(%q): %v does not name [storage] dsn", dsn, err)
		}
		if perr == nil && cfg.Password == secret && !strings.Contains(cfg.User+cfg.Database+cfg.Host, secret) {
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("Open(%q): %v shows the password", dsn, err)
			}
		}
	})
}
