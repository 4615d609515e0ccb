package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// Evidence is what a Source offers beyond reading: a consistent copy of
// the whole store and the chain heads. Both Sources implement it (the
// store directly, the daemon over GET /api/backup and GET /api/chain).
type Evidence interface {
	// Backup writes a consistent copy of the store (a bbolt file) to w.
	Backup(ctx context.Context, w io.Writer) (int64, error)
	// ChainHeads returns every stored target's chain head, by name.
	ChainHeads(ctx context.Context) ([]TargetHead, error)
}

// TargetHead is one target's chain head, as the API serves it.
type TargetHead struct {
	Target string `json:"target"`
	snapshot.ChainHead
}

func (s *storeSource) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return s.st.Backup(ctxWriter{ctx, w})
}

func (s *storeSource) ChainHeads(ctx context.Context) ([]TargetHead, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	heads, err := StoreHeads(s.st)
	for i := range heads {
		heads[i].At = inZone(heads[i].At, s.config().Notice.Location)
	}
	return heads, err
}

// StoreHeads lists the chain heads of a store, by target name.
func StoreHeads(st *snapshot.Store) ([]TargetHead, error) {
	heads, err := st.ChainHeads()
	if err != nil {
		return nil, err
	}
	out := make([]TargetHead, 0, len(heads))
	for name, h := range heads {
		out = append(out, TargetHead{Target: name, ChainHead: h})
	}
	slices.SortFunc(out, func(a, b TargetHead) int {
		switch {
		case a.Target < b.Target:
			return -1
		case a.Target > b.Target:
			return 1
		}
		return 0
	})
	return out, nil
}

// ctxWriter stops a long copy when its context ends.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

func (c *client) Backup(ctx context.Context, w io.Writer) (int64, error) {
	// A large store takes longer than one API call may: only ctx bounds it.
	hc := *c.hc
	hc.Timeout = 0
	cc := *c
	cc.hc = &hc
	resp, err := cc.do(ctx, http.MethodGet, "/api/backup", nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("web: backup from %s: %w", c.base, err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, fmt.Errorf("web: backup from %s: got %d of %d bytes", c.base, n, resp.ContentLength)
	}
	return n, nil
}

func (c *client) ChainHeads(ctx context.Context) ([]TargetHead, error) {
	var out []TargetHead
	return out, c.getJSON(ctx, "/api/chain", nil, &out)
}

// backup streams a consistent copy of the store. It can take longer than
// the server's write timeout, so it lifts it for this response.
func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	ev, ok := s.o.Source.(Evidence)
	if !ok {
		writeError(w, http.StatusNotImplemented, "this server cannot make backups")
		return
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "monitord-"+time.Now().UTC().Format("20060102T150405Z")+".db"))
	if _, err := ev.Backup(r.Context(), w); err != nil {
		// The status line is gone; a short body makes the client fail.
		s.log.Warn("backup through the API failed", "error", err)
		if errors.Is(err, context.Canceled) {
			return
		}
		panic(http.ErrAbortHandler)
	}
}

func (s *Server) chainHeads(w http.ResponseWriter, r *http.Request) {
	ev, ok := s.o.Source.(Evidence)
	if !ok {
		writeError(w, http.StatusNotImplemented, "this server keeps no chain")
		return
	}
	heads, err := ev.ChainHeads(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, heads)
}
