package snapshottest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

var at = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// recorder is a testing.TB that keeps the errors it is given.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestOpenGivesAWorkingStore(t *testing.T) {
	s := snapshottest.Open(t)
	_, err := s.Record(context.Background(), snapshot.Observation{Target: "t", At: at, Status: 200, Text: "개인정보 처리방침"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.Path(), os.TempDir()) {
		t.Errorf("store at %s, want it under the temp dir", s.Path())
	}
}

func TestCheckReportsCorruption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "monitord.db")
	s, err := snapshot.Open(path, snapshot.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		o := snapshot.Observation{Target: fmt.Sprint("target-", i), At: at, Status: 200, Text: strings.Repeat(fmt.Sprint("조항 ", i, " "), 50)}
		if _, err := s.Record(context.Background(), o, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	clean := &recorder{TB: t}
	snapshottest.Check(clean, path)
	if len(clean.errs) != 0 {
		t.Fatalf("a clean store was reported: %v", clean.errs)
	}

	// Overwrite data pages (not the two meta pages, so the file still opens).
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize()
	copy(data[2*page:], bytes.Repeat([]byte{0xA5}, len(data)/2))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := &recorder{TB: t}
	snapshottest.Check(bad, path)
	if len(bad.errs) == 0 {
		t.Error("a corrupted page was not reported")
	}
}
