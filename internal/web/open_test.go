package web_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

// TestOpenSource walks the reading commands' path: the store directly when
// it is free, the daemon's API while a daemon holds the store.
func TestOpenSource(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cfg := *f.cfg
	cfg.Storage.Path = f.store.Path()
	cfg.Server.Token = config.Secret(testToken)
	opts := web.OpenOptions{Timeout: 50 * time.Millisecond}

	// The fixture holds the store open for writing, as a running daemon does.
	t.Run("no api", func(t *testing.T) {
		c := cfg
		c.Server.Listen = ""
		_, _, _, err := web.OpenSource(&c, opts)
		if !errors.Is(err, snapshot.ErrInUse) || !strings.Contains(err.Error(), "listen") {
			t.Fatalf("err = %v, want ErrInUse explaining that the daemon serves no API", err)
		}
	})

	t.Run("daemon", func(t *testing.T) {
		s, err := web.New(web.Options{Listen: "127.0.0.1:0", Token: testToken, Source: f.source()})
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- s.Run(rctx) }()
		defer func() { cancel(); <-done }()
		<-s.Listening()

		c := cfg
		c.Server.Listen = s.Addr()
		src, via, closeFn, err := web.OpenSource(&c, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer closeFn()
		if !strings.HasPrefix(via, "daemon http://127.0.0.1:") {
			t.Errorf("via = %q, want the daemon", via)
		}
		vs, err := src.Versions(ctx, "alpha")
		if err != nil || len(vs) != 3 {
			t.Errorf("Versions through the daemon = %d, %v", len(vs), err)
		}
	})

	t.Run("store", func(t *testing.T) {
		// A copy of the store that nobody holds opens directly.
		path := filepath.Join(t.TempDir(), "copy.db")
		copyStore(t, f.store, path)
		c := cfg
		c.Storage.Path = path
		src, via, closeFn, err := web.OpenSource(&c, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer closeFn()
		if via != "store "+path {
			t.Errorf("via = %q", via)
		}
		ts, err := src.Targets(ctx)
		if err != nil || len(ts) != 4 {
			t.Errorf("Targets from the copy = %d, %v", len(ts), err)
		}
		if err := src.Requeue(ctx, "evt_alpha_2"); err == nil {
			t.Error("Requeue on a read-only store succeeded")
		}
	})

	t.Run("missing store", func(t *testing.T) {
		c := cfg
		c.Storage.Path = filepath.Join(t.TempDir(), "none.db")
		if _, _, _, err := web.OpenSource(&c, opts); err == nil || !strings.Contains(err.Error(), "monitord check") {
			t.Errorf("err = %v, want advice to run a check first", err)
		}
	})
}

func copyStore(t *testing.T, st *snapshot.Store, path string) {
	t.Helper()
	var b strings.Builder
	if _, err := st.Backup(&b); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(path, []byte(b.String())); err != nil {
		t.Fatal(err)
	}
}
