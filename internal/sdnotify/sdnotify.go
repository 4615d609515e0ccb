// Package sdnotify tells systemd about the service's state (the sd_notify
// protocol: one datagram to the socket named by $NOTIFY_SOCKET), so a unit
// with Type=notify knows when monitord is ready, reloading or stopping.
// Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
package sdnotify

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// States sent by monitord.
const (
	Ready     = "READY=1"
	Stopping  = "STOPPING=1"
	Reloading = "RELOADING=1"
)

// Notifier sends states to systemd.
type Notifier struct {
	socket string
	now    func() time.Time
}

// New returns a Notifier for the socket named by getenv("NOTIFY_SOCKET").
func New(getenv func(string) string) *Notifier {
	return &Notifier{socket: getenv("NOTIFY_SOCKET"), now: time.Now}
}

// Enabled reports whether a systemd socket was given.
func (n *Notifier) Enabled() bool { return n.socket != "" }

// Notify sends the given states ("READY=1", "STATUS=...") in one datagram.
// RELOADING=1 gets the MONOTONIC_USEC field systemd asks for.
func (n *Notifier) Notify(states ...string) error {
	if n.socket == "" {
		return nil
	}
	msg := strings.Join(states, "\n")
	for _, s := range states {
		if s == Reloading {
			msg += fmt.Sprintf("\nMONOTONIC_USEC=%d", monotonicUsec())
		}
	}
	addr := &net.UnixAddr{Name: n.socket, Net: "unixgram"}
	if strings.HasPrefix(n.socket, "@") { // abstract namespace
		addr.Name = "\x00" + n.socket[1:]
	}
	conn, err := net.DialUnix("unixgram", nil, addr)
	if err != nil {
		return fmt.Errorf("sdnotify: connect to %s: %w", n.socket, err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(msg)); err != nil {
		return fmt.Errorf("sdnotify: send %q: %w", msg, err)
	}
	return nil
}
