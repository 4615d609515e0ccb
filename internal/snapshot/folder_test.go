package snapshot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenCreatesTheFolder: storage.path = "data/monitord.db" on a fresh
// machine works; errors name the path once.
func TestOpenCreatesTheFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "sub", "monitord.db")
	if _, err := Open(path, Options{ReadOnly: true}); err == nil || strings.Count(err.Error(), path) != 1 {
		t.Fatalf("read-only open of a missing store: %v, want one mention of the path", err)
	}
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("open in a missing folder: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() || fi.Mode().Perm()&0o007 != 0 {
		t.Fatalf("folder: %v %v, want a directory closed to others", fi, err)
	}

	// A folder that cannot be made (a file is in the way).
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(blocker, "monitord.db")
	_, err = Open(bad, Options{})
	if err == nil || !strings.Contains(err.Error(), "storage.path") || strings.Count(err.Error(), blocker) != 1 {
		t.Fatalf("open under a file: %v, want storage.path named and the path once", err)
	}
}
