package sdnotify

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNotifySendsDatagrams(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	n := New(func(k string) string {
		if k == "NOTIFY_SOCKET" {
			return sock
		}
		return ""
	})
	if !n.Enabled() {
		t.Fatal("not enabled with a socket")
	}
	read := func() string {
		t.Helper()
		buf := make([]byte, 4096)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		k, _, err := conn.ReadFromUnix(buf)
		if err != nil {
			t.Fatal(err)
		}
		return string(buf[:k])
	}
	if err := n.Notify(Ready, "STATUS=watching 3 targets"); err != nil {
		t.Fatal(err)
	}
	if got := read(); got != "READY=1\nSTATUS=watching 3 targets" {
		t.Fatalf("got %q", got)
	}
	if err := n.Notify(Reloading); err != nil {
		t.Fatal(err)
	}
	got := read()
	if !strings.HasPrefix(got, "RELOADING=1\nMONOTONIC_USEC=") || strings.HasSuffix(got, "=0") {
		t.Fatalf("got %q", got)
	}
}

func TestNotifyWithoutSystemdIsNoOp(t *testing.T) {
	n := New(func(string) string { return "" })
	if n.Enabled() {
		t.Fatal("enabled without NOTIFY_SOCKET")
	}
	if err := n.Notify(Ready); err != nil {
		t.Fatal(err)
	}
}

func TestNotifyMissingSocketIsAnError(t *testing.T) {
	n := New(func(string) string { return filepath.Join(t.TempDir(), "absent.sock") })
	if err := n.Notify(Ready); err == nil || !strings.Contains(err.Error(), "sdnotify: connect") {
		t.Fatalf("err = %v", err)
	}
}
