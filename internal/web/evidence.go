package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/evidence"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

// Evidence is what a Source offers beyond reading: a consistent copy of
// the whole store and the chain heads. Both Sources implement it (the
// store directly, the daemon over GET /api/backup and GET /api/chain).
type Evidence interface {
	// Backup writes a consistent copy of the store (a bbolt file) to w.
	Backup(ctx context.Context, w io.Writer) (int64, error)
	// ChainHeads returns every stored target's chain head, by name.
	ChainHeads(ctx context.Context) ([]TargetHead, error)
	// ExportZip writes the export bundle of a target's change (versions
	// from..to; 0 for the defaults, see evidence.Request) as a zip.
	ExportZip(ctx context.Context, target string, from, to uint64, w io.Writer) error
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

func (s *storeSource) Chain(ctx context.Context, target string) ([]snapshot.ChainRecord, []string, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return s.st.Chain(target)
}

func (s *storeSource) ExportZip(ctx context.Context, target string, from, to uint64, w io.Writer) error {
	cfg := s.config()
	now := s.now()
	b, err := evidence.Build(ctx, s, evidence.Request{
		Target: target, From: from, To: to, Lang: i18n.Parse(cfg.Language), Location: cfg.Notice.Location,
		Now: now, Generator: "monitord",
	})
	if err != nil {
		return err
	}
	return b.WriteZip(w, now)
}

// StoreHeads lists the chain heads of a store, by target name.
func StoreHeads(st storage.Reader) ([]TargetHead, error) {
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

func (c *client) ExportZip(ctx context.Context, target string, from, to uint64, w io.Writer) error {
	q := url.Values{}
	if from != 0 {
		q.Set("from", strconv.FormatUint(from, 10))
	}
	if to != 0 {
		q.Set("to", strconv.FormatUint(to, 10))
	}
	resp, err := c.do(ctx, http.MethodGet, "/api/targets/"+url.PathEscape(target)+"/export", q)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, io.LimitReader(resp.Body, maxResponseBytes)); err != nil {
		return fmt.Errorf("web: export from %s: %w", c.base, err)
	}
	return nil
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

// export serves a target's export bundle as a zip:
// GET /api/targets/{name}/export?from=&to= (ids; both optional).
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	ev, ok := s.o.Source.(Evidence)
	if !ok {
		writeError(w, http.StatusNotImplemented, "this server cannot export")
		return
	}
	name := r.PathValue("name")
	var ids [2]uint64
	for i, k := range []string{"from", "to"} {
		raw := strings.TrimPrefix(r.URL.Query().Get(k), "v")
		if raw == "" {
			continue
		}
		id, err := strconv.ParseUint(raw, 10, 64)
		if err != nil || id == 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("%s must be a version id (1, 2, ...), not %q", k, r.URL.Query().Get(k)))
			return
		}
		ids[i] = id
	}
	var buf bytes.Buffer
	if err := ev.ExportZip(r.Context(), name, ids[0], ids[1], &buf); err != nil {
		if errors.Is(err, evidence.ErrRange) {
			writeError(w, http.StatusNotFound, err.Error())
			return
		}
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", safeFileName(name)+"-evidence.zip"))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
