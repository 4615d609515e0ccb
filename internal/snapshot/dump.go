package snapshot

import (
	"context"
	"encoding/hex"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Kinds of DumpRecord, in the order Dump yields them.
const (
	DumpBlob     = "blob"
	DumpTarget   = "target"
	DumpVersion  = "version"
	DumpFailure  = "failure"
	DumpChain    = "chain"
	DumpBoard    = "board"
	DumpEvent    = "event"
	DumpDelivery = "delivery"
)

// DumpRecord is one stored record exactly as the store holds it, for
// copying a store into another driver verbatim (monitord migrate).
type DumpRecord struct {
	Kind string
	// Target names the target (target, version, failure, chain, board);
	// for a delivery, the webhook.
	Target string
	// Key is the record's key: the version id, failure or chain sequence;
	// the event id (event, delivery); the blob's SHA-256 in hex.
	Key   string
	Seq   uint64
	Value []byte // JSON, or a blob's encoding (codec, length, payload); a chain record's exact hashed bytes
	// Size is a blob's uncompressed length (from its header).
	Size int64
}

// DumpOrder lists the kinds in the order Dump yields them: blobs first,
// then what refers to them, events before their deliveries.
var DumpOrder = []string{DumpBlob, DumpTarget, DumpVersion, DumpFailure, DumpChain, DumpBoard, DumpEvent, DumpDelivery}

// Dump calls fn for every record of the store, kind by kind in DumpOrder,
// in one read transaction (a consistent view). Value is only valid during
// the call. It stops at the first error of fn or when ctx ends.
func (s *Store) Dump(ctx context.Context, fn func(DumpRecord) error) error {
	err := s.view(func(tx *bolt.Tx) error {
		emit := func(r DumpRecord) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return fn(r)
		}
		if err := forEachBlob(tx.Bucket(bucketBlobs), func(k, v []byte) error {
			size, err := BlobSize(v)
			if err != nil {
				return fmt.Errorf("blob %x: %w", k, err)
			}
			return emit(DumpRecord{Kind: DumpBlob, Key: hex.EncodeToString(k), Value: v, Size: size})
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTargets).ForEach(func(k, v []byte) error {
			return emit(DumpRecord{Kind: DumpTarget, Target: string(k), Value: v})
		}); err != nil {
			return err
		}
		for _, nb := range []struct {
			kind   string
			bucket []byte
		}{{DumpVersion, bucketVersions}, {DumpFailure, bucketFailures}, {DumpChain, bucketChain}} {
			top := tx.Bucket(nb.bucket)
			if top == nil {
				continue
			}
			if err := top.ForEachBucket(func(name []byte) error {
				return top.Bucket(name).ForEach(func(k, v []byte) error {
					return emit(DumpRecord{Kind: nb.kind, Target: string(name), Seq: btoi(k), Value: v})
				})
			}); err != nil {
				return err
			}
		}
		if b := tx.Bucket(bucketBoards); b != nil {
			if err := b.ForEach(func(k, v []byte) error {
				return emit(DumpRecord{Kind: DumpBoard, Target: string(k), Value: v})
			}); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			return emit(DumpRecord{Kind: DumpEvent, Key: string(k), Value: v})
		}); err != nil {
			return err
		}
		top := tx.Bucket(bucketDeliveries)
		return top.ForEachBucket(func(id []byte) error {
			return top.Bucket(id).ForEach(func(k, v []byte) error {
				return emit(DumpRecord{Kind: DumpDelivery, Key: string(id), Target: string(k), Value: v})
			})
		})
	})
	if err != nil {
		return fmt.Errorf("snapshot: dump %s: %w", s.path, err)
	}
	return nil
}
