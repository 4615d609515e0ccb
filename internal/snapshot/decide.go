package snapshot

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// This file holds the decisions of the store as pure functions: what an
// observation, a failure or a delivery attempt does to the records, given
// the records. The bbolt store (record.go, outbox.go) and the PostgreSQL
// driver (internal/storage/postgres) both call them inside their own write
// transactions and only read and write what they decide, so the rules exist
// once.

// RecordInput is what PlanRecord needs from the store, read inside the
// write transaction that will apply the plan.
type RecordInput struct {
	// State is the target's stored state (the zero value when it has none).
	State TargetState
	// Current is the current version (State.Current), nil when none.
	Current *Version
	// NextID allocates the next version id of the target (1, 2, 3, ...).
	NextID func() (uint64, error)
	// ReturnOf is the store's ReturnOf within the write transaction: the
	// recent version with this text (see ReturnOfRecent), 0 when none.
	ReturnOf func(textHash string) (uint64, error)
}

// RecordPlan is what one successful observation writes.
type RecordPlan struct {
	Outcome Outcome
	// State is the target's new state.
	State TargetState
	// Versions are the versions to store (insert or replace by id), in
	// order: imported past versions first, then the current one.
	Versions []Version
	// Blobs are stored unless content with the same hash is stored already.
	Blobs []*PendingBlob
	// Chain are the records to append, in order.
	Chain []ChainLink
}

// ChainLink is a chain record as stored: Data is its JSON encoding exactly
// as hashed (Hash is its hex SHA-256).
type ChainLink struct {
	Record ChainRecord
	Data   []byte
	Hash   string
}

// PlanRecord decides what the observation obs does to its target (see
// Store.Record for the rules). text is obs.Text as a blob and raw obs.Raw
// (nil when none, and both nil when obs.NotModified).
func PlanRecord(obs *Observation, text, raw *PendingBlob, in RecordInput) (RecordPlan, error) {
	st, cur := in.State, in.Current
	var p RecordPlan
	out := Outcome{Recovered: st.Failing, FailuresBefore: st.ConsecutiveFailures}
	if cur != nil {
		prev := *cur
		prev.Meta = maps.Clone(cur.Meta)
		out.Previous = &prev
	}
	chain := func(rec ChainRecord) error {
		l, err := AppendChain(&st, rec)
		if err == nil {
			p.Chain = append(p.Chain, l)
		}
		return err
	}

	var v Version
	switch {
	case obs.TextSHA256 != "" && !obs.NotModified && (cur == nil || cur.TextHash != obs.TextSHA256):
		return RecordPlan{}, fmt.Errorf("%w: the current version's text is not the one the check found (the store changed during the check); check again", ErrNotFound)
	case obs.NotModified && cur == nil:
		return RecordPlan{}, fmt.Errorf("%w: a not-modified answer needs a current version, and the target has none: fetch without If-None-Match/If-Modified-Since", ErrNotFound)
	case obs.NotModified || (cur != nil && cur.TextHash == text.HexHash()):
		v = *cur
		out.Kind = Unchanged
		if obs.NotModified {
			out.Kind = NotModified
		} else {
			v.Rules = obs.Rules
			v.Status = obs.Status
		}
		if obs.At.After(v.LastSeen) {
			v.LastSeen = obs.At
		}
		v.Seen++
		if obs.ETag != "" || obs.LastModified != "" || !obs.NotModified {
			v.ETag, v.LastModified = obs.ETag, obs.LastModified
		}
		if obs.Meta != nil {
			v.Meta = maps.Clone(obs.Meta)
		}
		st.Name = obs.Target
		if st.Chain.Records == 0 || !obs.At.Before(st.Chain.At.Add(CheckpointInterval)) {
			rec := ChainRecord{Kind: ChainCheckpoint, At: obs.At, Version: v.ID, URL: obs.URL, Status: obs.Status,
				TextSHA256: v.TextHash, Rules: v.Rules, LastSeen: v.LastSeen, Seen: v.Seen}
			if err := chain(rec); err != nil {
				return RecordPlan{}, fmt.Errorf("chain checkpoint: %w", err)
			}
		}
	default:
		if cur == nil && st.Versions == 0 && len(obs.Imported) > 0 {
			imported, err := planImported(&p, &st, obs, text.HexHash(), in.NextID)
			if err != nil {
				return RecordPlan{}, err
			}
			out.Imported = imported
			st.Versions += len(imported)
		}
		id, err := in.NextID()
		if err != nil {
			return RecordPlan{}, err
		}
		v = Version{
			Target: obs.Target, ID: id, TextHash: text.HexHash(),
			FirstSeen: obs.At, LastSeen: obs.At, Seen: 1,
			URL: obs.URL, Status: obs.Status, MediaType: obs.MediaType, Charset: obs.Charset,
			ETag: obs.ETag, LastModified: obs.LastModified, Rules: obs.Rules,
			Meta: maps.Clone(obs.Meta), TextSize: text.Size(),
		}
		out.Kind = New
		if raw != nil {
			v.RawHash, v.RawSize = raw.HexHash(), raw.Size()
		}
		if orig, err := in.ReturnOf(v.TextHash); err != nil {
			return RecordPlan{}, err
		} else if orig != 0 {
			v.ReturnOf = orig
			out.Kind = Returned
		}
		if cur != nil && cur.Rules != obs.Rules {
			v.Technical = true
			out.Kind = Technical
		}
		if obs.Original != nil {
			orig := NewBlob(obs.Original)
			p.Blobs = append(p.Blobs, orig)
			v.OriginalHash, v.OriginalSize = orig.HexHash(), orig.Size()
		}
		for _, b := range []*PendingBlob{text, raw} {
			if b != nil {
				p.Blobs = append(p.Blobs, b)
			}
		}
		v.Header = keptHeader(obs.Header)
		st.Name = obs.Target
		if err := chain(versionRecord(&v, out.Kind, cur)); err != nil {
			return RecordPlan{}, fmt.Errorf("chain version: %w", err)
		}
		v.Chain = st.Chain.Records
		st.Current = id
		st.Versions++
	}
	p.Versions = append(p.Versions, v)

	st.Name = obs.Target
	if obs.URL != "" {
		st.URL = obs.URL
	}
	st.LastCheck, st.LastSuccess = obs.At, obs.At
	st.LastError, st.ConsecutiveFailures, st.Failing = "", 0, false
	st.LastCode, st.LastMessage = "", nil
	st.ETag, st.LastModified = v.ETag, v.LastModified
	p.State = st

	out.Version = v
	out.Version.Meta = maps.Clone(v.Meta)
	p.Outcome = out
	return p, nil
}

// planImported adds obs.Imported to p as versions before the baseline whose
// text hash is baseline, skipping repeats of the previous text.
func planImported(p *RecordPlan, st *TargetState, obs *Observation, baseline string, nextID func() (uint64, error)) ([]Version, error) {
	var out []Version
	prev := ""
	for _, im := range obs.Imported {
		text := newTextBlob(im.Text)
		h := text.HexHash()
		if h == prev || h == baseline {
			prev = h
			continue
		}
		prev = h
		id, err := nextID()
		if err != nil {
			return nil, err
		}
		v := Version{
			Target: obs.Target, ID: id, TextHash: h, FirstSeen: obs.At, LastSeen: obs.At,
			URL: im.URL, Status: 200, MediaType: im.MediaType, Charset: im.Charset,
			Rules: obs.Rules, Meta: maps.Clone(im.Meta), TextSize: text.Size(), Imported: true,
		}
		p.Blobs = append(p.Blobs, text)
		if im.Raw != nil {
			raw := NewBlob(im.Raw)
			p.Blobs = append(p.Blobs, raw)
			v.RawHash, v.RawSize = raw.HexHash(), raw.Size()
		}
		st.Name = obs.Target
		rec := versionRecord(&v, New, nil)
		rec.Change = changeImported
		l, err := AppendChain(st, rec)
		if err != nil {
			return nil, fmt.Errorf("chain past version: %w", err)
		}
		p.Chain = append(p.Chain, l)
		v.Chain = st.Chain.Records
		p.Versions = append(p.Versions, v)
		out = append(out, v)
	}
	return out, nil
}

// ReturnOfRecent returns the id of the first version with textHash among
// recent (a target's latest versions, newest first, as many as the return
// window), 0 when none: imported versions (never current) do not count.
func ReturnOfRecent(recent []Version, textHash string) uint64 {
	for _, old := range recent {
		if old.Imported {
			continue // never current: a text like it is not a return
		}
		if old.TextHash == textHash {
			if old.ReturnOf != 0 {
				return old.ReturnOf
			}
			return old.ID
		}
	}
	return 0
}

// AppendChain makes rec the next record of the target's chain: it sets
// rec's Seq and Prev, encodes it, and moves st.Chain to it. st.Name must be
// set.
func AppendChain(st *TargetState, rec ChainRecord) (ChainLink, error) {
	if st.Chain.Records == 0 && st.Chain.TrustedFrom == 0 {
		st.Chain.TrustedFrom = 1
	}
	rec.Seq = st.Chain.Records + 1
	rec.Prev = st.Chain.Head
	rec.At = rec.At.UTC()
	data, err := json.Marshal(rec)
	if err != nil {
		return ChainLink{}, fmt.Errorf("encode chain record: %w", err)
	}
	h := RecordHash(data)
	st.Chain.Records, st.Chain.Head, st.Chain.At = rec.Seq, h, rec.At
	return ChainLink{Record: rec, Data: data, Hash: h}, nil
}

// RecordHash is the hex SHA-256 of a chain record's stored bytes.
func RecordHash(stored []byte) string { return recordHash(stored) }

// PlanFailure decides what a failed observation does to the target's state
// st (stored; zero when none): the check time, the error, one more
// consecutive failure, and a failure record on the chain. f.At must be UTC.
func PlanFailure(st TargetState, target string, f Failure) (TargetState, ChainLink, error) {
	st.Name = target
	if st.URL == "" {
		st.URL = f.URL
	}
	st.LastCheck, st.LastError = f.At, f.Error
	st.LastCode, st.LastMessage = f.Code, f.Message
	st.ConsecutiveFailures++
	l, err := AppendChain(&st, ChainRecord{Kind: ChainFailure, At: f.At, URL: f.URL, Status: f.Status,
		TextSHA256: f.TextHash, Error: f.Error})
	if err != nil {
		return TargetState{}, ChainLink{}, fmt.Errorf("chain failure: %w", err)
	}
	return st, l, nil
}

// OldestKeptFailure is the sequence number of the oldest failure kept once
// failure newest is stored: the last MaxFailures are kept.
func OldestKeptFailure(newest uint64) uint64 {
	if newest < MaxFailures {
		return 1
	}
	return newest - MaxFailures + 1
}

// MarkFailing sets st.Failing when the events a failure raised include a
// TypeTargetFailing event.
func MarkFailing(st *TargetState, evs []Event) {
	for _, e := range evs {
		if e.Type == TypeTargetFailing {
			st.Failing = true
		}
	}
}

// PrepareEvents checks and completes the events an observation at at of
// target raised, in order: a non-empty id without NUL that exists nowhere
// yet (exists asks the store), valid JSON payload, target and creation time
// defaulting to the observation's, webhooks sorted without repeats. The
// errors wrap the caller's fault (the events function's) for Record to
// return as they are.
func PrepareEvents(target string, at time.Time, evs []Event, exists func(id string) (bool, error)) ([]Event, error) {
	out := make([]Event, 0, len(evs))
	for _, e := range evs {
		if e.ID == "" || strings.IndexByte(e.ID, 0) >= 0 {
			return nil, fmt.Errorf("%w: event id %q must be non-empty and without NUL bytes", errEvents, e.ID)
		}
		if ok, err := exists(e.ID); err != nil {
			return nil, err
		} else if ok || slices.ContainsFunc(out, func(o Event) bool { return o.ID == e.ID }) {
			return nil, fmt.Errorf("%w: event %q already exists: give every event a new id", errEvents, e.ID)
		}
		if len(e.Payload) > 0 && !json.Valid(e.Payload) {
			return nil, fmt.Errorf("%w: event %q: payload is not valid JSON", errEvents, e.ID)
		}
		if e.Target == "" {
			e.Target = target
		}
		if e.CreatedAt.IsZero() {
			e.CreatedAt = at
		}
		e.CreatedAt = e.CreatedAt.UTC()
		hooks := slices.Clone(e.Webhooks)
		slices.Sort(hooks)
		e.Webhooks = slices.Compact(hooks)
		for _, w := range e.Webhooks {
			if w == "" || strings.IndexByte(w, 0) >= 0 {
				return nil, fmt.Errorf("%w: event %q: webhook name %q must be non-empty and without NUL bytes", errEvents, e.ID, w)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// IsEventsError reports whether err is the caller's: returned by an events
// function, or an event it gave that cannot be stored. Record returns such
// errors without wrapping them.
func IsEventsError(err error) bool { return errors.Is(err, errEvents) }

// EventsError marks err as returned by the caller's events function for
// target, as Record reports it.
func EventsError(target string, err error) error {
	return fmt.Errorf("%w for %q: %w", errEvents, target, err)
}

// NewDeliveries are an event's deliveries as first stored: one per webhook,
// pending, due at the event's creation.
func NewDeliveries(e Event) []Delivery {
	out := make([]Delivery, 0, len(e.Webhooks))
	for _, w := range e.Webhooks {
		out = append(out, Delivery{EventID: e.ID, Webhook: w, State: StatePending, NextAttempt: e.CreatedAt, CreatedAt: e.CreatedAt})
	}
	return out
}

// Delivered applies a successful attempt to d (see Store.MarkDelivered): it
// reports false, changing nothing, for a delivery already delivered.
func Delivered(d *Delivery, at time.Time, status int) bool {
	if d.State == StateDelivered {
		return false
	}
	d.State = StateDelivered
	d.Attempts++
	d.LastAttempt, d.DeliveredAt = at.UTC(), at.UTC()
	d.LastStatus, d.LastError = status, ""
	return true
}

// AttemptFailed applies a failed attempt to d (see Store.MarkAttemptFailed);
// ErrDeliveryState for a delivery that is no longer pending.
func AttemptFailed(d *Delivery, at time.Time, status int, errText string, next time.Time, expired, permanent bool) (bool, error) {
	if d.State != StatePending {
		return false, fmt.Errorf("%w: delivery of event %q to webhook %q is %s, not pending", ErrDeliveryState, d.EventID, d.Webhook, d.State)
	}
	d.Attempts++
	d.LastAttempt = at.UTC()
	d.LastStatus, d.LastError = status, errText
	switch {
	case permanent:
		d.State = StateFailed
	case expired:
		d.State = StateExpired
	default:
		d.NextAttempt = next.UTC()
	}
	return true, nil
}

// Requeued makes an expired or failed delivery pending again, due at now,
// with its attempts reset (see Store.Requeue); false for any other state.
func Requeued(d *Delivery, now time.Time) bool {
	if d.State != StateExpired && d.State != StateFailed {
		return false
	}
	d.State, d.Attempts, d.NextAttempt, d.Requeued = StatePending, 0, now.UTC(), now.UTC()
	return true
}

// ErrNothingToRequeue is the error of a Requeue that found no expired or
// failed delivery of the event.
func ErrNothingToRequeue(eventID string) error {
	return fmt.Errorf("%w: event %q has no expired or failed delivery to re-queue", ErrDeliveryState, eventID)
}

// PrepareBoard bounds a board state to MaxBoardPosts posts (the newest) and
// returns the time its events default to.
func PrepareBoard(st *BoardState, now time.Time) time.Time {
	if n := len(st.Posts); n > MaxBoardPosts {
		st.Posts = st.Posts[n-MaxBoardPosts:]
	}
	at := st.LastAttempt
	if at.IsZero() {
		at = now
	}
	return at.UTC()
}

// A PendingBlob is content to store under the SHA-256 of its bytes. The
// hash and the compressed encoding are computed lazily and at most once.
type PendingBlob = pendingBlob

// NewBlob returns content as a blob to store.
func NewBlob(content []byte) *PendingBlob { return newBlob(content) }

// NewTextBlob returns text as a blob to store, without copying it.
func NewTextBlob(text string) *PendingBlob { return newTextBlob(text) }

// ObservedBlobs returns the blobs of an observation's text and raw page,
// both nil for a not-modified answer and raw nil when there is no raw page.
// The text blob of an observation with TextSHA256 has only that hash (no
// content: the text is the current version's); TextHash and RawHash, when
// set, spare hashing the content again.
func ObservedBlobs(obs *Observation) (text, raw *PendingBlob, err error) {
	if obs.NotModified {
		return nil, nil, nil
	}
	if obs.TextSHA256 != "" {
		text = &pendingBlob{}
		if !text.setHash(obs.TextSHA256) || obs.Text != "" || obs.Raw != nil || obs.TextHash != "" || obs.RawHash != "" {
			return nil, nil, fmt.Errorf("TextSHA256 %q must be a hex SHA-256 and stand alone, without Text or Raw", obs.TextSHA256)
		}
		return text, nil, nil
	}
	text = newTextBlob(obs.Text)
	if obs.TextHash != "" && !text.setHash(obs.TextHash) {
		return nil, nil, fmt.Errorf("TextHash %q is not a hex SHA-256", obs.TextHash)
	}
	if obs.Raw != nil {
		raw = newBlob(obs.Raw)
		if obs.RawHash != "" && !raw.setHash(obs.RawHash) {
			return nil, nil, fmt.Errorf("RawHash %q is not a hex SHA-256", obs.RawHash)
		}
	} else if obs.RawHash != "" {
		return nil, nil, fmt.Errorf("RawHash %q comes without Raw", obs.RawHash)
	}
	return text, raw, nil
}

// Hash is the SHA-256 of the content.
func (p *pendingBlob) Hash() [sha256.Size]byte { return p.hash() }

// HexHash is the hex SHA-256 of the content, the blob's name.
func (p *pendingBlob) HexHash() string { return p.hexHash() }

// Size is the length of the content.
func (p *pendingBlob) Size() int { return p.size }

// Encoded is the blob encoding of the content (compressed once).
func (p *pendingBlob) Encoded() []byte {
	if p.enc == nil {
		p.enc = encodeBlob(p.content)
	}
	return p.enc
}

// EncodeBlob is the blob encoding of content: a codec byte, the length, and
// the content compressed with zstd (as is when that does not shrink it).
func EncodeBlob(content []byte) []byte { return encodeBlob(content) }

// DecodeBlob returns the content of a blob encoding (any codec this or an
// earlier monitord wrote).
func DecodeBlob(enc []byte) ([]byte, error) { return decodeBlob(enc) }

// BlobSize returns the content size a blob encoding declares, without
// decoding it.
func BlobSize(enc []byte) (int64, error) {
	_, size, _, err := blobHeader(enc)
	return int64(size), err
}
