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
)

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
