package monitor

import (
	"context"
	"log/slog"
	"time"

	"github.com/monitord/monitord/internal/storage"
)

// ChainLogInterval is how often the daemon logs every target's chain head.
const ChainLogInterval = 24 * time.Hour

// ChainLogger logs each target's chain head when the daemon starts and
// then every Interval, so that the heads end up in logs kept elsewhere
// (journald, a log server): anyone holding an old head can later prove
// that nothing before it was changed. The same heads are on GET /api/chain.
type ChainLogger struct {
	Store    storage.Reader
	Logger   *slog.Logger
	Interval time.Duration // default ChainLogInterval
}

// Run logs the heads now and every Interval until ctx is done.
func (c *ChainLogger) Run(ctx context.Context) {
	every := c.Interval
	if every <= 0 {
		every = ChainLogInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		c.LogHeads()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// LogHeads writes one line per target with its chain head.
func (c *ChainLogger) LogHeads() {
	heads, err := c.Store.ChainHeads()
	if err != nil {
		c.Logger.Warn("could not read the chain heads", slog.Any("error", err))
		return
	}
	for name, h := range heads {
		c.Logger.Info("chain head", "target", name, "records", h.Records, "head", h.Head,
			"at", h.At.Format(time.RFC3339), "trusted_from", h.TrustedFrom)
	}
}
