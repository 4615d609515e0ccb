package snapshot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
)

func TestSecondOpenIsInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "monitord.db")
	snapshottest.OpenPath(t, path, snapshot.Options{NoSync: true})
	for _, readOnly := range []bool{false, true} {
		done := make(chan error, 1)
		go func() {
			s, err := snapshot.Open(path, snapshot.Options{Timeout: 100 * time.Millisecond, ReadOnly: readOnly})
			if err == nil {
				s.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, snapshot.ErrInUse) {
				t.Fatalf("read-only %v: err = %v, want ErrInUse", readOnly, err)
			}
			if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "another monitord") {
				t.Errorf("message %q should name the file and the other process", msg)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("read-only %v: Open hangs on a locked store", readOnly)
		}
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "monitord.db")
	ctx := context.Background()
	s, err := snapshot.Open(path, snapshot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := policyText("08", 5000), policyText("15", 5000)
	for i, text := range []string{a, a, b} {
		if _, err := s.Record(ctx, observation("shop", text, t0.Add(time.Duration(i)*time.Hour)), changeEvents("ops")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RecordFailure(ctx, "shop", snapshot.Failure{At: t0.Add(4 * time.Hour), Status: 500, Error: "server error"}, nil); err != nil {
		t.Fatal(err)
	}
	want := stats(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	snapshottest.Check(t, path)

	for _, readOnly := range []bool{false, true} {
		s := snapshottest.OpenPath(t, path, snapshot.Options{ReadOnly: readOnly})
		got := stats(t, s)
		got.Writes, got.Commits, want.Writes, want.Commits = 0, 0, 0, 0
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("read-only %v: stats after reopen %+v, want %+v", readOnly, got, want)
		}
		vs := versions(t, s, "shop")
		if len(vs) != 2 || vs[0].Seen != 2 || vs[1].FirstSeen != t0.Add(2*time.Hour) {
			t.Errorf("versions after reopen: %+v", vs)
		}
		if text, err := s.Text(vs[1]); err != nil || text != b {
			t.Errorf("text after reopen: %v", err)
		}
		st, err := s.Target("shop")
		if err != nil || st.ConsecutiveFailures != 1 || st.Current != 2 {
			t.Errorf("target after reopen: %+v, %v", st, err)
		}
		if n, _ := s.PendingCount(); n != 2 {
			t.Errorf("pending after reopen: %d", n)
		}
		if readOnly {
			if _, err := s.Record(ctx, observation("shop", a, t0.Add(9*time.Hour)), nil); err == nil {
				t.Error("Record on a read-only store: no error")
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSchemaVersionChecks(t *testing.T) {
	newStore := func(t *testing.T) string {
		path := filepath.Join(t.TempDir(), "monitord.db")
		s, err := snapshot.Open(path, snapshot.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		record(t, s, observation("shop", "본문", t0))
		s.Close()
		return path
	}

	t.Run("newer than the binary", func(t *testing.T) {
		path := newStore(t)
		v := snapshottest.ShiftSchema(t, path, +1)
		for _, readOnly := range []bool{false, true} {
			_, err := snapshot.Open(path, snapshot.Options{ReadOnly: readOnly})
			want := fmt.Sprintf("store schema v%d is newer than this monitord (v%d): upgrade monitord", v, v-1)
			if !errors.Is(err, snapshot.ErrSchema) || !strings.Contains(err.Error(), want) {
				t.Errorf("read-only %v: err = %v, want ErrSchema saying %q", readOnly, err, want)
			}
		}
		snapshottest.Check(t, path)
	})
	t.Run("older: read-only refuses, writable migrates", func(t *testing.T) {
		path := newStore(t)
		snapshottest.ShiftSchema(t, path, -1)
		_, err := snapshot.Open(path, snapshot.Options{ReadOnly: true})
		if !errors.Is(err, snapshot.ErrSchema) || !strings.Contains(err.Error(), "run `monitord check`") {
			t.Errorf("read-only open of an older store: %v", err)
		}
		s := snapshottest.OpenPath(t, path, snapshot.Options{NoSync: true})
		if vs := versions(t, s, "shop"); len(vs) != 1 {
			t.Errorf("migration lost data: %d versions", len(vs))
		}
	})
	t.Run("read-only needs an existing store", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing.db")
		if _, err := snapshot.Open(path, snapshot.Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "monitord check") {
			t.Errorf("read-only open of a missing file: %v", err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Error("read-only open created the file")
		}
	})
	t.Run("not a store", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.txt")
		if err := os.WriteFile(path, bytes.Repeat([]byte("개인정보 "), 2000), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := snapshot.Open(path, snapshot.Options{Timeout: 100 * time.Millisecond}); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("open of a text file: %v", err)
		}
	})
}

func TestBackupIsAUsableStore(t *testing.T) {
	s := snapshottest.Open(t)
	text := policyText("08", 4000)
	record(t, s, observation("shop", text, t0))
	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Backup(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if n != fileSize(t, path) || n == 0 {
		t.Errorf("Backup reported %d bytes, file has %d", n, fileSize(t, path))
	}
	b := snapshottest.OpenPath(t, path, snapshot.Options{ReadOnly: true})
	cur, err := b.Current("shop")
	if err != nil || cur == nil {
		t.Fatalf("Current in the backup: %v, %v", cur, err)
	}
	if got, err := b.Text(*cur); err != nil || got != text {
		t.Errorf("text in the backup: %v", err)
	}
}

func TestConcurrentRecords(t *testing.T) {
	s := snapshottest.Open(t)
	ctx := context.Background()
	const targets = 50
	texts := []string{policyText("08", 6000), policyText("08", 6000), policyText("15", 6000)}
	var wg sync.WaitGroup
	errs := make(chan error, targets*len(texts)*2)
	for i := range targets {
		wg.Go(func() {
			name := fmt.Sprintf("target-%02d", i)
			for j, text := range texts {
				at := t0.Add(time.Duration(j) * time.Hour)
				o := observation(name, text, at)
				if _, err := s.Record(ctx, o, changeEvents("ops")); err != nil {
					errs <- err
				}
				if _, err := s.RecordFailure(ctx, name, snapshot.Failure{At: at.Add(time.Minute), Error: "timeout"}, nil); err != nil {
					errs <- err
				}
				// Readers run alongside the writers.
				if _, err := s.Versions(name); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := stats(t, s)
	if st.Targets != targets || st.Versions != 2*targets || st.Events != 2*targets || st.Failures != len(texts)*targets {
		t.Errorf("stats %+v; want %d targets, %d versions, %d events, %d failures", st, targets, 2*targets, 2*targets, len(texts)*targets)
	}
	// Every target's pages are identical: stored once for all 50.
	if st.Blobs != 4 {
		t.Errorf("%d blobs, want 4 (two texts, two pages)", st.Blobs)
	}
	if st.Writes != int64(2*len(texts)*targets) || st.Commits < 1 || st.Commits > st.Writes {
		t.Errorf("writes %d commits %d", st.Writes, st.Commits)
	}
	t.Logf("%d writes in %d commits", st.Writes, st.Commits)
}
