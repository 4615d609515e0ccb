package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
)

// defaultEventLimit caps /api/events without ?limit=.
const defaultEventLimit = 100

// targetJSON is a TargetInfo with its Status spelled out for API users.
type targetJSON struct {
	TargetInfo
	Status   string `json:"status"`
	Failures int    `json:"failures,omitempty"`
}

// VersionDoc is the body of GET /api/targets/{name}/versions/{id}: the same
// shape as `monitord show -format json`.
type VersionDoc struct {
	Version  snapshot.Version `json:"version"`
	Text     string           `json:"text"`
	Document *policy.Document `json:"document"`
}

// DiffDoc is the JSON body of GET /api/targets/{name}/diff.
type DiffDoc struct {
	Target string       `json:"target"`
	From   uint64       `json:"from"`
	To     uint64       `json:"to"`
	Change *diff.Change `json:"change"`
}

// RetryDoc is the body of a successful POST /api/events/{id}/retry.
type RetryDoc struct {
	ID       string `json:"id"`
	Requeued bool   `json:"requeued"`
}

// errorDoc is every error body.
type errorDoc struct {
	Error string `json:"error"`
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeText(w, http.StatusOK, "ok\n")
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.o.Ready != nil {
		if err := s.o.Ready(); err != nil {
			writeText(w, http.StatusServiceUnavailable, "not ready: "+err.Error()+"\n")
			return
		}
	}
	writeText(w, http.StatusOK, "ok\n")
}

func (s *Server) targets(w http.ResponseWriter, r *http.Request) {
	ts, err := s.o.Source.Targets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]targetJSON, len(ts))
	for i, t := range ts {
		out[i] = targetJSON{TargetInfo: t, Status: t.Status(), Failures: t.Failures()}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) target(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	ts, err := s.o.Source.Targets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(ts, func(t TargetInfo) bool { return t.Name == name })
	if i < 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no target named %q: GET /api/targets lists them", name))
		return
	}
	writeJSON(w, http.StatusOK, targetJSON{TargetInfo: ts[i], Status: ts[i].Status(), Failures: ts[i].Failures()})
}

func (s *Server) versions(w http.ResponseWriter, r *http.Request) {
	vs, err := s.o.Source.Versions(r.Context(), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, vs)
}

func (s *Server) failures(w http.ResponseWriter, r *http.Request) {
	fs, err := s.o.Source.Failures(r.Context(), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, fs)
}

func (s *Server) version(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	v, err := s.findVersion(r.Context(), name, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text, err := s.o.Source.Text(r.Context(), name, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, VersionDoc{Version: v, Text: text, Document: policy.Parse(text)})
}

func (s *Server) raw(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	b, err := s.o.Source.Raw(r.Context(), name, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	// The page is hostile until proven otherwise: never let a browser
	// render it, sniff it, or run anything from it.
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	if b == nil {
		w.WriteHeader(http.StatusNoContent) // no raw page was kept for this version
		return
	}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("%s-v%d.raw", safeFileName(name), id)))
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

func (s *Server) diff(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "html" {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("format must be json or html, not %q", format))
		return
	}
	vs, err := s.o.Source.Versions(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(vs) == 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("target %q has no stored version yet: wait for its first check", name))
		return
	}
	// Defaults: the last two versions; with only ?to=, the version before it.
	toIdx := len(vs) - 1
	if raw := q.Get("to"); raw != "" {
		if toIdx = versionIndex(w, vs, name, "to", raw); toIdx < 0 {
			return
		}
	}
	fromIdx := max(toIdx-1, 0)
	if raw := q.Get("from"); raw != "" {
		if fromIdx = versionIndex(w, vs, name, "from", raw); fromIdx < 0 {
			return
		}
	}
	from, to := vs[fromIdx], vs[toIdx]
	oldText, err := s.o.Source.Text(r.Context(), name, from.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	newText := oldText
	if to.ID != from.ID {
		if newText, err = s.o.Source.Text(r.Context(), name, to.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	c := diff.Compare(policy.Parse(oldText), policy.Parse(newText), diff.Options{})
	if format == "html" {
		var buf bytes.Buffer
		if err := diff.RenderHTML(&buf, c, diff.RenderOptions{Lang: s.o.Lang()}); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
		return
	}
	// Same normalization as diff.RenderJSON: lists are never null.
	if c.Dates == nil {
		c.Dates = []diff.DateChange{}
	}
	if c.Sections == nil {
		c.Sections = []diff.SectionChange{}
	}
	writeJSON(w, http.StatusOK, DiffDoc{Target: name, From: from.ID, To: to.ID, Change: c})
}

var deliveryStates = []string{snapshot.StatePending, snapshot.StateDelivered, snapshot.StateExpired, snapshot.StateFailed}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := snapshot.EventFilter{Target: q.Get("target"), Type: q.Get("type"), State: q.Get("state"), Limit: defaultEventLimit}
	if f.Type != "" && !slices.Contains(config.Events(), f.Type) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("type must be one of %v, not %q", config.Events(), f.Type))
		return
	}
	if f.State != "" && !slices.Contains(deliveryStates, f.State) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("state must be one of %v, not %q", deliveryStates, f.State))
		return
	}
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit must be a whole number, 0 for all, not %q", raw))
			return
		}
		f.Limit = n
	}
	evs, err := s.o.Source.Events(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, evs)
}

func (s *Server) retry(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.o.Source.Requeue(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("alert re-queued through the API", slog.String("event", id), slog.String("remote", r.RemoteAddr))
	if s.o.OnRetry != nil {
		s.o.OnRetry(id)
	}
	writeJSON(w, http.StatusOK, RetryDoc{ID: id, Requeued: true})
}

// notFound answers unknown /api/ paths with a JSON 404, or a 405 naming the
// allowed method when the path exists for another one.
func (s *Server) notFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			if m == r.Method || (m == http.MethodGet && r.Method == http.MethodHead) {
				continue
			}
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/api/" && pattern != "" {
				w.Header().Set("Allow", m)
				writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s: use %s", r.Method, r.URL.Path, m))
				return
			}
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("no API endpoint %s %s: see the routes in the web package documentation", r.Method, r.URL.Path))
	})
}

// findVersion returns one version's metadata from the target's list.
func (s *Server) findVersion(ctx context.Context, name string, id uint64) (snapshot.Version, error) {
	vs, err := s.o.Source.Versions(ctx, name)
	if err != nil {
		return snapshot.Version{}, err
	}
	for _, v := range vs {
		if v.ID == id {
			return v, nil
		}
	}
	return snapshot.Version{}, fmt.Errorf("%w: version %d of %q", snapshot.ErrNotFound, id, name)
}

// fail answers err with the status it maps to, logging server-side failures.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status >= 500 {
		s.log.Error("http request failed", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	writeError(w, status, err.Error())
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, snapshot.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, snapshot.ErrDeliveryState):
		return http.StatusConflict
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func pathID(w http.ResponseWriter, r *http.Request) (uint64, bool) {
	raw := r.PathValue("id")
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil || id == 0 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("version id must be a positive whole number, not %q", raw))
		return 0, false
	}
	return id, true
}

// versionIndex finds the version named by a query parameter, answering 400
// or 404 and returning -1 when it cannot.
func versionIndex(w http.ResponseWriter, vs []snapshot.Version, name, param, raw string) int {
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%s must be a version id, not %q", param, raw))
		return -1
	}
	i := slices.IndexFunc(vs, func(v snapshot.Version) bool { return v.ID == id })
	if i < 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no version %d of %q (versions are %d to %d)", id, name, vs[0].ID, vs[len(vs)-1].ID))
	}
	return i
}

// safeFileName keeps a target name usable in a Content-Disposition header.
func safeFileName(name string) string {
	b := []byte(name)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Compact and unescaped, so stored payloads (json.RawMessage) come back
	// byte for byte; the content type and nosniff keep browsers from
	// reading it as HTML.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeError(w, http.StatusInternalServerError, "encode response: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(errorDoc{Error: msg}) // a struct of one string always encodes
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeText(w http.ResponseWriter, status int, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(s))
}
