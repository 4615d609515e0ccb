package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/storage"
)

// DefaultOpenTimeout is how long OpenSource waits for the store's lock
// before it turns to the running daemon.
const DefaultOpenTimeout = 500 * time.Millisecond

// OpenOptions configures OpenSource.
type OpenOptions struct {
	// Write opens the store writable (for Requeue) instead of read-only.
	Write bool
	// Timeout bounds the wait for the store's lock (default DefaultOpenTimeout).
	Timeout time.Duration
	// HTTPClient reads the daemon's API (default: a 30s timeout client).
	HTTPClient *http.Client
	// Logger receives store maintenance messages (default: discard).
	Logger *slog.Logger
	// Now is the clock of Requeue on a store (default time.Now).
	Now func() time.Time
}

// OpenSource returns the Source reading commands use: the store [storage]
// names (see storage.Open) when it can be opened, else, when a daemon holds it, that
// daemon's API at cfg.Server.Listen with cfg.Server.Token (see the package
// documentation). via names what was opened, for logs ("store PATH" or
// "daemon URL"). Call closeFn when done.
func OpenSource(cfg *config.Config, o OpenOptions) (src Source, via string, closeFn func() error, err error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultOpenTimeout
	}
	st, err := storage.Open(cfg, storage.Options{ReadOnly: !o.Write, Timeout: o.Timeout, Logger: o.Logger})
	if err == nil {
		return NewStoreSource(st, func() *config.Config { return cfg }, o.Now), "store " + st.Path(), st.Close, nil
	}
	if !errors.Is(err, storage.ErrInUse) {
		return nil, "", nil, fmt.Errorf("web: open store: %w", err)
	}
	if !cfg.Server.Enabled() {
		return nil, "", nil, fmt.Errorf("web: %w; the daemon serves no API ([server] listen is \"\"), so stop it to read the store, or set [server] listen and restart it", err)
	}
	base, uerr := BaseURL(cfg.Server.Listen)
	if uerr != nil {
		return nil, "", nil, fmt.Errorf("web: %w; and cannot reach the daemon: %w", err, uerr)
	}
	return NewClient(base, cfg.Server.Token.Reveal(), o.HTTPClient), "daemon " + base, func() error { return nil }, nil
}

// BaseURL returns the URL a process on the same machine reaches a server
// listening on listen at: an unspecified host (0.0.0.0, [::] or none) is
// reached on loopback.
func BaseURL(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("invalid [server] listen %q: %w", listen, err)
	}
	if port == "0" {
		return "", fmt.Errorf("[server] listen %q picks a random port, which other processes cannot find: set a fixed port", listen)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			host = "::1"
		}
	}
	return "http://" + net.JoinHostPort(host, port), nil
}
