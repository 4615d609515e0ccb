package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/snapshot"
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
	st  *snapshot.Store
	cfg func() *config.Config
	now func() time.Time
}

// NewStoreSource returns a Source over st. cfg returns the configuration in
// force (it may change on reload); now is the clock used by Requeue.
func NewStoreSource(st *snapshot.Store, cfg func() *config.Config, now func() time.Time) Source {
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
	states, err := s.st.Targets()
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*snapshot.TargetState, len(states))
	for i := range states {
		byName[states[i].Name] = &states[i]
	}
	cfg := s.config()
	out := make([]TargetInfo, 0, max(len(cfg.Targets), len(states)))
	for i := range cfg.Targets {
		t := &cfg.Targets[i]
		info := TargetInfo{Name: t.Name, URL: t.URL, Enabled: t.Enabled, Configured: true, State: byName[t.Name]}
		delete(byName, t.Name)
		out = append(out, info)
	}
	for i := range states { // states are in name order
		if st := byName[states[i].Name]; st != nil {
			out = append(out, TargetInfo{Name: st.Name, URL: st.URL, State: st})
		}
	}
	loc := cfg.Notice.Location
	for i := range out {
		if b, ok, err := s.st.Board(out[i].Name); err != nil {
			return nil, err
		} else if ok {
			out[i].Board = &b
		}
		st := out[i].State
		if st == nil {
			continue
		}
		stateInZone(st, loc)
		if st.Current == 0 {
			continue
		}
		v, err := s.st.Version(st.Name, st.Current)
		if err != nil {
			return nil, err
		}
		versionInZone(&v, loc)
		out[i].Current = &v
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
