package snapshot

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Loader writes records, exactly as another engine stores them, into a new
// bbolt store file: the PostgreSQL driver's Backup is such a file, which
// `monitord verify FILE` checks and which runs as an embedded store. The
// records keep their bytes (chain hashes hold); the indexes and counters
// bbolt keeps beside them (events by time, due deliveries, event counts,
// the sequences) are rebuilt from them.
type Loader struct {
	s    *Store
	tx   *bolt.Tx
	puts int
}

// loaderCommitEvery bounds the records one write transaction of a Loader
// holds.
const loaderCommitEvery = 2000

// NewLoader creates a store file at path (which must not exist) for a
// Loader. Close it to finish the file.
func NewLoader(path string) (*Loader, error) {
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	return &Loader{s: s}, nil
}

func (l *Loader) begin() (*bolt.Tx, error) {
	if l.tx != nil && l.puts >= loaderCommitEvery {
		if err := l.tx.Commit(); err != nil {
			l.tx = nil
			return nil, err
		}
		l.tx = nil
	}
	if l.tx == nil {
		tx, err := l.s.db.Begin(true)
		if err != nil {
			return nil, err
		}
		l.tx, l.puts = tx, 0
	}
	l.puts++
	return l.tx, nil
}

func (l *Loader) nested(bucket []byte, name string, seq uint64, value []byte) error {
	tx, err := l.begin()
	if err != nil {
		return err
	}
	b, err := tx.Bucket(bucket).CreateBucketIfNotExists([]byte(name))
	if err != nil {
		return err
	}
	if seq > b.Sequence() {
		if err := b.SetSequence(seq); err != nil {
			return err
		}
	}
	return b.Put(itob(seq), value)
}

// Target stores a target's state (TargetState JSON).
func (l *Loader) Target(name string, doc []byte) error {
	tx, err := l.begin()
	if err != nil {
		return err
	}
	return tx.Bucket(bucketTargets).Put([]byte(name), doc)
}

// Version stores version id of target (Version JSON).
func (l *Loader) Version(target string, id uint64, doc []byte) error {
	return l.nested(bucketVersions, target, id, doc)
}

// Failure stores failure seq of target (Failure JSON).
func (l *Loader) Failure(target string, seq uint64, doc []byte) error {
	return l.nested(bucketFailures, target, seq, doc)
}

// Chain stores chain record seq of target, its bytes as hashed.
func (l *Loader) Chain(target string, seq uint64, data []byte) error {
	tx, err := l.begin()
	if err != nil {
		return err
	}
	b, err := tx.Bucket(bucketChain).CreateBucketIfNotExists([]byte(target))
	if err != nil {
		return err
	}
	return b.Put(itob(seq), data)
}

// Blob stores a blob: key is the SHA-256 of its content, enc its blob
// encoding.
func (l *Loader) Blob(key, enc []byte) error {
	tx, err := l.begin()
	if err != nil {
		return err
	}
	b := tx.Bucket(bucketBlobs)
	if hasBlob(b, key) {
		return fmt.Errorf("blob %x given twice: a content hash names one blob", key)
	}
	return putBlob(b, key, enc)
}

// Board stores a target's board state (BoardState JSON).
func (l *Loader) Board(target string, doc []byte) error {
	tx, err := l.begin()
	if err != nil {
		return err
	}
	return tx.Bucket(bucketBoards).Put([]byte(target), doc)
}

// Event stores an event (Event JSON) with its deliveries (Delivery JSON
// each), and indexes and counts them as writeEvents and reindex do.
func (l *Loader) Event(doc []byte, deliveries [][]byte) error {
	tx, err := l.begin()
	if err != nil {
		return err
	}
	var e Event
	if err := json.Unmarshal(doc, &e); err != nil {
		return fmt.Errorf("decode event: %w", err)
	}
	if err := tx.Bucket(bucketEvents).Put([]byte(e.ID), doc); err != nil {
		return err
	}
	if err := tx.Bucket(bucketEventsByTime).Put(concat(timeKey(e.CreatedAt), []byte(e.ID)), nil); err != nil {
		return err
	}
	if len(deliveries) == 0 {
		return bumpCount(tx, e.Type, StateNone, 1)
	}
	db, err := tx.Bucket(bucketDeliveries).CreateBucketIfNotExists([]byte(e.ID))
	if err != nil {
		return err
	}
	for _, raw := range deliveries {
		var d Delivery
		if err := json.Unmarshal(raw, &d); err != nil {
			return fmt.Errorf("decode delivery of %q: %w", e.ID, err)
		}
		if err := db.Put([]byte(d.Webhook), raw); err != nil {
			return err
		}
		if d.State == StatePending {
			if err := tx.Bucket(bucketDue).Put(dueKey(d), nil); err != nil {
				return err
			}
		}
		if err := bumpCount(tx, e.Type, d.State, 1); err != nil {
			return err
		}
	}
	return nil
}

// Close commits what is loaded and closes the file.
func (l *Loader) Close() error {
	var err error
	if l.tx != nil {
		err = l.tx.Commit()
		l.tx = nil
	}
	if cerr := l.s.Close(); err == nil {
		err = cerr
	}
	return err
}

// Abort drops the uncommitted part and closes the file.
func (l *Loader) Abort() {
	if l.tx != nil {
		_ = l.tx.Rollback()
		l.tx = nil
	}
	_ = l.s.Close()
}
