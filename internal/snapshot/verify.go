package snapshot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/monitord/monitord/internal/i18n"
)

// Problem is one thing Verify found wrong. Target, Record, Version and
// Blob say where, as far as they apply.
type Problem struct {
	Target  string `json:"target,omitempty"`
	Record  uint64 `json:"record,omitempty"`
	Version uint64 `json:"version,omitempty"`
	Blob    string `json:"blob,omitempty"`
	// What says what differs, in English (the catalogue's English, then
	// Detail): stable text for logs and JSON readers.
	What string `json:"what"`
	// Code names the kind of problem ("record_missing", "blob_altered",
	// ...), for programs.
	Code string `json:"code"`
	// Detail is the low-level cause (a decoder's error), when there is one.
	Detail string `json:"detail,omitempty"`
	// Message is What in the catalogue's words, for Text in the reader's
	// language.
	Message []i18n.Msg `json:"-"`
}

// Text is the problem in language l; Detail, a Go error's English, is left
// to What and -format json.
func (p Problem) Text(l i18n.Lang) string {
	if len(p.Message) == 0 {
		return p.What
	}
	return l.Render(p.Message)
}

// problem fills p's Code, Message and What: msgs[0]'s key is
// verify.problem.CODE (or the key of a blob's prefix, with code given by
// the second).
func problem(p Problem, code string, detail error, msgs ...i18n.Msg) Problem {
	p.Code, p.Message = code, msgs
	p.What = i18n.English.Render(msgs)
	if detail != nil {
		p.Detail = detail.Error()
		p.What += ": " + p.Detail
	}
	return p
}

// pm is the message of problem code with args.
func pm(code string, args ...any) i18n.Msg { return i18n.M("verify.problem."+code, args...) }

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
	vf.Problem(problem(Problem{Target: target}, "orphan_"+what, nil, pm("orphan_"+what)))
}

// StateUnreadable names a target whose stored state cannot be decoded
// (err); its target is not checked further.
func (vf *Verifier) StateUnreadable(target string, err error) {
	vf.Problem(problem(Problem{Target: target}, "state_unreadable", err, pm("state_unreadable")))
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

// msg names the blob as used by r: "the text of version 2 of "alpha" (blob
// ab12…)", with suffix ("", "missing") choosing the sentence.
func (r blobRef) msg(blob, suffix string) i18n.Msg {
	key := "verify.blob.text"
	if r.raw {
		key = "verify.blob.raw"
	}
	return i18n.M(key+suffix, r.version, strconv.Quote(r.target), blob)
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
			vf.StateUnreadable(name, err)
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
	broken := func(seq uint64, code string, detail error, args ...any) {
		if cs.FirstBroken == 0 || seq < cs.FirstBroken {
			cs.FirstBroken = seq
		}
		probs = append(probs, problem(Problem{Target: name, Record: seq}, code, detail, pm(code, args...)))
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
					broken(expect, "record_missing", nil, expect, seq)
				} else {
					broken(seq, "record_out_of_sequence", nil, seq, expect-1)
				}
			}
			expect = seq + 1
			var rec ChainRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				broken(seq, "record_undecodable", err, seq)
				prevHash = recordHash(v)
				continue
			}
			if cs.FirstBroken == 0 {
				switch {
				case rec.Seq != seq:
					broken(seq, "record_moved", nil, seq, rec.Seq)
				case rec.Prev != prevHash:
					broken(seq-1, "record_changed", nil, seq-1, seq, short(rec.Prev), short(prevHash), seq-1, seq)
				case rec.At.Before(prevAt):
					broken(seq, "record_time", nil, seq, rec.At.Format(time.RFC3339Nano), seq-1, prevAt.Format(time.RFC3339Nano))
				}
			}
			prevHash, prevAt = recordHash(v), rec.At
			switch rec.Kind {
			case ChainVersion:
				if old, dup := byVersion[rec.Version]; dup {
					broken(seq, "version_created_twice", nil, seq, rec.Version, old.Seq)
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
		broken(min(n, st.Chain.Records)+1, "chain_length", nil, n, st.Chain.Records)
	case prevHash != st.Chain.Head:
		broken(n, "head_mismatch", nil, n, short(prevHash), short(st.Chain.Head))
	}

	// The versions, against the records that created them.
	seen := map[uint64]bool{}
	for _, sv := range versions {
		func(id uint64, raw []byte) {
			rep.Versions++
			seen[id] = true
			v, err := decodeVersion(raw)
			if err != nil {
				probs = append(probs, problem(Problem{Target: name, Version: id}, "version_undecodable", err, pm("version_undecodable", id)))
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
					probs = append(probs, problem(Problem{Target: name, Version: id}, "version_bad_hash", nil, pm("version_bad_hash", id, strconv.Quote(r.hash))))
					continue
				} else {
					copy(key[:], b)
				}
				refs[key] = append(refs[key], blobRef{target: name, version: id, raw: r.raw})
			}
			rec, ok := byVersion[id]
			if !ok {
				if cs.FirstBroken == 0 {
					probs = append(probs, problem(Problem{Target: name, Version: id}, "version_unchained", nil, pm("version_unchained", id)))
				}
				return
			}
			for _, d := range versionDiffs(v, rec) {
				probs = append(probs, problem(Problem{Target: name, Version: id, Record: rec.Seq}, "version_differs", nil, pm("version_differs", id), d))
			}
			if cp := lastCheckpoint[id]; v.LastSeen.Before(cp) {
				probs = append(probs, problem(Problem{Target: name, Version: id}, "last_seen", nil, pm("last_seen", id, v.LastSeen.Format(time.RFC3339Nano), cp.Format(time.RFC3339Nano))))
			}
			return
		}(sv.ID, sv.Data)
	}
	for _, id := range slices.Sorted(maps.Keys(byVersion)) {
		if !seen[id] {
			rec := byVersion[id]
			probs = append(probs, problem(Problem{Target: name, Version: id, Record: rec.Seq}, "version_missing", nil, pm("version_missing", id, rec.Seq)))
		}
	}
	if st.Current != 0 && !seen[st.Current] && byVersion[st.Current].Seq == 0 {
		probs = append(probs, problem(Problem{Target: name, Version: st.Current}, "current_missing", nil, pm("current_missing", st.Current)))
	}
	cs.OK = len(probs) == 0
	return cs, probs
}

// versionDiffs lists what a version says differently from the record that
// created it.
func versionDiffs(v Version, rec ChainRecord) []i18n.Msg {
	var out []i18n.Msg
	diff := func(field, have, want string) {
		if have != want {
			out = append(out, pm("field_differs", field, strconv.Quote(have), rec.Seq, strconv.Quote(want)))
		}
	}
	if v.Chain != rec.Seq {
		out = append(out, pm("names_record", v.Chain, rec.Seq))
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

// errStopBlobs ends verifyBlobs' walk once CheckBlobs wants no more.
var errStopBlobs = errors.New("snapshot: verify: stop")

// verifyBlobs checks every blob of the file against its hash.
func verifyBlobs(ctx context.Context, tx *bolt.Tx, vf *Verifier, progress VerifyProgress) error {
	bb := tx.Bucket(bucketBlobs)
	return vf.CheckBlobs(ctx, countBlobs(bb), progress, func(send func(k, v []byte) bool) (err error) {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%w: reading blobs: %v", ErrDamaged, p)
			}
		}()
		err = forEachBlob(bb, func(k, v []byte) error {
			if !send(k, v) {
				return errStopBlobs
			}
			return nil
		})
		if errors.Is(err, errStopBlobs) {
			return nil
		}
		return err
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
		if r.code == "" {
			continue
		}
		users := refs[r.key]
		if len(users) == 0 {
			rep.Problems = append(rep.Problems, problem(Problem{Blob: hexHash(r.key)}, r.code, r.detail,
				i18n.M("verify.blob.unused", short(hexHash(r.key))), r.what))
			continue
		}
		for _, u := range users {
			rep.Problems = append(rep.Problems, problem(Problem{Target: u.target, Version: u.version, Blob: hexHash(r.key)}, r.code, r.detail,
				u.msg(short(hexHash(r.key)), ""), r.what))
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
			rep.Problems = append(rep.Problems, problem(Problem{Target: u.target, Version: u.version, Blob: hexHash(key)}, "blob_missing", nil,
				u.msg(short(hexHash(key)), ".missing")))
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

// blobCheck is the verdict on one blob: what is wrong (code "" when
// nothing), with the low-level cause when there is one.
type blobCheck struct {
	key    [sha256.Size]byte
	code   string
	what   i18n.Msg
	detail error
	size   int64
}

func checkBlob(k, v []byte) (r blobCheck) {
	defer func() {
		if p := recover(); p != nil {
			r.code, r.what, r.detail = "blob_unreadable", pm("blob_unreadable"), fmt.Errorf("%v", p)
		}
	}()
	copy(r.key[:], k)
	if len(k) != sha256.Size {
		r.code, r.what = "blob_bad_key", pm("blob_bad_key", hex.EncodeToString(k))
		return r
	}
	content, err := decodeBlob(v)
	if err != nil {
		r.code, r.what, r.detail = "blob_undecodable", pm("blob_undecodable"), err
		return r
	}
	r.size = int64(len(content))
	if sum := sha256.Sum256(content); sum != r.key {
		r.code, r.what = "blob_altered", pm("blob_altered", short(hexHash(sum)))
	}
	return r
}
