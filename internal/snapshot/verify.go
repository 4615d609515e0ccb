package snapshot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Problem is one thing Verify found wrong. Target, Record, Version and
// Blob say where, as far as they apply.
type Problem struct {
	Target  string `json:"target,omitempty"`
	Record  uint64 `json:"record,omitempty"`
	Version uint64 `json:"version,omitempty"`
	Blob    string `json:"blob,omitempty"`
	// What says what differs, for people.
	What string `json:"what"`
}

// ChainStatus is the verdict on one target's chain.
type ChainStatus struct {
	Target string `json:"target"`
	ChainHead
	// OK reports that every record links to the one before it, the head
	// matches the target's state and every version matches its record.
	OK bool `json:"ok"`
	// FirstBroken is the first record that does not hold, 0 when OK (or
	// when only a version or blob is wrong).
	FirstBroken uint64 `json:"first_broken,omitempty"`
}

// VerifyReport is what Verify found.
type VerifyReport struct {
	Targets  int   `json:"targets"`
	Records  int   `json:"records"`
	Versions int   `json:"versions"`
	Blobs    int   `json:"blobs"`
	Bytes    int64 `json:"blob_content_bytes"`
	// Consistency lists what bbolt's own check found (pages, freelist).
	Consistency []string      `json:"consistency"`
	Chains      []ChainStatus `json:"chains"`
	// Problems lists every problem, by target, record and version.
	Problems []Problem     `json:"problems"`
	Duration time.Duration `json:"duration_ns"`
}

// OK reports whether the store is whole.
func (r *VerifyReport) OK() bool { return len(r.Consistency) == 0 && len(r.Problems) == 0 }

// VerifyProgress is called as Verify moves on: stage names the step
// ("structure", "chains", "blobs"), done and total count its items.
type VerifyProgress func(stage string, done, total int)

// Verify checks the whole store: bbolt's consistency check over every
// page, every target's chain (each record links to the hash of the one
// before it, sequence without gaps, times in order, head equal to the
// target's state), every version against the record that created it, and
// every blob against its hash. It returns an error only when the store
// cannot be read at all; what it finds is in the report.
func (s *Store) Verify(ctx context.Context, progress VerifyProgress) (*VerifyReport, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	start := time.Now()
	vf := NewVerifier()
	rep := vf.Report()
	err := s.view(func(tx *bolt.Tx) error {
		progress("structure", 0, 1)
		for err := range tx.Check() {
			rep.Consistency = append(rep.Consistency, err.Error())
		}
		progress("structure", 1, 1)
		if len(rep.Consistency) > 0 {
			// The pages cannot be trusted: walking them may read garbage.
			return nil
		}
		if err := verifyChains(ctx, tx, vf, progress); err != nil {
			return err
		}
		return verifyBlobs(ctx, tx, vf, progress)
	})
	rep.Duration = time.Since(start)
	if err != nil {
		return rep, fmt.Errorf("snapshot: verify %s: %w", s.path, err)
	}
	return rep, nil
}

// Verifier checks a store's records as a driver reads them to it, and
// collects what it finds in a VerifyReport: the rules of Verify, for every
// engine. Feed it every target (Target), then every blob (CheckBlobs).
type Verifier struct {
	rep  *VerifyReport
	refs map[[sha256.Size]byte][]blobRef
}

// NewVerifier returns a Verifier with an empty report.
func NewVerifier() *Verifier {
	return &Verifier{
		rep:  &VerifyReport{Consistency: []string{}, Chains: []ChainStatus{}, Problems: []Problem{}},
		refs: map[[sha256.Size]byte][]blobRef{},
	}
}

// Report is the report so far.
func (vf *Verifier) Report() *VerifyReport { return vf.rep }

// Problem adds a problem found outside the checks of Target and CheckBlobs.
func (vf *Verifier) Problem(p Problem) { vf.rep.Problems = append(vf.rep.Problems, p) }

// Orphans names records (in what: "versions", "chain") stored for a target
// that has no state.
func (vf *Verifier) Orphans(target, what string) {
	vf.Problem(Problem{Target: target, What: fmt.Sprintf("%s are stored for a target that has no state: its state was removed", what)})
}

// StoredRecord is a chain record as stored: its sequence key and bytes.
type StoredRecord struct {
	Seq  uint64
	Data []byte
}

// StoredVersion is a version as stored: its id key and JSON.
type StoredVersion struct {
	ID   uint64
	Data []byte
}

// Target checks one target against its stored state st: its chain
// records in key order and its versions in id order. (A state that cannot
// be decoded is a Problem of its own, and its target is not checked.)
func (vf *Verifier) Target(name string, st TargetState, chain []StoredRecord, versions []StoredVersion) {
	cs, probs := verifyTarget(name, st, chain, versions, vf.refs, vf.rep)
	vf.rep.Chains = append(vf.rep.Chains, cs)
	vf.rep.Problems = append(vf.rep.Problems, probs...)
	vf.rep.Targets++
}

// blobRef names a version that uses a blob.
type blobRef struct {
	target  string
	version uint64
	raw     bool
}

func (r blobRef) String() string {
	what := "text"
	if r.raw {
		what = "raw page"
	}
	return fmt.Sprintf("%s of version %d of %q", what, r.version, r.target)
}

// verifyChains checks every target's chain and versions.
func verifyChains(ctx context.Context, tx *bolt.Tx, vf *Verifier, progress VerifyProgress) error {
	tb := tx.Bucket(bucketTargets)
	total := tb.Stats().KeyN
	var names []string
	if err := tb.ForEach(func(k, _ []byte) error {
		names = append(names, string(k))
		return nil
	}); err != nil {
		return err
	}
	// Versions or chains stored for a target with no state are named too.
	for _, b := range [][]byte{bucketVersions, bucketChain} {
		if err := tx.Bucket(b).ForEachBucket(func(k []byte) error {
			if tb.Get(k) == nil {
				vf.Orphans(string(k), string(b))
			}
			return nil
		}); err != nil {
			return err
		}
	}
	for i, name := range names {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			progress("chains", i, total)
		}
		st, _, err := getTarget(tx, name)
		if err != nil {
			vf.Problem(Problem{Target: name, What: err.Error()})
			continue
		}
		var chain []StoredRecord
		if cb := tx.Bucket(bucketChain).Bucket([]byte(name)); cb != nil {
			c := cb.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				chain = append(chain, StoredRecord{Seq: btoi(k), Data: v})
			}
		}
		var versions []StoredVersion
		if vb := tx.Bucket(bucketVersions).Bucket([]byte(name)); vb != nil {
			c := vb.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				versions = append(versions, StoredVersion{ID: btoi(k), Data: v})
			}
		}
		vf.Target(name, st, chain, versions)
	}
	progress("chains", total, total)
	return nil
}

// verifyTarget checks one target's chain, and its versions against it.
func verifyTarget(name string, st TargetState, chain []StoredRecord, versions []StoredVersion, refs map[[sha256.Size]byte][]blobRef, rep *VerifyReport) (ChainStatus, []Problem) {
	cs := ChainStatus{Target: name, ChainHead: st.Chain}
	var probs []Problem
	broken := func(seq uint64, format string, args ...any) {
		if cs.FirstBroken == 0 || seq < cs.FirstBroken {
			cs.FirstBroken = seq
		}
		probs = append(probs, Problem{Target: name, Record: seq, What: fmt.Sprintf(format, args...)})
	}

	// The chain: every link, in order.
	byVersion := map[uint64]ChainRecord{} // the record that created each version
	lastCheckpoint := map[uint64]time.Time{}
	var (
		n, expect = uint64(0), uint64(1)
		prevHash  string
		prevAt    time.Time
	)
	{
		for _, r := range chain {
			seq, v := r.Seq, r.Data
			n++
			rep.Records++
			brokenHere := cs.FirstBroken != 0
			if seq != expect && !brokenHere {
				if seq > expect {
					broken(expect, "record %d is missing: the next stored record is %d (a record was deleted)", expect, seq)
				} else {
					broken(seq, "record key %d is out of sequence after record %d", seq, expect-1)
				}
			}
			expect = seq + 1
			var rec ChainRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				broken(seq, "record %d cannot be decoded: %v", seq, err)
				prevHash = recordHash(v)
				continue
			}
			if cs.FirstBroken == 0 {
				switch {
				case rec.Seq != seq:
					broken(seq, "record %d says it is record %d: records were moved or reordered", seq, rec.Seq)
				case rec.Prev != prevHash:
					broken(seq-1, "record %d does not hash to what record %d links to (%s, found %s): record %d was changed, or one before record %d deleted", seq-1, seq, short(rec.Prev), short(prevHash), seq-1, seq)
				case rec.At.Before(prevAt):
					broken(seq, "record %d was observed at %s, before record %d (%s): a timestamp was edited or records were reordered", seq, rec.At.Format(time.RFC3339Nano), seq-1, prevAt.Format(time.RFC3339Nano))
				}
			}
			prevHash, prevAt = recordHash(v), rec.At
			switch rec.Kind {
			case ChainVersion:
				if old, dup := byVersion[rec.Version]; dup {
					broken(seq, "record %d creates version %d, which record %d created already", seq, rec.Version, old.Seq)
				}
				byVersion[rec.Version] = rec
				if rec.PrevVersion != 0 && rec.PrevLastSeen.After(lastCheckpoint[rec.PrevVersion]) {
					lastCheckpoint[rec.PrevVersion] = rec.PrevLastSeen
				}
			case ChainCheckpoint:
				if rec.LastSeen.After(lastCheckpoint[rec.Version]) {
					lastCheckpoint[rec.Version] = rec.LastSeen
				}
			}
		}
	}
	switch {
	case n != st.Chain.Records:
		broken(min(n, st.Chain.Records)+1, "the chain holds %d records but the target's head says %d: records at the end were deleted or added", n, st.Chain.Records)
	case prevHash != st.Chain.Head:
		broken(n, "the last record %d hashes to %s but the target's head says %s: the last record was changed", n, short(prevHash), short(st.Chain.Head))
	}

	// The versions, against the records that created them.
	seen := map[uint64]bool{}
	for _, sv := range versions {
		func(id uint64, raw []byte) {
			rep.Versions++
			seen[id] = true
			v, err := decodeVersion(raw)
			if err != nil {
				probs = append(probs, Problem{Target: name, Version: id, What: fmt.Sprintf("version %d cannot be decoded: %v", id, err)})
				return
			}
			for _, r := range []struct {
				hash string
				raw  bool
			}{{v.TextHash, false}, {v.RawHash, true}, {v.OriginalHash, true}} {
				if r.hash == "" {
					continue
				}
				var key [sha256.Size]byte
				if b, err := hex.DecodeString(r.hash); err != nil || len(b) != sha256.Size {
					probs = append(probs, Problem{Target: name, Version: id, What: fmt.Sprintf("version %d names a blob %q that is not a SHA-256", id, r.hash)})
					continue
				} else {
					copy(key[:], b)
				}
				refs[key] = append(refs[key], blobRef{target: name, version: id, raw: r.raw})
			}
			rec, ok := byVersion[id]
			if !ok {
				if cs.FirstBroken == 0 {
					probs = append(probs, Problem{Target: name, Version: id, What: fmt.Sprintf("version %d has no chain record: it was added after the fact", id)})
				}
				return
			}
			for _, d := range versionDiffs(v, rec) {
				probs = append(probs, Problem{Target: name, Version: id, Record: rec.Seq, What: fmt.Sprintf("version %d: %s", id, d)})
			}
			if cp := lastCheckpoint[id]; v.LastSeen.Before(cp) {
				probs = append(probs, Problem{Target: name, Version: id, What: fmt.Sprintf("version %d: last_seen is %s, but the chain saw it at %s", id, v.LastSeen.Format(time.RFC3339Nano), cp.Format(time.RFC3339Nano))})
			}
			return
		}(sv.ID, sv.Data)
	}
	for _, id := range slices.Sorted(maps.Keys(byVersion)) {
		if !seen[id] {
			rec := byVersion[id]
			probs = append(probs, Problem{Target: name, Version: id, Record: rec.Seq, What: fmt.Sprintf("version %d, created by record %d, is missing: it was deleted", id, rec.Seq)})
		}
	}
	if st.Current != 0 && !seen[st.Current] && byVersion[st.Current].Seq == 0 {
		probs = append(probs, Problem{Target: name, Version: st.Current, What: fmt.Sprintf("the current version %d does not exist", st.Current)})
	}
	cs.OK = len(probs) == 0
	return cs, probs
}

// versionDiffs lists what a version says differently from the record that
// created it.
func versionDiffs(v Version, rec ChainRecord) []string {
	var out []string
	diff := func(field, have, want string) {
		if have != want {
			out = append(out, fmt.Sprintf("%s is %q, its record %d says %q", field, have, rec.Seq, want))
		}
	}
	if v.Chain != rec.Seq {
		out = append(out, fmt.Sprintf("names record %d, but record %d created it", v.Chain, rec.Seq))
	}
	diff("text_hash", v.TextHash, rec.TextSHA256)
	diff("raw_hash", v.RawHash, rec.RawSHA256)
	diff("original_hash", v.OriginalHash, rec.OriginalSHA256)
	diff("url", v.URL, rec.URL)
	if !v.FirstSeen.Equal(rec.At) {
		diff("first_seen", v.FirstSeen.UTC().Format(time.RFC3339Nano), rec.At.UTC().Format(time.RFC3339Nano))
	}
	if v.ReturnOf != rec.ReturnOf {
		diff("return_of", fmt.Sprint(v.ReturnOf), fmt.Sprint(rec.ReturnOf))
	}
	if v.Technical != (rec.Change == Technical.String()) {
		diff("technical", fmt.Sprint(v.Technical), fmt.Sprint(rec.Change == Technical.String()))
	}
	for _, k := range slices.Sorted(maps.Keys(mergeKeys(v.Header, rec.Header))) {
		if !slices.Equal(v.Header[k], rec.Header[k]) {
			diff("header "+k, fmt.Sprint(v.Header[k]), fmt.Sprint(rec.Header[k]))
		}
	}
	return out
}

func mergeKeys(a, b map[string][]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// verifyBlobs checks every blob of the file against its hash.
func verifyBlobs(ctx context.Context, tx *bolt.Tx, vf *Verifier, progress VerifyProgress) error {
	bb := tx.Bucket(bucketBlobs)
	return vf.CheckBlobs(ctx, bb.Stats().KeyN, progress, func(send func(k, v []byte) bool) (err error) {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%w: reading blobs: %v", ErrDamaged, p)
			}
		}()
		c := bb.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if !send(k, v) {
				return nil
			}
		}
		return nil
	})
}

// CheckBlobs decodes every blob feed sends (its key, the SHA-256, and its
// stored encoding) and compares its content with its hash, on every core:
// decoding and hashing is most of verify's time. Blobs the versions name
// but feed never sent are missing. total is how many feed will send, for
// progress. send returns false once ctx is done; feed then stops and
// CheckBlobs returns ctx's error. Call it once, after every Target.
func (vf *Verifier) CheckBlobs(ctx context.Context, total int, progress VerifyProgress, feed func(send func(k, v []byte) bool) error) error {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	rep, refs := vf.rep, vf.refs
	type job struct{ k, v []byte }
	jobs := make(chan job, 256)
	results := make(chan blobCheck, 256)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			for j := range jobs {
				results <- checkBlob(j.k, j.v)
			}
		})
	}
	go func() { wg.Wait(); close(results) }()
	var feedErr error
	go func() {
		defer close(jobs)
		err := feed(func(k, v []byte) bool {
			if ctx.Err() != nil {
				return false
			}
			jobs <- job{k, v}
			return true
		})
		if err == nil {
			err = ctx.Err()
		}
		feedErr = err
	}()
	present := make(map[[sha256.Size]byte]bool, total)
	done := 0
	for r := range results {
		done++
		rep.Blobs++
		rep.Bytes += r.size
		present[r.key] = true
		if done%4096 == 0 {
			progress("blobs", done, total)
		}
		if r.what == "" {
			continue
		}
		users := refs[r.key]
		if len(users) == 0 {
			rep.Problems = append(rep.Problems, Problem{Blob: hexHash(r.key), What: "blob " + short(hexHash(r.key)) + " (used by no version): " + r.what})
			continue
		}
		for _, u := range users {
			rep.Problems = append(rep.Problems, Problem{Target: u.target, Version: u.version, Blob: hexHash(r.key),
				What: fmt.Sprintf("the %s (blob %s): %s", u, short(hexHash(r.key)), r.what)})
		}
	}
	if feedErr != nil {
		return feedErr
	}
	progress("blobs", total, total)
	for _, key := range slices.SortedFunc(maps.Keys(refs), func(a, b [sha256.Size]byte) int { return slices.Compare(a[:], b[:]) }) {
		if present[key] {
			continue
		}
		for _, u := range refs[key] {
			rep.Problems = append(rep.Problems, Problem{Target: u.target, Version: u.version, Blob: hexHash(key),
				What: fmt.Sprintf("the %s (blob %s) is missing", u, short(hexHash(key)))})
		}
	}
	slices.SortStableFunc(rep.Problems, func(a, b Problem) int {
		if a.Target != b.Target {
			if a.Target < b.Target {
				return -1
			}
			return 1
		}
		return 0
	})
	return nil
}

// short abbreviates a hex hash for messages.
func short(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	if h == "" {
		return "(none)"
	}
	return h
}

// blobCheck is the verdict on one blob: what is wrong ("" when nothing).
type blobCheck struct {
	key  [sha256.Size]byte
	what string
	size int64
}

func checkBlob(k, v []byte) (r blobCheck) {
	defer func() {
		if p := recover(); p != nil {
			r.what = fmt.Sprintf("unreadable: %v", p)
		}
	}()
	copy(r.key[:], k)
	if len(k) != sha256.Size {
		r.what = fmt.Sprintf("blob key %x is not a SHA-256", k)
		return r
	}
	content, err := decodeBlob(v)
	if err != nil {
		r.what = err.Error()
		return r
	}
	r.size = int64(len(content))
	if sum := sha256.Sum256(content); sum != r.key {
		r.what = fmt.Sprintf("its content hashes to %s: it was altered", short(hexHash(sum)))
	}
	return r
}
