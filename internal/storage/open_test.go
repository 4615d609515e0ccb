package storage_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
	"github.com/monitord/monitord/internal/storage/storagetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func bboltConfig(t *testing.T) *config.Config {
	t.Helper()
	return &config.Config{Storage: config.Storage{Driver: config.DriverBbolt, Path: filepath.Join(t.TempDir(), "monitord.db")}}
}

// Open with driver bbolt opens the file at path; while a writer holds it a
// reader gets ErrInUse (readers then turn to the daemon's API).
func TestOpenBbolt(t *testing.T) {
	cfg := bboltConfig(t)
	if _, err := storage.OpenReader(cfg, storage.Options{Timeout: 50 * time.Millisecond}); err == nil {
		t.Fatal("OpenReader of a file that does not exist succeeded")
	}
	st, err := storage.Open(cfg, storage.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, ok := st.(*snapshot.Store); !ok || st.Path() != cfg.Storage.Path {
		t.Errorf("Open gave %T at %q, want the bbolt store at %s", st, st.Path(), cfg.Storage.Path)
	}
	_, err = storage.OpenReader(cfg, storage.Options{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, storage.ErrInUse) {
		t.Errorf("OpenReader while a writer holds the file: %v, want ErrInUse", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := storage.OpenReader(cfg, storage.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("OpenReader once the writer closed: %v", err)
	}
	if _, err := r.Targets(); err != nil {
		t.Errorf("Targets on the reader: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}

	// An empty driver is the default, bbolt.
	cfg.Storage.Driver = ""
	st, err = storage.Open(cfg, storage.Options{})
	if err != nil {
		t.Fatalf("Open with no driver: %v", err)
	}
	st.Close()
}

func TestOpenUnknownDriver(t *testing.T) {
	cfg := bboltConfig(t)
	cfg.Storage.Driver = "sqlite"
	_, err := storage.Open(cfg, storage.Options{})
	if !errors.Is(err, storage.ErrNoDriver) || !strings.Contains(err.Error(), `"sqlite"`) ||
		!strings.Contains(err.Error(), `"bbolt"`) || !strings.Contains(err.Error(), `"postgres"`) {
		t.Fatalf("Open with driver sqlite: %v, want ErrNoDriver naming it and the drivers there are", err)
	}
}

func postgresConfig(dsn string) *config.Config {
	return &config.Config{Storage: config.Storage{Driver: config.DriverPostgres, DSN: config.Secret(dsn), Path: "ignored.db"}}
}

// Open with driver postgres connects to the dsn: writers and readers at
// once (no ErrInUse), named without the password.
func TestOpenPostgres(t *testing.T) {
	dsn := pgtest.Start(t)
	st, err := storage.Open(postgresConfig(dsn), storage.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer st.Close()
	if strings.Contains(st.Path(), "ignored.db") || st.Path() == "" {
		t.Errorf("Path() = %q, want the database named", st.Path())
	}
	r, err := storage.OpenReader(postgresConfig(dsn), storage.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("OpenReader while a writer is open: %v (a database is shared)", err)
	}
	defer r.Close()
	storagetest.Record(t, st, storagetest.Observation("shop", storagetest.PolicyText("08", 1000), storagetest.T0))
	if ts, err := r.Targets(); err != nil || len(ts) != 1 {
		t.Errorf("the reader sees %d targets, %v; want the writer's one", len(ts), err)
	}
}

// A dsn that does not connect is an error that names the database but not
// its password.
func TestOpenPostgresUnreachableKeepsThePassword(t *testing.T) {
	const password = "s3cret-pw-not-for-logs"
	_, err := storage.Open(postgresConfig("postgres://monitord:"+password+"@127.0.0.1:1/monitord?connect_timeout=2"), storage.Options{})
	if err == nil {
		t.Fatal("Open of a database on port 1 succeeded")
	}
	if strings.Contains(err.Error(), password) || strings.Contains(storage.Name(postgresConfig("postgres://monitord:"+password+"@127.0.0.1:1/monitord")), password) {
		t.Errorf("the error or the store's name reveals the password: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("the error does not name the database: %v", err)
	}
}
