package snapshot

import bolt "go.etcd.io/bbolt"

// BoltStats exposes the bbolt statistics of a store to the external tests
// (pages allocated, that is written, by the commits so far).
func BoltStats(s *Store) bolt.Stats { return s.db.Stats() }
