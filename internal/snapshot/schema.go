package snapshot

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// This file is the whole on-disk contract of the store: every bucket and key,
// with the schema version that added it. Values are JSON unless noted.
// Change the layout only by appending a migration below.

var (
	// bucketMeta holds store-wide keys. Since v1.
	bucketMeta = []byte("meta")
	// keySchemaVersion (in meta) is the applied schema version, 8-byte
	// big-endian. Since v1.
	keySchemaVersion = []byte("schema_version")

	// bucketTargets maps a target name to its state (targetRecord). Since v1.
	bucketTargets = []byte("targets")

	// bucketVersions holds one nested bucket per target name; each maps an
	// 8-byte big-endian version id (the nested bucket's NextSequence: 1, 2,
	// 3, ...) to a Version. Since v1.
	bucketVersions = []byte("versions")

	// bucketBlobs maps a 32-byte sha256 of the uncompressed content to the
	// blob encoding of blob.go (not JSON). Blobs are content-addressed and
	// never deleted. Since v1. Since v6, a new blob is a nested bucket
	// under its hash holding the encoding under the key 0x00; blobs stored
	// before stay values (see blobAt).
	bucketBlobs = []byte("blobs")

	// bucketFailures holds one nested bucket per target name; each maps an
	// 8-byte big-endian sequence to a Failure, bounded to MaxFailures entries.
	// Since v1.
	bucketFailures = []byte("failures")

	// bucketEvents maps an event id to an eventRecord (the outbox). Since v1.
	bucketEvents = []byte("events")

	// bucketEventsByTime indexes events by creation: key is timeKey(CreatedAt)
	// followed by the event id, value empty. Since v1.
	bucketEventsByTime = []byte("events_by_time")

	// bucketDeliveries holds one nested bucket per event id; each maps a
	// webhook name to its Delivery. Since v1.
	bucketDeliveries = []byte("deliveries")

	// bucketDue indexes pending deliveries by next attempt: key is
	// timeKey(NextAttempt) + event id + 0x00 + webhook name, value empty.
	// Only pending deliveries have an entry, so Due is one cursor range scan.
	// Since v1.
	bucketDue = []byte("due")

	// bucketEventCounts counts deliveries by event type and delivery state:
	// key is type + 0x00 + state, value an 8-byte big-endian count. An event
	// routed to no webhook counts once under StateNone. Kept in step in the
	// transactions that write events and change deliveries, so reading the
	// counts costs one small bucket scan. Since v2.
	bucketEventCounts = []byte("event_counts")

	// bucketChain holds one nested bucket per target name; each maps an
	// 8-byte big-endian sequence (1, 2, 3, ... without gaps) to a
	// ChainRecord, whose hash is the SHA-256 of the stored bytes and which
	// names the hash of the record before it. The head is kept in the
	// target's state (TargetState.Chain). Since v3.
	bucketChain = []byte("chain")

	// bucketBoards maps a target name to a BoardState: what its notice
	// board (공지사항) showed. The board pages it quotes are blobs. Since v4.
	bucketBoards = []byte("boards")

	// bucketPageKeys maps a target name to a PageKey: the key of the page
	// (extract.Page) its current text was extracted from, so that a check
	// of a page with the same key may skip extraction. Since v5.
	bucketPageKeys = []byte("page_keys")
)

// migrations brings a store from schema version i to i+1 with migrations[i].
// Open runs the steps a store lacks in one write transaction, which also
// records the new version: a store is at its old version or the newest,
// never between.
var migrations = []func(*bolt.Tx) error{
	// v1: the initial layout.
	func(tx *bolt.Tx) error {
		for _, name := range [][]byte{
			bucketMeta, bucketTargets, bucketVersions, bucketBlobs, bucketFailures,
			bucketEvents, bucketEventsByTime, bucketDeliveries, bucketDue,
		} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %q: %w", name, err)
			}
		}
		return nil
	},
	// v2: delivery counts by event type and state, computed from the
	// events and deliveries already stored.
	func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketEventCounts); err != nil {
			return fmt.Errorf("create bucket %q: %w", bucketEventCounts, err)
		}
		return tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			typ, err := eventType(v)
			if err != nil {
				return fmt.Errorf("event %q: %w", k, err)
			}
			ds, err := deliveriesOf(tx, string(k))
			if err != nil {
				return err
			}
			if len(ds) == 0 {
				return bumpCount(tx, typ, StateNone, 1)
			}
			for _, d := range ds {
				if err := bumpCount(tx, typ, d.State, 1); err != nil {
					return err
				}
			}
			return nil
		})
	},
	// v3: every stored observation chained; existing versions are chained
	// as migrated records (see migrateChain).
	migrateChain,
	// v4: notice boards (bucketBoards); no existing data changes.
	func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketBoards); err != nil {
			return fmt.Errorf("create bucket %q: %w", bucketBoards, err)
		}
		return nil
	},
	// v5: page keys (bucketPageKeys); no existing data changes (a target
	// gets its key at its next check).
	func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketPageKeys); err != nil {
			return fmt.Errorf("create bucket %q: %w", bucketPageKeys, err)
		}
		return nil
	},
	// v6: new blobs in buckets of their own (see blobAt); the blobs already
	// stored stay as they are, so no existing data changes. The version
	// keeps an older monitord, which reads only values, from opening the
	// store.
	func(tx *bolt.Tx) error { return nil },
}

// schemaVersion is the schema version this binary writes and reads.
var schemaVersion = len(migrations)

// readSchemaVersion returns the schema version recorded in tx, 0 for a new file.
func readSchemaVersion(tx *bolt.Tx) (int, error) {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0, nil
	}
	v := b.Get(keySchemaVersion)
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("meta/schema_version has %d bytes, want 8: the file is damaged or not a monitord store", len(v))
	}
	return int(binary.BigEndian.Uint64(v)), nil
}

func writeSchemaVersion(tx *bolt.Tx, version int) error {
	b, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	return b.Put(keySchemaVersion, itob(uint64(version)))
}
