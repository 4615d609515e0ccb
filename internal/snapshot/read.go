package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

// Target returns the state of one target, or ErrNotFound.
func (s *Store) Target(name string) (TargetState, error) {
	var st TargetState
	err := s.view(func(tx *bolt.Tx) error {
		var ok bool
		var err error
		st, ok, err = getTarget(tx, name)
		if err == nil && !ok {
			err = fmt.Errorf("%w: target %q", ErrNotFound, name)
		}
		return err
	})
	return st, wrapRead(err, "target %q", name)
}

// Targets returns every target's state, by name.
func (s *Store) Targets() ([]TargetState, error) {
	var out []TargetState
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTargets).ForEach(func(k, v []byte) error {
			var st TargetState
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("decode target %q: %w", k, err)
			}
			out = append(out, st)
			return nil
		})
	})
	return out, wrapRead(err, "targets")
}

// Versions returns the versions of a target, oldest first, or ErrNotFound
// for a target the store has never seen.
func (s *Store) Versions(target string) ([]Version, error) {
	var out []Version
	err := s.view(func(tx *bolt.Tx) error {
		vb := tx.Bucket(bucketVersions).Bucket([]byte(target))
		if vb == nil {
			if _, ok, err := getTarget(tx, target); err != nil || ok {
				return err
			}
			return fmt.Errorf("%w: target %q", ErrNotFound, target)
		}
		return vb.ForEach(func(k, raw []byte) error {
			v, err := decodeVersion(raw)
			if err != nil {
				return fmt.Errorf("version %d: %w", btoi(k), err)
			}
			out = append(out, v)
			return nil
		})
	})
	return out, wrapRead(err, "versions of %q", target)
}

// Version returns one version of a target, or ErrNotFound.
func (s *Store) Version(target string, id uint64) (Version, error) {
	var v Version
	err := s.view(func(tx *bolt.Tx) (err error) {
		v, err = getVersion(tx, target, id)
		return err
	})
	return v, wrapRead(err, "version %d of %q", id, target)
}

// Current returns the current version of a target, or nil, nil when the
// target has none (or is unknown).
func (s *Store) Current(target string) (*Version, error) {
	var cur *Version
	err := s.view(func(tx *bolt.Tx) error {
		st, ok, err := getTarget(tx, target)
		if err != nil || !ok || st.Current == 0 {
			return err
		}
		v, err := getVersion(tx, target, st.Current)
		if err != nil {
			return err
		}
		cur = &v
		return nil
	})
	return cur, wrapRead(err, "current version of %q", target)
}

// Text returns the extracted text of a version.
func (s *Store) Text(v Version) (string, error) {
	var text []byte
	err := s.view(func(tx *bolt.Tx) (err error) {
		text, err = readBlob(tx, v.TextHash)
		return err
	})
	// decodeBlob's buffer is the caller's own: no second copy.
	return unsafe.String(unsafe.SliceData(text), len(text)), wrapRead(err, "text of version %d of %q", v.ID, v.Target)
}

// Raw returns the page of a version as fetched, or nil when none was kept.
func (s *Store) Raw(v Version) ([]byte, error) {
	if v.RawHash == "" {
		return nil, nil
	}
	var raw []byte
	err := s.view(func(tx *bolt.Tx) (err error) {
		raw, err = readBlob(tx, v.RawHash)
		return err
	})
	return raw, wrapRead(err, "raw page of version %d of %q", v.ID, v.Target)
}

// Original returns the page as fetched of a version whose raw page is
// another document (rendered, or a frame's), nil when there is none.
func (s *Store) Original(v Version) ([]byte, error) {
	if v.OriginalHash == "" {
		return nil, nil
	}
	var raw []byte
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		raw, err = readBlob(tx, v.OriginalHash)
		return err
	})
	return raw, wrapRead(err, "original page of version %d of %q", v.ID, v.Target)
}

// Failures returns a target's kept failed observations, oldest first.
func (s *Store) Failures(target string) ([]Failure, error) {
	var out []Failure
	err := s.view(func(tx *bolt.Tx) error {
		fb := tx.Bucket(bucketFailures).Bucket([]byte(target))
		if fb == nil {
			return nil
		}
		return fb.ForEach(func(k, v []byte) error {
			var f Failure
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("decode failure %d: %w", btoi(k), err)
			}
			out = append(out, f)
			return nil
		})
	})
	return out, wrapRead(err, "failures of %q", target)
}

// Stats summarizes what the store holds.
type Stats struct {
	Targets  int `json:"targets"`
	Versions int `json:"versions"`
	Failures int `json:"failures"`
	Blobs    int `json:"blobs"`
	// BlobBytes is what the blobs take in the file; BlobContentBytes is
	// their size uncompressed.
	BlobBytes        int64 `json:"blob_bytes"`
	BlobContentBytes int64 `json:"blob_content_bytes"`
	Events           int   `json:"events"`
	// Deliveries counts deliveries by state (pending, delivered, expired, failed).
	Deliveries map[string]int `json:"deliveries"`
	// FileSize is the size of the file on disk; DataSize the part of it in
	// use (the rest is preallocated or free pages).
	FileSize int64 `json:"file_size"`
	DataSize int64 `json:"data_size"`
	// Writes counts the write calls (Record, RecordFailure, delivery
	// updates, ...) committed since Open, and Commits the write transactions
	// that carried them: each commit is one fsync, so Writes - Commits is
	// the fsyncs group commit saved.
	Writes  int64 `json:"writes"`
	Commits int64 `json:"commits"`
}

// Stats counts targets, versions, blobs, outbox entries and file size. It
// reads the whole store: use it for status pages and tests, not per check.
func (s *Store) Stats() (Stats, error) {
	st := Stats{Deliveries: map[string]int{}}
	err := s.view(func(tx *bolt.Tx) error {
		st.DataSize = tx.Size()
		st.Targets = tx.Bucket(bucketTargets).Stats().KeyN
		for _, pair := range []struct {
			bucket []byte
			n      *int
		}{{bucketVersions, &st.Versions}, {bucketFailures, &st.Failures}} {
			err := tx.Bucket(pair.bucket).ForEachBucket(func(k []byte) error {
				*pair.n += tx.Bucket(pair.bucket).Bucket(k).Stats().KeyN
				return nil
			})
			if err != nil {
				return err
			}
		}
		err := forEachBlob(tx.Bucket(bucketBlobs), func(k, v []byte) error {
			_, size, _, err := blobHeader(v)
			if err != nil {
				return fmt.Errorf("blob %x: %w", k, err)
			}
			st.Blobs++
			st.BlobBytes += int64(len(v))
			st.BlobContentBytes += int64(size)
			return nil
		})
		if err != nil {
			return err
		}
		st.Events = tx.Bucket(bucketEvents).Stats().KeyN
		db := tx.Bucket(bucketDeliveries)
		return db.ForEachBucket(func(ev []byte) error {
			return db.Bucket(ev).ForEach(func(_, v []byte) error {
				var d Delivery
				if err := json.Unmarshal(v, &d); err != nil {
					return fmt.Errorf("decode delivery of %q: %w", ev, err)
				}
				st.Deliveries[d.State]++
				return nil
			})
		})
	})
	if err == nil {
		fi, serr := os.Stat(s.path)
		if serr != nil {
			err = serr
		} else {
			st.FileSize = fi.Size()
		}
	}
	st.Writes, st.Commits = s.writes.Load(), s.commits.Load()
	return st, wrapRead(err, "stats")
}

// wrapRead prefixes a read error with what was read, keeping ErrNotFound
// errors (already descriptive) as they are.
func wrapRead(err error, format string, args ...any) error {
	if err == nil || errors.Is(err, ErrNotFound) {
		return err
	}
	return fmt.Errorf("snapshot: read "+format+": %w", append(args, err)...)
}
