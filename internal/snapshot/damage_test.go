package snapshot_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// A crash between creating the file and initialising it leaves an empty
// file: readers say what to do instead of "bad file descriptor".
func TestOpenEmptyFileReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "monitord.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := snapshot.Open(path, snapshot.Options{ReadOnly: true})
	if !errors.Is(err, snapshot.ErrSchema) || !strings.Contains(err.Error(), "monitord check") || strings.Contains(err.Error(), "bad file descriptor") {
		t.Fatalf("read-only open of an empty file: %v, want ErrSchema naming `monitord check`", err)
	}
	// A writer initialises it.
	s, err := snapshot.Open(path, snapshot.Options{})
	if err != nil {
		t.Fatalf("writable open of an empty file: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = snapshot.Open(path, snapshot.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open after initialisation: %v", err)
	}
	s.Close()
}

// damagedStore writes a small store and returns its path and page size.
func damagedStore(t *testing.T) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "monitord.db")
	s, err := snapshot.Open(path, snapshot.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"alpha", "beta", "gamma"} {
		record(t, s, observation(name, policyText("0"+string(rune('1'+i)), 3000), t0.Add(time.Duration(i)*time.Minute)))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, os.Getpagesize()
}

// A meta page that points at pages that were never written (a disk can do
// that): reading must report the damage, not panic.
func TestDamagedStoreReadsReportDamage(t *testing.T) {
	for _, tt := range []struct {
		name   string
		damage func(t *testing.T, path string, page int)
	}{
		{"zeroed data pages", func(t *testing.T, path string, page int) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			clear(b[2*page:]) // keep both meta pages, lose everything they point at
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated after the meta pages", func(t *testing.T, path string, page int) {
			if err := os.Truncate(path, int64(2*page)); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path, page := damagedStore(t)
			tt.damage(t, path, page)
			s, err := snapshot.Open(path, snapshot.Options{ReadOnly: true})
			if err != nil {
				if !errors.Is(err, snapshot.ErrDamaged) || !strings.Contains(err.Error(), "monitord verify") {
					t.Fatalf("open damaged store: %v, want ErrDamaged naming `monitord verify`", err)
				}
				return
			}
			defer s.Close()
			_, err = s.Targets()
			if !errors.Is(err, snapshot.ErrDamaged) || !strings.Contains(err.Error(), "monitord verify") {
				t.Fatalf("Targets on a damaged store: %v, want ErrDamaged naming `monitord verify`", err)
			}
			if _, err := s.Versions("alpha"); err == nil {
				t.Fatal("Versions on a damaged store: no error")
			}
		})
	}
}
