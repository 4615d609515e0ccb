package snapshot

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Head is what a check reads of a target before it fetches: its state, its
// current version and its page key, read in one transaction so that the
// three agree and the target's record is decoded once.
type Head struct {
	// State is the target's state; Known is false for a target the store
	// has never seen (State is then the zero value).
	State TargetState
	Known bool
	// Current is the current version, nil when the target has none.
	Current *Version
	// Key is the stored page key (zero when none is). KeyErr is why it
	// could not be read: a check then extracts instead of failing.
	Key    PageKey
	KeyErr error
}

// Head returns what a check needs of target before it fetches. The error
// is about the state or the current version; a page key that cannot be
// read is reported in Head.KeyErr.
func (s *Store) Head(target string) (Head, error) {
	var h Head
	err := s.view(func(tx *bolt.Tx) error {
		st, ok, err := getTarget(tx, target)
		if err != nil || !ok {
			return err
		}
		h.State, h.Known = st, true
		if st.Current != 0 {
			v, err := getVersion(tx, target, st.Current)
			if err != nil {
				return err
			}
			h.Current = &v
		}
		if b := tx.Bucket(bucketPageKeys); b != nil {
			if raw := b.Get([]byte(target)); raw != nil {
				if err := json.Unmarshal(raw, &h.Key); err != nil {
					h.Key, h.KeyErr = PageKey{}, fmt.Errorf("decode page key of %q: %w", target, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return Head{}, wrapRead(err, "state and current version of %q", target)
	}
	return h, nil
}
