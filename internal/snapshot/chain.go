package snapshot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Every stored observation of a target is chained: a ChainRecord under
// chain/<target>/<seq> holds what was observed and the SHA-256 of the
// previous record's stored bytes, so a record cannot be edited, removed or
// moved without breaking every link after it. The target's state keeps the
// head (the hash of the last record); anyone who writes the head down can
// later prove that nothing before it changed.
//
// Unchanged re-checks write no record: they only move the current version's
// LastSeen, which a checkpoint record covers at most CheckpointInterval
// after the last record of the target.

// CheckpointInterval is the longest a target's chain goes without a record
// while it is checked: an unchanged observation this long after the last
// record writes a checkpoint carrying the current version's LastSeen.
const CheckpointInterval = 24 * time.Hour

// Kinds of ChainRecord.
const (
	// ChainVersion: the observation that created a version (new, returned
	// or technical; cosmetic changes are new versions too).
	ChainVersion = "version"
	// ChainFailure: a failed observation.
	ChainFailure = "failure"
	// ChainCheckpoint: the current version was still seen (LastSeen, Seen).
	ChainCheckpoint = "checkpoint"
)

// ChainRecord is one link of a target's chain. Its hash is the SHA-256 of
// its JSON encoding exactly as stored.
type ChainRecord struct {
	// Seq is the record's position: 1, 2, 3, ... with no gaps.
	Seq  uint64    `json:"seq"`
	Kind string    `json:"kind"`
	At   time.Time `json:"at"`
	// Prev is the hex SHA-256 of the previous record, "" for the first.
	Prev string `json:"prev"`

	// Version is the version the record created (ChainVersion) or saw
	// again (ChainCheckpoint).
	Version uint64 `json:"version,omitempty"`
	// Change is the Kind of the observation that created the version
	// ("new", "returned", "technical").
	Change   string `json:"change,omitempty"`
	ReturnOf uint64 `json:"return_of,omitempty"`

	URL    string              `json:"url,omitempty"`
	Status int                 `json:"status,omitempty"`
	Header map[string][]string `json:"header,omitempty"`
	// RawSHA256 and TextSHA256 are the hashes of the page as fetched and
	// of the extracted text.
	RawSHA256  string `json:"raw_sha256,omitempty"`
	TextSHA256 string `json:"text_sha256,omitempty"`
	// OriginalSHA256 is the hash of the page as fetched when the raw page
	// is another document (rendered, or a frame's; Version.OriginalHash).
	OriginalSHA256 string `json:"original_sha256,omitempty"`
	// Rules fingerprints the extraction rules that produced the text.
	Rules string            `json:"rules,omitempty"`
	Meta  map[string]string `json:"meta,omitempty"`

	// PrevVersion and PrevLastSeen close the version current before this
	// one: the last time its text was seen (evidence for late_notice).
	PrevVersion  uint64    `json:"prev_version,omitempty"`
	PrevLastSeen time.Time `json:"prev_last_seen,omitzero"`

	// LastSeen and Seen are the version's at a checkpoint.
	LastSeen time.Time `json:"last_seen,omitzero"`
	Seen     int       `json:"seen,omitempty"`

	// Error is a failed observation's error.
	Error string `json:"error,omitempty"`

	// Migrated marks a record written by the schema migration from what
	// an older store held: it links the history but cannot prove it.
	Migrated bool `json:"migrated,omitempty"`
}

// ChainHead is where a target's chain stands (kept in its TargetState).
type ChainHead struct {
	// Records is the number of records; Head the hex SHA-256 of the last
	// one, and At its time.
	Records uint64    `json:"records"`
	Head    string    `json:"head"`
	At      time.Time `json:"at"`
	// TrustedFrom is the first record written as it was observed; records
	// before it were chained by the migration of an older store (their
	// content predates the chain and cannot be proven). 1 for a target
	// whose whole history is chained.
	TrustedFrom uint64 `json:"trusted_from"`
}

// recordHash is the hex SHA-256 of a record's stored bytes.
func recordHash(stored []byte) string {
	sum := sha256.Sum256(stored)
	return hex.EncodeToString(sum[:])
}

// appendChain adds rec as the next record of the target's chain and moves
// st.Chain to it.
func appendChain(tx *bolt.Tx, st *TargetState, rec ChainRecord) error {
	l, err := AppendChain(st, rec)
	if err != nil {
		return err
	}
	return putChain(tx, st.Name, l)
}

// putChain stores a chain record of target.
func putChain(tx *bolt.Tx, target string, l ChainLink) error {
	cb, err := tx.Bucket(bucketChain).CreateBucketIfNotExists([]byte(target))
	if err != nil {
		return err
	}
	return cb.Put(itob(l.Record.Seq), l.Data)
}

// versionRecord is the chain record of the observation that created v.
func versionRecord(v *Version, kind Kind, prev *Version) ChainRecord {
	rec := ChainRecord{
		Kind: ChainVersion, At: v.FirstSeen, Version: v.ID, Change: kind.String(), ReturnOf: v.ReturnOf,
		URL: v.URL, Status: v.Status, Header: v.Header, RawSHA256: v.RawHash, TextSHA256: v.TextHash,
		OriginalSHA256: v.OriginalHash, Rules: v.Rules, Meta: maps.Clone(v.Meta),
	}
	if prev != nil {
		rec.PrevVersion, rec.PrevLastSeen = prev.ID, prev.LastSeen
	}
	return rec
}

// keptHeader returns the response headers kept as evidence: all of them,
// canonicalised, without cookies (they identify monitord's session, not
// the page).
func keptHeader(h http.Header) map[string][]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		k = http.CanonicalHeaderKey(k)
		if k == "Set-Cookie" {
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Chain returns a target's chain records, oldest first, with their hashes.
func (s *Store) Chain(target string) ([]ChainRecord, []string, error) {
	var recs []ChainRecord
	var hashes []string
	err := s.view(func(tx *bolt.Tx) error {
		cb := tx.Bucket(bucketChain).Bucket([]byte(target))
		if cb == nil {
			return nil
		}
		return cb.ForEach(func(k, v []byte) error {
			var r ChainRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("chain record %d: %w", btoi(k), err)
			}
			recs = append(recs, r)
			hashes = append(hashes, recordHash(v))
			return nil
		})
	})
	return recs, hashes, wrapRead(err, "chain of %q", target)
}

// ChainHeads returns every target's chain head, by target name.
func (s *Store) ChainHeads() (map[string]ChainHead, error) {
	sts, err := s.Targets()
	if err != nil {
		return nil, err
	}
	out := make(map[string]ChainHead, len(sts))
	for _, st := range sts {
		out[st.Name] = st.Chain
	}
	return out, nil
}

// migrateChain (schema v3) chains the versions an older store holds, in
// id order, as migrated records, and marks the next record as the first
// that can be trusted.
func migrateChain(tx *bolt.Tx) error {
	// A file turned back to an older schema version is chained afresh.
	if tx.Bucket(bucketChain) != nil {
		if err := tx.DeleteBucket(bucketChain); err != nil {
			return fmt.Errorf("delete bucket %q: %w", bucketChain, err)
		}
	}
	if _, err := tx.CreateBucket(bucketChain); err != nil {
		return fmt.Errorf("create bucket %q: %w", bucketChain, err)
	}
	var names []string
	if err := tx.Bucket(bucketTargets).ForEach(func(k, _ []byte) error {
		names = append(names, string(k))
		return nil
	}); err != nil {
		return err
	}
	for _, name := range names {
		st, _, err := getTarget(tx, name)
		if err != nil {
			return err
		}
		st.Name = name
		st.Chain = ChainHead{}
		var vs []Version
		if vb := tx.Bucket(bucketVersions).Bucket([]byte(name)); vb != nil {
			if err := vb.ForEach(func(k, raw []byte) error {
				v, err := decodeVersion(raw)
				if err != nil {
					return fmt.Errorf("version %d of %q: %w", btoi(k), name, err)
				}
				vs = append(vs, v)
				return nil
			}); err != nil {
				return err
			}
		}
		vb := tx.Bucket(bucketVersions).Bucket([]byte(name))
		for i := range vs {
			v := &vs[i]
			kind := New
			switch {
			case v.Technical:
				kind = Technical
			case v.ReturnOf != 0:
				kind = Returned
			}
			var prev *Version
			if i > 0 {
				prev = &vs[i-1]
			}
			rec := versionRecord(v, kind, prev)
			rec.Migrated = true
			if err := appendChain(tx, &st, rec); err != nil {
				return fmt.Errorf("chain version %d of %q: %w", v.ID, name, err)
			}
			v.Chain = st.Chain.Records
			if err := putJSON(vb, itob(v.ID), v); err != nil {
				return err
			}
		}
		st.Chain.TrustedFrom = st.Chain.Records + 1
		if err := putJSON(tx.Bucket(bucketTargets), []byte(name), st); err != nil {
			return err
		}
	}
	return nil
}
