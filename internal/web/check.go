package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/notice"
)

// POST /api/check?target=NAME&wait=30s asks the running daemon to check
// every enabled target (or NAME) now. The answer streams NDJSON
// (application/x-ndjson), one CheckLine per finished check, then a last
// line with the pending alerts after waiting up to `wait` for their
// delivery. An unknown target is a 404 before anything runs. Token rules
// are those of every other API route.

// maxCheckWait bounds the delivery wait a request may ask for.
const maxCheckWait = 10 * time.Minute

// CheckResult is one target's check, as POST /api/check streams it and
// `monitord check -format json` prints it.
type CheckResult struct {
	Target     string             `json:"target"`
	Status     string             `json:"status"`
	Version    uint64             `json:"version,omitempty"`
	Violations []notice.Violation `json:"violations"`
	Error      string             `json:"error,omitempty"`
	// Code names the kind of failure (i18n.Code: "dns", "http_status", ...)
	// and Message holds its words, which the CLI renders in its language;
	// Error stays the English text.
	Code       string     `json:"code,omitempty"`
	Message    []i18n.Msg `json:"message,omitempty"`
	DurationMS int64      `json:"duration_ms"`
}

// CheckLine is one line of the POST /api/check stream: a result with its
// place (done of total), or the last line (Last set) with the number of
// deliveries still pending, or an error that ended the stream.
type CheckLine struct {
	Done          int          `json:"done,omitempty"`
	Total         int          `json:"total,omitempty"`
	Result        *CheckResult `json:"result,omitempty"`
	Last          bool         `json:"last,omitempty"`
	PendingAlerts int          `json:"pending_alerts,omitempty"`
	Error         string       `json:"error,omitempty"`
}

// Checker runs checks on demand for POST /api/check (the daemon's
// monitor.OnDemand, adapted by cmd/monitord).
type Checker interface {
	// Check checks target (every enabled one when "") and calls each after
	// every check, serialised. An unknown target wraps snapshot.ErrNotFound
	// and is returned before each is called.
	Check(ctx context.Context, target string, each func(done, total int, r CheckResult)) error
	// WaitDelivered waits until ctx ends for the deliveries due now and
	// returns how many are still pending.
	WaitDelivered(ctx context.Context) (int, error)
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	target := q.Get("target")
	wait := 30 * time.Second
	if v := q.Get("wait"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > maxCheckWait {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("wait=%q: want a duration from 0s to %s, such as 30s", v, maxCheckWait))
			return
		}
		wait = d
	}
	s.log.Info("check requested through the API", slog.String("target", target), slog.String("remote", r.RemoteAddr))
	rc := http.NewResponseController(w)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	started := false
	write := func(l CheckLine) {
		if !started {
			started = true
			w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
			w.WriteHeader(http.StatusOK)
		}
		// A pass over many targets outlasts the server's write timeout:
		// each line gets its own.
		_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		_ = enc.Encode(l)
		_ = rc.Flush()
	}
	err := s.o.Checker.Check(r.Context(), target, func(done, total int, res CheckResult) {
		write(CheckLine{Done: done, Total: total, Result: &res})
	})
	if err != nil {
		if !started {
			s.fail(w, r, err)
			return
		}
		write(CheckLine{Last: true, Error: err.Error()})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	pending, err := s.o.Checker.WaitDelivered(ctx)
	cancel()
	last := CheckLine{Last: true, PendingAlerts: pending}
	if err != nil {
		last.Error = err.Error()
	}
	if !started {
		// Nothing to check (no enabled target): still a stream of one line.
		write(CheckLine{Total: 0})
	}
	write(last)
}

// CheckThrough asks the daemon at baseURL to check target (every enabled
// one when "") and calls each for every result as it arrives. It returns
// the deliveries still pending after the daemon waited up to wait for
// them. hc nil means a client without an overall timeout: ctx bounds the
// call, since a pass may take minutes. Errors map as NewClient's do.
func CheckThrough(ctx context.Context, baseURL, token string, hc *http.Client, target string, wait time.Duration, each func(done, total int, r CheckResult)) (pending int, err error) {
	if hc == nil {
		hc = &http.Client{}
	}
	c := &client{base: strings.TrimRight(baseURL, "/"), token: token, hc: hc}
	q := url.Values{"wait": {wait.String()}}
	if target != "" {
		q.Set("target", target)
	}
	resp, err := c.do(ctx, http.MethodPost, "/api/check", q)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var l CheckLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return 0, fmt.Errorf("web: read the check stream of %s: %w", c.base, err)
		}
		switch {
		case l.Result != nil:
			each(l.Done, l.Total, *l.Result)
		case l.Last && l.Error != "":
			return l.PendingAlerts, fmt.Errorf("web: the daemon's check failed: %s", l.Error)
		case l.Last:
			return l.PendingAlerts, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("%w: the check stream of %s broke off: %w", ErrUnavailable, c.base, err)
	}
	return 0, fmt.Errorf("%w: the check stream of %s ended early (did the daemon stop?)", ErrUnavailable, c.base)
}
