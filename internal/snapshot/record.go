package snapshot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/monitord/monitord/internal/i18n"
)

// MaxFailures is how many failed observations are kept per target.
const MaxFailures = 50

// Event types the store itself gives meaning to (see RecordFailure and Record).
const (
	// TypeTargetFailing marks a target failing when RecordFailure writes it.
	TypeTargetFailing = "target.failing"
	// TypeTargetRecovered is the event a caller emits when Outcome.Recovered is set.
	TypeTargetRecovered = "target.recovered"
)

// Observation is one successful check of a target.
type Observation struct {
	Target, URL string
	At          time.Time
	// Status is the HTTP status of the response (200, or 304 with NotModified).
	Status int
	// NotModified reports a 304 answer to a conditional request: Raw and
	// Text are empty and the current version is seen again.
	NotModified bool
	// Raw is the page as fetched (nil if NotModified).
	Raw []byte
	// Text is the extracted text ("" if NotModified).
	Text                                   string
	MediaType, Charset, ETag, LastModified string
	// Header is the response's header, kept with a new version as
	// evidence (cookies dropped).
	Header http.Header
	// Rules fingerprints the extraction rules that produced Text.
	Rules string
	// Meta is small per-version metadata kept with the version, e.g.
	// "announced" and "effective" (YYYY-MM-DD). Nil leaves the stored map
	// alone on an unchanged observation; non-nil replaces it.
	Meta map[string]string
	// Original is the page as fetched when Raw is another document the
	// text came from (the rendered DOM, the document of a frame); nil
	// otherwise. Both are kept, each under its own hash.
	Original []byte
	// Imported are past versions the page links to, oldest first. They are
	// stored only with a target's first version, before it, marked
	// Imported; each is skipped when its text repeats the one before it or
	// the new version's.
	Imported []Imported
	// PageKey is the key of the page Text was extracted from
	// (extract.Page.Key, "" when it has none): kept with the version the
	// observation leaves current (see Store.PageKey).
	PageKey string
	// TextSHA256, when set, stands for Text: the caller proved the text to
	// be the current version's, whose hash this is (a page with the
	// current version's page key), without extracting it. Text and Raw are
	// then empty; the observation is recorded as one of the same text
	// (Unchanged), and fails if the current version's text is another.
	TextSHA256 string
	// TextHash and RawHash, when set, are the hex SHA-256 of Text and of
	// Raw as the caller has computed them already (to compare the text
	// with the current version's), so that the store does not hash the
	// same bytes again. They must be exactly those hashes: content is
	// stored under the hash it comes with. Left empty, the store hashes
	// Text and Raw itself when it needs their hashes.
	TextHash, RawHash string
}

// PageKey is the key of the page the current version of a target was
// extracted from, with that version's text hash: a page with this key
// extracts to this text (see extract.Page).
type PageKey struct {
	Version  uint64 `json:"version"`
	TextHash string `json:"text_hash"`
	Key      string `json:"key"`
}

// PageKey returns the target's page key (the zero PageKey when none is
// stored).
func (s *Store) PageKey(target string) (PageKey, error) {
	var pk PageKey
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPageKeys)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(target))
		if raw == nil {
			return nil
		}
		return json.Unmarshal(raw, &pk)
	})
	return pk, wrapRead(err, "page key of "+target)
}

func putPageKey(tx *bolt.Tx, target string, pk PageKey) error {
	b := tx.Bucket(bucketPageKeys)
	data, err := json.Marshal(pk)
	if err != nil {
		return fmt.Errorf("encode %T: %w", pk, err)
	}
	if bytes.Equal(b.Get([]byte(target)), data) {
		return nil // written only when it changes
	}
	return b.Put([]byte(target), data)
}

// Imported is a past version of a policy, fetched from a link on its page.
type Imported struct {
	URL                string
	Raw                []byte
	Text               string
	MediaType, Charset string
	Meta               map[string]string
}

// Kind classifies what an observation did to a target's history.
type Kind int

// Kinds of Outcome.
const (
	// Unchanged: the text hash equals the current version's; only LastSeen moved.
	Unchanged Kind = iota
	// NotModified: the server answered 304; only LastSeen moved.
	NotModified
	// New: a text not among the recent versions (or the target's first).
	New
	// Returned: the text equals a recent earlier version's (A → B → A).
	Returned
	// Technical: the text changed while the extraction rules changed too,
	// so the change is ours, not the site's.
	Technical
)

var kindNames = [...]string{"unchanged", "not_modified", "new", "returned", "technical"}

// String returns the kind's snake_case name.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// MarshalText encodes the kind by name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Stored reports whether the kind added a version entry.
func (k Kind) Stored() bool { return k == New || k == Returned || k == Technical }

// Version is one distinct text of a target, as stored under versions/<target>/<id>.
type Version struct {
	Target string `json:"target"`
	// ID is 1, 2, 3, ... per target.
	ID uint64 `json:"id"`
	// TextHash and RawHash are hex sha256 of the text and the raw page
	// ("" when no raw page was kept).
	TextHash string `json:"text_hash"`
	RawHash  string `json:"raw_hash,omitempty"`
	// FirstSeen and LastSeen bound the observations of this version while
	// it was current; Seen counts them.
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Seen      int       `json:"seen"`

	URL          string `json:"url"`
	Status       int    `json:"status"`
	MediaType    string `json:"media_type,omitempty"`
	Charset      string `json:"charset,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`

	// Rules fingerprints the extraction rules that produced the text.
	Rules string `json:"rules,omitempty"`
	// Technical marks a version whose text changed because the rules did.
	Technical bool `json:"technical,omitempty"`
	// ReturnOf is the id of the first version with this same text, when
	// this version repeats it; 0 otherwise.
	ReturnOf uint64            `json:"return_of,omitempty"`
	Meta     map[string]string `json:"meta,omitempty"`
	TextSize int               `json:"text_size"`
	RawSize  int               `json:"raw_size"`
	// OriginalHash and OriginalSize describe the page as fetched when the
	// raw page is another document (see Observation.Original).
	OriginalHash string `json:"original_hash,omitempty"`
	OriginalSize int    `json:"original_size,omitempty"`
	// Imported marks a past version fetched from a link on the page at the
	// first check (never current, never alerted); FirstSeen is when it
	// was fetched, its own dates are in Meta.
	Imported bool `json:"imported,omitempty"`
	// Header is the response header of the observation that created the
	// version (cookies dropped).
	Header map[string][]string `json:"header,omitempty"`
	// Chain is the seq of the chain record that created the version.
	Chain uint64 `json:"chain,omitempty"`
}

// Outcome is what Record did.
type Outcome struct {
	Kind Kind
	// Version is the target's current version after the observation.
	Version Version
	// Previous is the version current before this observation, nil on a baseline.
	Previous *Version
	// Recovered reports that the target was marked failing until this
	// success (it is not any more): emit TypeTargetRecovered once, now.
	Recovered bool
	// FailuresBefore is the consecutive-failure count this success reset.
	FailuresBefore int
	// Imported are the past versions stored before a baseline.
	Imported []Version
}

// Baseline reports whether the observation created the target's first version.
func (o Outcome) Baseline() bool { return o.Previous == nil && o.Kind.Stored() }

// Failure is one failed observation of a target.
type Failure struct {
	At     time.Time `json:"at"`
	Status int       `json:"status,omitempty"`
	Error  string    `json:"error"`
	// Code names the kind of failure ("dns", "http_status", "too_short",
	// ...; i18n.Code of the cause), empty for failures stored before codes.
	Code string `json:"code,omitempty"`
	// Message is the failure in the catalogue's words, rendered in the
	// reader's language; Error is the English text for logs and tools.
	Message []i18n.Msg `json:"message,omitempty"`
	URL     string     `json:"url,omitempty"`
	// TextHash is the hash of the extracted text when the page was fetched
	// and extracted but refused (e.g. it shrank drastically), so a caller
	// can tell a text that stays from a passing glitch.
	TextHash string `json:"text_hash,omitempty"`
}

// TargetState is the stored state of a target (targets/<name>).
type TargetState struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// Current is the id of the current version, 0 before the first success.
	Current  uint64 `json:"current,omitempty"`
	Versions int    `json:"versions"`
	// LastCheck is the time of the latest observation, failed or not.
	LastCheck   time.Time `json:"last_check"`
	LastSuccess time.Time `json:"last_success"`
	// LastError is the latest failure's error, cleared by a success.
	LastError string `json:"last_error,omitempty"`
	// LastCode and LastMessage are the latest failure's Code and Message.
	LastCode            string     `json:"last_code,omitempty"`
	LastMessage         []i18n.Msg `json:"last_message,omitempty"`
	ConsecutiveFailures int        `json:"consecutive_failures,omitempty"`
	// Failing is set once a target.failing event was written for the
	// current run of failures, and cleared by the next success.
	Failing      bool   `json:"failing,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Chain is where the target's chain of records stands.
	Chain ChainHead `json:"chain"`
}

// Record stores one successful observation in one write transaction, shared
// with concurrent calls (group commit, see the package doc) so they share
// fsyncs.
//
// The same text hash as the current version, or NotModified, only moves the
// current version's LastSeen and Seen (and ETag, LastModified, Meta; Rules
// too for a same-text observation, since the new rules reproduced the text);
// no blob is written. A different text adds a version: Technical when the
// Rules fingerprint differs from the current version's, Returned when the
// text hash equals one of the last ReturnWindow versions (ReturnOf then
// names the first version with that text, and the blobs are shared), New
// otherwise. Text and raw page are stored as content-addressed compressed
// blobs: identical content is stored once, across targets too.
//
// A success resets the target's consecutive-failure count and failing flag
// (see Outcome.Recovered).
//
// events is called inside the transaction with the outcome; the events it
// returns are written to the outbox in the same transaction. It may be nil,
// and may return nil. It may be called more than once (a shared transaction
// is retried when another call in it fails), so it must be pure. If it returns
// an error, nothing is stored and Record returns that error.
func (s *Store) Record(ctx context.Context, obs Observation, events func(Outcome) ([]Event, error)) (Outcome, error) {
	if err := ctx.Err(); err != nil {
		return Outcome{}, fmt.Errorf("snapshot: record %q: %w", obs.Target, err)
	}
	if obs.Target == "" {
		return Outcome{}, errors.New("snapshot: record: observation has no target name")
	}
	if obs.At.IsZero() {
		return Outcome{}, fmt.Errorf("snapshot: record %q: observation has no time", obs.Target)
	}
	obs.At = obs.At.UTC()
	text, raw, err := ObservedBlobs(&obs)
	if err != nil {
		return Outcome{}, fmt.Errorf("snapshot: record %q: %w", obs.Target, err)
	}
	if text != nil && obs.TextSHA256 == "" {
		// Compress outside the write transaction, which all batched calls
		// share: only when the text is new and its blobs are not stored yet.
		if err := s.precompress(obs.Target, text, raw); err != nil {
			return Outcome{}, err
		}
	}
	var out Outcome
	err = s.batch(func(tx *bolt.Tx) error {
		var err error
		out, err = s.record(tx, &obs, text, raw, events)
		return err
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) || errors.Is(err, errEvents) {
			return Outcome{}, err
		}
		return Outcome{}, fmt.Errorf("snapshot: record %q: %w", obs.Target, err)
	}
	return out, nil
}

// errEvents marks an error returned by a caller's events function.
var errEvents = errors.New("snapshot: events")

func (s *Store) precompress(target string, text, raw *pendingBlob) error {
	var needText, needRaw bool
	err := s.view(func(tx *bolt.Tx) error {
		if cur, err := currentTextHash(tx, target); err != nil {
			return err
		} else if cur != "" && cur == text.hexHash() {
			return nil // unchanged: nothing to store
		}
		b := tx.Bucket(bucketBlobs)
		th := text.hash()
		needText = !hasBlob(b, th[:])
		if raw != nil {
			rh := raw.hash()
			needRaw = !hasBlob(b, rh[:])
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("snapshot: record %q: %w", target, err)
	}
	for _, p := range []*pendingBlob{text, raw} {
		if p == nil || (p == text && !needText) || (p == raw && !needRaw) {
			continue
		}
		p.enc = encodeBlob(p.content)
	}
	return nil
}

// currentTextHash returns the text hash of the target's current version, ""
// when it has none (or the version cannot be read: Record's transaction
// then reports why). It decodes only the two fields it needs.
func currentTextHash(tx *bolt.Tx, target string) (string, error) {
	raw := tx.Bucket(bucketTargets).Get([]byte(target))
	if raw == nil {
		return "", nil
	}
	var st struct {
		Current uint64 `json:"current"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return "", fmt.Errorf("decode target %q: %w", target, err)
	}
	vb := tx.Bucket(bucketVersions).Bucket([]byte(target))
	if st.Current == 0 || vb == nil {
		return "", nil
	}
	var v struct {
		TextHash string `json:"text_hash"`
	}
	if raw := vb.Get(itob(st.Current)); raw == nil || json.Unmarshal(raw, &v) != nil {
		return "", nil
	}
	return v.TextHash, nil
}

func (s *Store) record(tx *bolt.Tx, obs *Observation, text, raw *pendingBlob, events func(Outcome) ([]Event, error)) (Outcome, error) {
	st, _, err := getTarget(tx, obs.Target)
	if err != nil {
		return Outcome{}, err
	}
	vb, err := tx.Bucket(bucketVersions).CreateBucketIfNotExists([]byte(obs.Target))
	if err != nil {
		return Outcome{}, err
	}
	var cur *Version
	if st.Current != 0 {
		v, err := decodeVersion(vb.Get(itob(st.Current)))
		if err != nil {
			return Outcome{}, fmt.Errorf("current version %d: %w", st.Current, err)
		}
		cur = &v
	}
	p, err := PlanRecord(obs, text, raw, RecordInput{
		State: st, Current: cur, NextID: vb.NextSequence,
		ReturnOf: func(textHash string) (uint64, error) { return s.recentWithText(vb, textHash) },
	})
	if err != nil {
		return Outcome{}, err
	}
	for _, l := range p.Chain {
		if err := putChain(tx, obs.Target, l); err != nil {
			return Outcome{}, fmt.Errorf("chain: %w", err)
		}
	}
	for _, b := range p.Blobs {
		if _, err := b.put(s, tx); err != nil {
			return Outcome{}, fmt.Errorf("store blob: %w", err)
		}
	}
	for _, v := range p.Versions {
		if err := putJSON(vb, itob(v.ID), v); err != nil {
			return Outcome{}, err
		}
	}
	if v := p.Outcome.Version; obs.PageKey != "" && !obs.NotModified {
		if err := putPageKey(tx, obs.Target, PageKey{Version: v.ID, TextHash: v.TextHash, Key: obs.PageKey}); err != nil {
			return Outcome{}, err
		}
	}
	if err := putJSON(tx.Bucket(bucketTargets), []byte(obs.Target), p.State); err != nil {
		return Outcome{}, err
	}
	out := p.Outcome
	if events != nil {
		evs, err := events(out)
		if err != nil {
			return Outcome{}, EventsError(obs.Target, err)
		}
		if err := writeEvents(tx, obs.Target, obs.At, evs); err != nil {
			return Outcome{}, err
		}
	}
	return out, nil
}

// recentWithText returns the id of the first version with textHash among the
// target's last returnWindow versions, or 0.
// ReturnOf reports which recent version of target (within the return
// window) has the text with textHash, 0 when none: a Record of that text
// would be a return (Kind Returned) to it.
func (s *Store) ReturnOf(target, textHash string) (uint64, error) {
	var id uint64
	err := s.view(func(tx *bolt.Tx) error {
		vb := tx.Bucket(bucketVersions).Bucket([]byte(target))
		if vb == nil {
			return nil
		}
		var err error
		id, err = s.recentWithText(vb, textHash)
		return err
	})
	return id, wrapRead(err, "recent versions of "+target)
}

func (s *Store) recentWithText(vb *bolt.Bucket, textHash string) (uint64, error) {
	c := vb.Cursor()
	recent := make([]Version, 0, s.returnWindow)
	for k, raw := c.Last(); k != nil && len(recent) < s.returnWindow; k, raw = c.Prev() {
		// Only what ReturnOfRecent reads: the rest (headers, meta) would
		// cost more to decode than all of it.
		var old struct {
			ID       uint64 `json:"id"`
			TextHash string `json:"text_hash"`
			ReturnOf uint64 `json:"return_of"`
			Imported bool   `json:"imported"`
		}
		if err := json.Unmarshal(raw, &old); err != nil {
			return 0, fmt.Errorf("version %d: decode version: %w", btoi(k), err)
		}
		recent = append(recent, Version{ID: old.ID, TextHash: old.TextHash, ReturnOf: old.ReturnOf, Imported: old.Imported})
	}
	return ReturnOfRecent(recent, textHash), nil
}

// changeImported is the Change of the chain record of an imported version.
const changeImported = "imported"

// RecordFailure keeps a failed observation (the last MaxFailures per target),
// increments the consecutive-failure count and records the check time.
//
// events is called inside the transaction with the updated state and must
// be pure (see Record). If it returns a TypeTargetFailing event, the target
// is marked Failing in the same transaction; so a caller that emits that
// event only when !state.Failing and the count reaches its threshold raises
// it once per run of failures, and Record's Outcome.Recovered says when the
// run ended.
func (s *Store) RecordFailure(ctx context.Context, target string, f Failure, events func(TargetState) ([]Event, error)) (TargetState, error) {
	if err := ctx.Err(); err != nil {
		return TargetState{}, fmt.Errorf("snapshot: record failure of %q: %w", target, err)
	}
	if target == "" {
		return TargetState{}, errors.New("snapshot: record failure: no target name")
	}
	f.At = f.At.UTC()
	var st TargetState
	err := s.batch(func(tx *bolt.Tx) error {
		var err error
		stored, _, err := getTarget(tx, target)
		if err != nil {
			return err
		}
		var link ChainLink
		st, link, err = PlanFailure(stored, target, f)
		if err != nil {
			return err
		}
		fb, err := tx.Bucket(bucketFailures).CreateBucketIfNotExists([]byte(target))
		if err != nil {
			return err
		}
		seq, err := fb.NextSequence()
		if err != nil {
			return err
		}
		if err := putJSON(fb, itob(seq), f); err != nil {
			return err
		}
		if err := putChain(tx, target, link); err != nil {
			return fmt.Errorf("chain failure: %w", err)
		}
		for {
			k, _ := fb.Cursor().First()
			if k == nil || btoi(k) >= OldestKeptFailure(seq) {
				break
			}
			if err := fb.Delete(k); err != nil {
				return err
			}
		}
		if events != nil {
			evs, err := events(st)
			if err != nil {
				return EventsError(target, err)
			}
			MarkFailing(&st, evs)
			if err := writeEvents(tx, target, f.At, evs); err != nil {
				return err
			}
		}
		return putJSON(tx.Bucket(bucketTargets), []byte(target), st)
	})
	if err != nil {
		if errors.Is(err, errEvents) {
			return TargetState{}, err
		}
		return TargetState{}, fmt.Errorf("snapshot: record failure of %q: %w", target, err)
	}
	return st, nil
}

// SetFailing sets or clears a target's failing flag on its own, for callers
// that track failing state outside RecordFailure.
func (s *Store) SetFailing(ctx context.Context, name string, failing bool) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("snapshot: set failing of %q: %w", name, err)
	}
	err := s.batch(func(tx *bolt.Tx) error {
		st, ok, err := getTarget(tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: target %q", ErrNotFound, name)
		}
		st.Failing = failing
		return putJSON(tx.Bucket(bucketTargets), []byte(name), st)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("snapshot: set failing of %q: %w", name, err)
	}
	return err
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %T: %w", v, err)
	}
	return b.Put(key, data)
}

func getTarget(tx *bolt.Tx, name string) (TargetState, bool, error) {
	raw := tx.Bucket(bucketTargets).Get([]byte(name))
	if raw == nil {
		return TargetState{}, false, nil
	}
	var st TargetState
	if err := json.Unmarshal(raw, &st); err != nil {
		return TargetState{}, false, fmt.Errorf("decode target %q: %w", name, err)
	}
	return st, true, nil
}

func decodeVersion(raw []byte) (Version, error) {
	if raw == nil {
		return Version{}, ErrNotFound
	}
	var v Version
	if err := json.Unmarshal(raw, &v); err != nil {
		return Version{}, fmt.Errorf("decode version: %w", err)
	}
	return v, nil
}

func getVersion(tx *bolt.Tx, target string, id uint64) (Version, error) {
	vb := tx.Bucket(bucketVersions).Bucket([]byte(target))
	if vb == nil {
		return Version{}, fmt.Errorf("%w: target %q has no versions", ErrNotFound, target)
	}
	v, err := decodeVersion(vb.Get(itob(id)))
	if errors.Is(err, ErrNotFound) {
		return Version{}, fmt.Errorf("%w: version %d of %q", ErrNotFound, id, target)
	}
	return v, err
}
