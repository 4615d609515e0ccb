package web

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

// Source is what reading commands and the API read: the store directly, or a
// running daemon over HTTP. Both implementations return the same values.
type Source interface {
	// Targets returns every configured target (in config order), then the
	// stored targets that are no longer configured (by name), each with its
	// state and current version.
	Targets(ctx context.Context) ([]TargetInfo, error)
	// Versions returns a target's versions, oldest first: empty for a
	// configured target never checked, an error wrapping snapshot.ErrNotFound
	// for a target neither configured nor stored.
	Versions(ctx context.Context, target string) ([]snapshot.Version, error)
	// Text returns the extracted text of a version (ErrNotFound when unknown).
	Text(ctx context.Context, target string, id uint64) (string, error)
	// Raw returns the page of a version as fetched, nil when none was kept.
	Raw(ctx context.Context, target string, id uint64) ([]byte, error)
	// Failures returns a target's recent failed observations, oldest first
	// (at most snapshot.MaxFailures); empty for a target never failed.
	Failures(ctx context.Context, target string) ([]snapshot.Failure, error)
	// Events returns the events matching f, newest first.
	Events(ctx context.Context, f snapshot.EventFilter) ([]snapshot.EventWithDeliveries, error)
	// Requeue makes an event's expired and failed deliveries pending again.
	// It is the one write: over HTTP it is a POST that always carries the
	// token when one is configured. Errors wrap snapshot.ErrNotFound or
	// snapshot.ErrDeliveryState where the store's would.
	Requeue(ctx context.Context, eventID string) error
}

// TargetInfo is a target as the reading commands show it.
type TargetInfo struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// Enabled is the config's enabled flag (false for a target that is only
	// in the store).
	Enabled bool `json:"enabled"`
	// Configured reports whether config.toml names the target; a stored
	// target removed from the config keeps its history.
	Configured bool `json:"configured"`
	// State is the stored state, nil when the target was never checked.
	State *snapshot.TargetState `json:"state"`
	// Current is the current version, nil before the first success.
	Current *snapshot.Version `json:"current"`
	// Board is what the target's notice board showed, nil before it was
	// first looked for (or with notice_url = "").
	Board *snapshot.BoardState `json:"board,omitempty"`
}

// Target statuses, as Status returns them (codes, in JSON as they are;
// people read them through the catalogue).
const (
	TargetOK           = "ok"
	TargetRemoved      = "removed"       // stored, no longer in config.toml
	TargetDisabled     = "disabled"      // enabled = false
	TargetNeverChecked = "never_checked" // configured, no observation yet
	TargetFailing      = "failing"       // a target.failing alert was raised
	TargetFailed       = "failed"        // failed lately, below the alert threshold
)

// Status is the target's status code (Target*); Failures says how many
// checks in a row failed for "failing" and "failed".
func (t TargetInfo) Status() string {
	switch {
	case !t.Configured:
		return TargetRemoved
	case !t.Enabled:
		return TargetDisabled
	case t.State == nil:
		return TargetNeverChecked
	case t.State.Failing:
		return TargetFailing
	case t.State.ConsecutiveFailures > 0:
		return TargetFailed
	}
	return TargetOK
}

// Failures is the number of consecutive failed checks, 0 when the last
// one succeeded.
func (t TargetInfo) Failures() int {
	if t.State == nil {
		return 0
	}
	return t.State.ConsecutiveFailures
}

// storeSource reads a store directly.
type storeSource struct {
	st  storage.Store
	cfg func() *config.Config
	now func() time.Time

	// The last answer of TargetsWithCurrent and its write generation: a
	// list of 10,000 targets decodes 20,000 records, which only needs doing
	// again after a write. Entries are shared read-only.
	mu     sync.Mutex
	gen    int
	cached []snapshot.TargetCurrent
}

// stored returns every stored target with its current version, decoded
// again only when the store was written since the last call.
func (s *storeSource) stored() ([]snapshot.TargetCurrent, error) {
	s.mu.Lock()
	known, cached := s.gen, s.cached
	s.mu.Unlock()
	out, gen, err := s.st.TargetsWithCurrent(known)
	if err != nil {
		return nil, err
	}
	if out == nil && gen == known && cached != nil {
		return cached, nil
	}
	s.mu.Lock()
	s.gen, s.cached = gen, out
	s.mu.Unlock()
	return out, nil
}

// NewStoreSource returns a Source over st. cfg returns the configuration in
// force (it may change on reload); now is the clock used by Requeue.
func NewStoreSource(st storage.Store, cfg func() *config.Config, now func() time.Time) Source {
	if now == nil {
		now = time.Now
	}
	return &storeSource{st: st, cfg: cfg, now: now}
}

func (s *storeSource) config() *config.Config {
	if s.cfg == nil {
		return &config.Config{}
	}
	if c := s.cfg(); c != nil {
		return c
	}
	return &config.Config{}
}

func (s *storeSource) Targets(ctx context.Context) ([]TargetInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stored, err := s.stored()
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*snapshot.TargetCurrent, len(stored))
	for i := range stored {
		byName[stored[i].State.Name] = &stored[i]
	}
	cfg := s.config()
	loc := cfg.Notice.Location
	// The decoded records are shared between calls: each answer gets its
	// own copies, with times in the configured zone (Meta maps stay shared
	// and read-only).
	fill := func(info *TargetInfo, tc *snapshot.TargetCurrent) {
		st := tc.State
		stateInZone(&st, loc)
		info.State = &st
		if tc.Current != nil {
			v := *tc.Current
			versionInZone(&v, loc)
			info.Current = &v
		}
	}
	out := make([]TargetInfo, 0, max(len(cfg.Targets), len(stored)))
	for i := range cfg.Targets {
		t := &cfg.Targets[i]
		info := TargetInfo{Name: t.Name, URL: t.URL, Enabled: t.Enabled, Configured: true}
		if tc := byName[t.Name]; tc != nil {
			fill(&info, tc)
		}
		delete(byName, t.Name)
		out = append(out, info)
	}
	for i := range stored { // stored targets are in name order
		if tc := byName[stored[i].State.Name]; tc != nil {
			info := TargetInfo{Name: tc.State.Name, URL: tc.State.URL}
			fill(&info, tc)
			out = append(out, info)
		}
	}
	for i := range out {
		if b, ok, err := s.st.Board(out[i].Name); err != nil {
			return nil, err
		} else if ok {
			out[i].Board = &b
		}
	}
	return out, nil
}

func (s *storeSource) Versions(ctx context.Context, target string) ([]snapshot.Version, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	vs, err := s.st.Versions(target)
	if errors.Is(err, snapshot.ErrNotFound) {
		if _, ok := s.config().Target(target); ok {
			return []snapshot.Version{}, nil
		}
		return nil, fmt.Errorf("%w: no target named %q (neither configured nor stored)", snapshot.ErrNotFound, target)
	}
	if err != nil {
		return nil, err
	}
	if vs == nil {
		vs = []snapshot.Version{}
	}
	for i := range vs {
		versionInZone(&vs[i], s.config().Notice.Location)
	}
	return vs, nil
}

func (s *storeSource) Text(ctx context.Context, target string, id uint64) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	v, err := s.st.Version(target, id)
	if err != nil {
		return "", err
	}
	return s.st.Text(v)
}

func (s *storeSource) Raw(ctx context.Context, target string, id uint64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := s.st.Version(target, id)
	if err != nil {
		return nil, err
	}
	return s.st.Raw(v)
}

func (s *storeSource) Failures(ctx context.Context, target string) ([]snapshot.Failure, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fs, err := s.st.Failures(target)
	if err != nil {
		return nil, err
	}
	if fs == nil {
		fs = []snapshot.Failure{}
	}
	return fs, nil
}

func (s *storeSource) Events(ctx context.Context, f snapshot.EventFilter) ([]snapshot.EventWithDeliveries, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	evs, err := s.st.Events(f)
	if err != nil {
		return nil, err
	}
	if evs == nil {
		evs = []snapshot.EventWithDeliveries{}
	}
	for i := range evs {
		eventInZone(&evs[i], s.config().Notice.Location)
	}
	return evs, nil
}

func (s *storeSource) Requeue(ctx context.Context, eventID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.st.Requeue(eventID, s.now())
}
