package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `monitord run` tells systemd what it does: READY=1 once the schedule
// runs, RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1 as soon as it
// is asked to stop; and it returns, exit 0, once everything it started has
// stopped.
func TestRunTellsSystemd(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	cfgPath := writeConfig(t, baseConfig(site.srv.URL+"/p"))
	sock := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	states := make(chan string, 16)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				close(states)
				return
			}
			states <- string(buf[:n])
		}
	}()
	next := func(want string) string {
		t.Helper()
		select {
		case s, ok := <-states:
			if !ok || !strings.Contains(s, want) {
				t.Fatalf("systemd got %q, want %s", s, want)
			}
			return s
		case <-time.After(20 * time.Second):
			t.Fatalf("no %s within 20 s", want)
		}
		return ""
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hup := make(chan os.Signal, 1)
	var logs syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"run", "-config", cfgPath}, &env{stdin: strings.NewReader(""), stdout: &logs, stderr: &logs, hup: hup,
			getenv: func(k string) string {
				if k == "NOTIFY_SOCKET" {
					return sock
				}
				return ""
			}})
	}()
	if s := next("READY=1"); !strings.Contains(s, "STATUS=watching 1 targets") {
		t.Errorf("READY without the status line: %q", s)
	}
	hup <- os.Interrupt // any value: the channel stands for SIGHUP
	if s := next("RELOADING=1"); !strings.Contains(s, "MONOTONIC_USEC=") {
		t.Errorf("RELOADING without MONOTONIC_USEC: %q", s)
	}
	next("READY=1")
	cancel()
	next("STOPPING=1")
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("run exited %d:\n%s", code, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop")
	}
	for _, want := range []string{"monitord started", "configuration reloaded", "monitord stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
}
