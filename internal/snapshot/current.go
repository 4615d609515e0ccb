package snapshot

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// TargetCurrent is a target's state with its current version.
type TargetCurrent struct {
	State TargetState
	// Current is the current version, nil before the first success.
	Current *Version
}

// TargetsWithCurrent returns every target's state and current version, by
// name, in one read transaction: what a list of all targets needs, without
// a transaction per target. gen is the store's write generation the answer
// reflects (bbolt's transaction id, which every committed write moves on).
// When known equals the current generation nothing was written since the
// caller's last answer: it gets nil and the same gen, and keeps its copy,
// which spares decoding every record of a large store on every page view.
func (s *Store) TargetsWithCurrent(known int) (out []TargetCurrent, gen int, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		gen = tx.ID()
		if known > 0 && gen == known {
			return nil
		}
		return tx.Bucket(bucketTargets).ForEach(func(k, v []byte) error {
			var tc TargetCurrent
			if err := json.Unmarshal(v, &tc.State); err != nil {
				return fmt.Errorf("decode target %q: %w", k, err)
			}
			if tc.State.Current != 0 {
				cur, err := getVersion(tx, tc.State.Name, tc.State.Current)
				if err != nil {
					return err
				}
				tc.Current = &cur
			}
			out = append(out, tc)
			return nil
		})
	})
	return out, gen, wrapRead(err, "targets with their current versions")
}
