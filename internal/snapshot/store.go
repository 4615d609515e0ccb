package snapshot

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrInUse is returned by Open when another process holds the store's lock.
var ErrInUse = errors.New("snapshot: store is in use by another monitord process")

// ErrNotFound is returned when a target, version, blob, event or delivery does not exist.
var ErrNotFound = errors.New("snapshot: not found")

// ErrSchema is returned by Open when the file's schema cannot be used by this binary.
var ErrSchema = errors.New("snapshot: incompatible store schema")

// ErrDamaged is returned when the file cannot be read as a bbolt store: a
// page it points at was never written, or holds something else. Nothing is
// changed; `monitord verify` reports where the damage is.
var ErrDamaged = errors.New("snapshot: store is damaged")

// ErrDeliveryState is returned when a delivery is not in a state that allows the operation,
// e.g. a failed attempt reported for a delivery that is no longer pending.
var ErrDeliveryState = errors.New("snapshot: delivery state does not allow this")

// initialMmapSize is the address space reserved at open (not memory: pages
// are only read in when touched).
const initialMmapSize = 1 << 30

// Options configures Open.
type Options struct {
	// ReadOnly opens the file with a shared lock and never writes; the file
	// must exist and have exactly this binary's schema version.
	ReadOnly bool
	// Timeout bounds the wait for the file lock (default 1s); when it passes
	// Open returns ErrInUse.
	Timeout time.Duration
	// Logger receives migration and maintenance messages (default: discard).
	Logger *slog.Logger
	// NoSync skips fsync on commit. For tests and benchmarks only: a crash may
	// lose or corrupt data.
	NoSync bool
	// ReturnWindow is how many of a target's latest versions a new text is
	// compared with to detect a return to an earlier text (default 10).
	ReturnWindow int
}

// Store is the bbolt-backed history of targets, versions, blobs, failures and
// the alert outbox. It is safe for concurrent use.
type Store struct {
	db           *bolt.DB
	path         string
	log          *slog.Logger
	returnWindow int

	gc committer

	// Counters since Open, for Stats and benchmarks.
	commits atomic.Int64
	writes  atomic.Int64
}

// Open opens (and, when writable, creates and migrates) the store at path.
func Open(path string, o Options) (*Store, error) {
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.ReturnWindow <= 0 {
		o.ReturnWindow = 10
	}
	fi, statErr := os.Stat(path)
	if o.ReadOnly {
		if statErr != nil {
			return nil, fmt.Errorf("snapshot: open %s read-only: %w (run `monitord check` or `monitord run` once to create it)", path, pathCause(statErr))
		}
		if fi.Size() == 0 {
			// A crash between creating the file and initialising it leaves
			// an empty file; a read-only open cannot initialise it.
			return nil, fmt.Errorf("%w: %s is empty, not an initialized monitord store: run `monitord check` once to create it", ErrSchema, path)
		}
	}
	created := errors.Is(statErr, fs.ErrNotExist) || (statErr == nil && fi.Size() == 0)
	if statErr != nil && !o.ReadOnly {
		// storage.path = "data/monitord.db" on a fresh machine: make the
		// folder, as systemd's StateDirectory would.
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("snapshot: create the folder of the store %s (storage.path): %w", path, pathCause(err))
		}
	}
	db, err := openBolt(path, &bolt.Options{
		Timeout:  o.Timeout,
		ReadOnly: o.ReadOnly,
		NoSync:   o.NoSync,
		// The hashmap freelist stays fast as the file fragments.
		FreelistType: bolt.FreelistMapType,
		// Reserve address space up front so a growing store is not
		// remapped (which blocks every transaction) at each doubling.
		InitialMmapSize: initialMmapSize,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		if o.ReadOnly {
			return nil, fmt.Errorf("%w: %s is locked by a running monitord (waited %s); stop it to read the store directly", ErrInUse, path, o.Timeout)
		}
		return nil, fmt.Errorf("%w: %s is locked (waited %s); stop the other monitord (`monitord run` or `monitord check`), or use another storage.path", ErrInUse, path, o.Timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot: open %s: %w", path, pathCause(err))
	}
	if created && !o.ReadOnly && !o.NoSync {
		// bbolt syncs the file it initialises, not the directory entry
		// that names it: without this a power cut soon after the first
		// check could lose the whole file on some file systems, although
		// its baseline alerts were already sent.
		if err := syncDir(filepath.Dir(path)); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("snapshot: create %s: %w", path, err)
		}
	}
	s := &Store{db: db, path: path, log: o.Logger, returnWindow: o.ReturnWindow}
	if err := s.migrate(path, o.ReadOnly); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// openBolt is bolt.Open that turns a panic on a damaged file into ErrDamaged.
func openBolt(path string, o *bolt.Options) (db *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			db, err = nil, fmt.Errorf("%w: %v: run `monitord verify` to see where", ErrDamaged, p)
		}
	}()
	return bolt.Open(path, 0o600, o)
}

// syncDir fsyncs a directory, so that entries created in it survive a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// view is db.View that turns a panic inside bbolt (a page of a damaged file
// that is not what its parent says) into ErrDamaged, so reading commands
// report the damage instead of crashing.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	// A page past the end of a truncated file is a fault in the mapping,
	// not a Go panic, unless asked for.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s: %v: run `monitord verify` to see where", ErrDamaged, s.path, p)
		}
	}()
	return s.db.View(fn)
}

func (s *Store) migrate(path string, readOnly bool) error {
	var have int
	if err := s.view(func(tx *bolt.Tx) (err error) {
		have, err = readSchemaVersion(tx)
		return err
	}); err != nil {
		return fmt.Errorf("snapshot: read schema version of %s: %w", path, err)
	}
	switch {
	case have > schemaVersion:
		return fmt.Errorf("%w: store schema v%d is newer than this monitord (v%d): upgrade monitord (%s)", ErrSchema, have, schemaVersion, path)
	case have == schemaVersion:
		return nil
	case readOnly && have == 0:
		return fmt.Errorf("%w: %s is not an initialized monitord store: run `monitord check` once to create it", ErrSchema, path)
	case readOnly:
		return fmt.Errorf("%w: store schema v%d is older than this monitord (v%d): run `monitord check` or `monitord run` once to migrate it (%s)", ErrSchema, have, schemaVersion, path)
	}
	// Every step in one transaction: a process killed while creating or
	// upgrading the store leaves it as it was, never at a version between
	// (which read-only commands such as verify would refuse).
	if err := s.db.Update(func(tx *bolt.Tx) error {
		for v := have; v < schemaVersion; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("from schema v%d to v%d: %w", v, v+1, err)
			}
			if err := writeSchemaVersion(tx, v+1); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("snapshot: migrate %s: %w", path, err)
	}
	if have > 0 {
		s.log.Info("store schema migrated", slog.String("path", path), slog.Int("from", have), slog.Int("to", schemaVersion))
	}
	return nil
}

// Close releases the file and its lock. Pending batched writes finish first.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("snapshot: close %s: %w", s.path, err)
	}
	return nil
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// batch runs fn in a write transaction shared with concurrent callers
// (group commit): the first caller to find no commit in progress becomes the
// leader and commits everything queued so far in one transaction; callers
// arriving meanwhile queue for the next round. An idle store commits at once
// and a busy one commits as many calls per fsync as are waiting. (bolt.DB.Batch
// instead waits MaxBatchDelay, 10ms, before every commit, which a single
// `monitord check` of one target would pay on every write.)
//
// As with bolt.DB.Batch, fn may run more than once: when it fails, the round
// is rolled back, fn is re-run alone (so its error does not depend on its
// batch-mates' writes) and the others are retried without it.
func (s *Store) batch(fn func(*bolt.Tx) error) error {
	c := commitCall{fn: fn, done: make(chan error, 1)}
	s.gc.mu.Lock()
	s.gc.queue = append(s.gc.queue, c)
	lead := !s.gc.leading
	s.gc.leading = true
	s.gc.mu.Unlock()
	if lead {
		s.commitRound()
		// Our call is done; hand any backlog to a goroutine that lives only
		// until the queue is empty, so this caller is not held up by others.
		if s.gc.more() {
			go func() {
				for {
					s.commitRound()
					if !s.gc.more() {
						return
					}
				}
			}()
		}
	}
	return <-c.done
}

type commitCall struct {
	fn   func(*bolt.Tx) error
	done chan error // buffered: a round never blocks on a caller
}

// committer is the queue of calls waiting for the next group commit.
type committer struct {
	mu      sync.Mutex
	queue   []commitCall
	leading bool // a goroutine is committing rounds; it drains the queue before clearing this
}

// more reports whether calls are queued; if none are, the caller stops leading.
func (g *committer) more() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.leading = false
		return false
	}
	return true
}

// commitRound commits every queued call in one transaction.
func (s *Store) commitRound() {
	s.gc.mu.Lock()
	calls := s.gc.queue
	s.gc.queue = nil
	s.gc.mu.Unlock()
	for len(calls) > 0 {
		failed := -1
		err := safeUpdate(s.db, func(tx *bolt.Tx) error {
			for i, c := range calls {
				if err := safeCall(c.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed >= 0 && len(calls) > 1 {
			c := calls[failed]
			calls = slices.Delete(calls, failed, failed+1)
			c.done <- s.solo(c.fn)
			continue
		}
		if err == nil {
			s.commits.Add(1)
			s.writes.Add(int64(len(calls)))
		}
		for _, c := range calls {
			c.done <- err
		}
		return
	}
}

func (s *Store) solo(fn func(*bolt.Tx) error) error {
	err := safeUpdate(s.db, func(tx *bolt.Tx) error { return safeCall(fn, tx) })
	if err == nil {
		s.commits.Add(1)
		s.writes.Add(1)
	}
	return err
}

// safeUpdate is db.Update that turns a panic inside bbolt into an error, so
// the callers waiting on a round always get an answer and the next caller
// can lead.
func safeUpdate(db *bolt.DB, fn func(*bolt.Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in bbolt commit: %v", p)
		}
	}()
	return db.Update(fn)
}

// safeCall turns a panic in fn into an error, so one bad call cannot take
// down the goroutine committing for others.
func safeCall(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in write transaction: %v", p)
		}
	}()
	return fn(tx)
}

// Backup writes a consistent copy of the whole store to w while it stays in
// use (a hot backup) and returns the number of bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("snapshot: backup: %w", err)
	}
	return n, nil
}

// pathCause drops the *fs.PathError around err, whose "open PATH: " would
// repeat the path the caller's message already names.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
