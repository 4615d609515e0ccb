package postgres

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// open opens a store on a fresh database, closed when the test ends.
func open(t testing.TB) (*Store, string) {
	t.Helper()
	dsn := pgtest.Start(t)
	s, err := Open(context.Background(), dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dsn
}

func TestOpenMigratesOnceUnderConcurrentStarts(t *testing.T) {
	dsn := pgtest.Start(t)
	const workers = 6
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Go(func() {
			s, err := Open(context.Background(), dsn, Options{})
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("worker %d: %v", i, err)
		}
	}
	s, err := Open(context.Background(), dsn, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	known, _ := migrations()
	var n int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(known) {
		t.Fatalf("schema_migrations holds %d rows, want %d (each migration once)", n, len(known))
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, dsn := open(t)
	if _, err := s.pool.Exec(context.Background(), `INSERT INTO schema_migrations (version, name) VALUES (999, '999_future')`); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		_, err := Open(context.Background(), dsn, Options{ReadOnly: ro})
		if !errors.Is(err, snapshot.ErrSchema) || !strings.Contains(err.Error(), "upgrade monitord") || !strings.Contains(err.Error(), "999") {
			t.Errorf("read-only %v: %v, want ErrSchema telling to upgrade monitord", ro, err)
		}
	}
}

func TestReadOnlyOpenOfEmptyDatabase(t *testing.T) {
	dsn := pgtest.Start(t)
	_, err := Open(context.Background(), dsn, Options{ReadOnly: true})
	if !errors.Is(err, snapshot.ErrSchema) || !strings.Contains(err.Error(), "monitord run") {
		t.Fatalf("%v, want ErrSchema naming monitord run", err)
	}
}

func TestBadDSN(t *testing.T) {
	for _, dsn := range []string{"", "   ", "postgres://u:secret@host:notaport/db", "host=x port=zz password=secret", "://", "postgres://u:secret@[::1"} {
		_, err := Open(context.Background(), dsn, Options{Timeout: 2 * time.Second})
		if err == nil {
			t.Errorf("%q: opened", dsn)
			continue
		}
		if !strings.Contains(err.Error(), "[storage] dsn") {
			t.Errorf("%q: %v does not name [storage] dsn", dsn, err)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: %v shows the password", dsn, err)
		}
	}
}

func TestServerDownAtOpen(t *testing.T) {
	pgtest.Require(t)
	// A loopback port nobody listens on.
	dsn := "postgres://monitord:secret@127.0.0.1:1/monitord?connect_timeout=2"
	_, err := Open(context.Background(), dsn, Options{Timeout: 3 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "[storage] dsn") || !strings.Contains(err.Error(), "server runs") {
		t.Fatalf("%v, want an error naming [storage] dsn and the server", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Fatalf("%v shows the password", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:pw@h:5432/db?sslmode=disable": "postgres://u@h:5432/db",
		"postgres://u@h/db":                         "postgres://u@h:5432/db",
		"postgres://u@h/db?password=pw":             "postgres://u@h:5432/db",
		"host=h user=u password='p w' dbname=d":     "postgres://u@h:5432/d",
		"host=/run/pg user=u dbname=d":              "postgres://u@/d?host=%2Frun%2Fpg",
		"postgres://u:pw@[::1]:7/d":                 "postgres://u@[::1]:7/d",
		"postgres://u:secret@h:notaport/db":         "(an invalid [storage] dsn)",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
