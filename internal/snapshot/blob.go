package snapshot

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// Blob encoding (what blobs/<sha256> holds, see blobAt): one codec byte, the
// uncompressed length as a uvarint, then the payload. Keeping the length in
// the header lets Stats sum sizes without inflating anything.
//
// New blobs are written with zstd; blobs written by earlier versions with
// DEFLATE stay readable (the codec byte says which), so no migration is
// needed and a store holds both kinds side by side.
const (
	codecIdentity byte = 0 // payload is the content itself
	codecFlate    byte = 1 // payload is raw DEFLATE (RFC 1951) of the content (written until zstd)
	codecZstd     byte = 2 // payload is one zstd frame (RFC 8878) of the content
)

// minCompress is the size below which content is stored as is: frame
// headers would cost more than they save.
const minCompress = 256

// zstdLevel trades compression speed for size. SpeedFastest compresses a
// 60 KB policy page in half the CPU time of SpeedDefault, to a blob about
// 8 % larger (13.0 against 12.0 KB for the pages of ../shared/bench, see
// BenchmarkEncodeBlob); both beat DEFLATE's BestSpeed, which came before.
// Every level is read by the same decoder.
const zstdLevel = zstd.SpeedFastest

// The zstd encoder and decoder are safe for concurrent EncodeAll and
// DecodeAll and keep their own pools of state, so one of each serves every
// store of the process. They are built on first use.
var (
	zstdEncoder = sync.OnceValue(func() *zstd.Encoder {
		e, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstdLevel), zstd.WithEncoderCRC(true),
			zstd.WithLowerEncoderMem(true))
		if err != nil {
			panic(fmt.Sprintf("snapshot: zstd encoder: %v", err)) // only bad options fail
		}
		return e
	})
	zstdDecoder = sync.OnceValue(func() *zstd.Decoder {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(maxBlobSize))
		if err != nil {
			panic(fmt.Sprintf("snapshot: zstd decoder: %v", err)) // only bad options fail
		}
		return d
	})
)

// maxBlobSize bounds what one blob may decode to: far above any page the
// fetcher accepts (10 MiB), it only stops a corrupt header from allocating
// without limit.
const maxBlobSize = 1 << 30

func hexHash(h [sha256.Size]byte) string { return hex.EncodeToString(h[:]) }

// encodeBlob compresses content with zstd, falling back to identity when
// that does not make it smaller.
func encodeBlob(content []byte) []byte {
	var hdr [1 + binary.MaxVarintLen64]byte
	n := 1 + binary.PutUvarint(hdr[1:], uint64(len(content)))
	if len(content) >= minCompress {
		hdr[0] = codecZstd
		out := make([]byte, n, n+len(content)/3)
		copy(out, hdr[:n])
		out = zstdEncoder().EncodeAll(content, out)
		if len(out) < len(content)+n {
			return out
		}
	}
	out := make([]byte, n+len(content))
	hdr[0] = codecIdentity
	copy(out, hdr[:n])
	copy(out[n:], content)
	return out
}

// blobHeader returns the codec, the uncompressed size and the payload.
func blobHeader(v []byte) (codec byte, size uint64, payload []byte, err error) {
	if len(v) < 2 {
		return 0, 0, nil, errors.New("blob shorter than its header")
	}
	size, n := binary.Uvarint(v[1:])
	if n <= 0 {
		return 0, 0, nil, errors.New("blob header has a bad length")
	}
	return v[0], size, v[1+n:], nil
}

// decodeBlob returns a fresh copy of the content of an encoded blob, so the
// result stays valid after the transaction.
func decodeBlob(v []byte) ([]byte, error) {
	codec, size, payload, err := blobHeader(v)
	if err != nil {
		return nil, err
	}
	switch codec {
	case codecIdentity:
		if uint64(len(payload)) != size {
			return nil, fmt.Errorf("blob holds %d bytes, header says %d", len(payload), size)
		}
		return bytes.Clone(payload), nil
	case codecFlate:
		out := make([]byte, 0, size)
		r := flate.NewReader(bytes.NewReader(payload))
		buf := bytes.NewBuffer(out)
		if _, err := io.Copy(buf, io.LimitReader(r, int64(size)+1)); err != nil {
			return nil, fmt.Errorf("inflate blob: %w", err)
		}
		if uint64(buf.Len()) != size {
			return nil, fmt.Errorf("blob inflates to %d bytes, header says %d", buf.Len(), size)
		}
		return buf.Bytes(), nil
	case codecZstd:
		if size > maxBlobSize {
			return nil, fmt.Errorf("blob header says %d bytes, more than any blob may hold", size)
		}
		out, err := zstdDecoder().DecodeAll(payload, make([]byte, 0, size))
		if err != nil {
			return nil, fmt.Errorf("zstd blob: %w", err)
		}
		if uint64(len(out)) != size {
			return nil, fmt.Errorf("blob decompresses to %d bytes, header says %d", len(out), size)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("blob has unknown codec %d", codec)
	}
}

// pendingBlob is content to store under its hash. The hash and the
// compressed form are computed lazily (an unchanged check needs neither for
// the raw page) and at most once, even when a transaction is retried.
type pendingBlob struct {
	content []byte // not retained after the call
	size    int
	hashed  bool
	sum     [sha256.Size]byte
	enc     []byte
}

func newBlob(content []byte) *pendingBlob {
	return &pendingBlob{content: content, size: len(content)}
}

// newTextBlob is newBlob of a string's bytes, shared rather than copied: a
// blob only reads its content.
func newTextBlob(s string) *pendingBlob {
	return newBlob(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// setHash sets the blob's hash from its hex form, as computed by whoever
// holds the content; it reports false, setting nothing, when h is not a hex
// SHA-256.
func (p *pendingBlob) setHash(h string) bool {
	var sum [sha256.Size]byte
	if len(h) != hex.EncodedLen(sha256.Size) {
		return false
	}
	if _, err := hex.Decode(sum[:], []byte(h)); err != nil {
		return false
	}
	p.sum, p.hashed = sum, true
	return true
}

func (p *pendingBlob) hash() [sha256.Size]byte {
	if !p.hashed {
		p.sum, p.hashed = sha256.Sum256(p.content), true
	}
	return p.sum
}

func (p *pendingBlob) hexHash() string { return hexHash(p.hash()) }

// put stores the blob unless identical content is already stored. It
// reports whether it wrote anything.
func (p *pendingBlob) put(s *Store, tx *bolt.Tx) (bool, error) {
	b := tx.Bucket(bucketBlobs)
	key := p.hash()
	if hasBlob(b, key[:]) {
		return false, nil
	}
	if p.enc == nil {
		p.enc = encodeBlob(p.content)
	}
	return true, putBlob(b, key[:], p.enc)
}

// The blobs bucket maps a content hash to a blob's encoding in one of two
// layouts, side by side in one store:
//
//   - until schema v5, the encoding is the value under the hash;
//   - since v6, the hash names a bucket of the blob's own that holds the
//     encoding under blobValueKey.
//
// A blob is larger than a page, and bbolt keeps at least two values in a
// leaf: stored as values, every new blob rewrote a neighbour's bytes too
// (and read them into memory), 30 % of a new version's writes
// (BenchmarkRecordBaseline1000: 141 KB written per version before, 99 KB
// after). In a bucket of its own, a blob's pages are written once and the
// blobs bucket's leaves hold only hashes and bucket headers. hasBlob,
// blobAt, putBlob and forEachBlob are the only code that knows the layouts.
var blobValueKey = []byte{0}

// blobAt returns the encoding stored under key in b, the blobs bucket, and
// whether the key is there at all (a blob's bucket without its value gives
// nil and true: damage for the caller to report).
func blobAt(b *bolt.Bucket, key []byte) (enc []byte, ok bool) {
	k, v := b.Cursor().Seek(key)
	if !bytes.Equal(k, key) {
		return nil, false
	}
	if v == nil { // a bucket: the v6 layout
		if nb := b.Bucket(key); nb != nil {
			v = nb.Get(blobValueKey)
		}
	}
	return v, true
}

// hasBlob reports whether b, the blobs bucket, holds key, without reading
// the blob.
func hasBlob(b *bolt.Bucket, key []byte) bool {
	k, _ := b.Cursor().Seek(key)
	return bytes.Equal(k, key)
}

// putBlob stores a new blob's encoding under key in b, the blobs bucket, in
// the v6 layout. enc must stay unchanged until the transaction ends.
func putBlob(b *bolt.Bucket, key, enc []byte) error {
	nb, err := b.CreateBucket(key)
	if err != nil {
		return fmt.Errorf("blob %x: %w", key, err)
	}
	return nb.Put(blobValueKey, enc)
}

// forEachBlob calls fn with the hash and the encoding of every blob of b,
// the blobs bucket, in hash order (enc nil for a blob's bucket without its
// value).
func forEachBlob(b *bolt.Bucket, fn func(key, enc []byte) error) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				v = nb.Get(blobValueKey)
			}
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// countBlobs returns how many blobs b, the blobs bucket, holds, reading its
// keys only.
func countBlobs(b *bolt.Bucket) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}

// readBlob returns the content stored under a hex sha256.
func readBlob(tx *bolt.Tx, hexSum string) ([]byte, error) {
	key, err := hex.DecodeString(hexSum)
	if err != nil || len(key) != sha256.Size {
		return nil, fmt.Errorf("bad blob hash %q", hexSum)
	}
	v, ok := blobAt(tx.Bucket(bucketBlobs), key)
	if !ok {
		return nil, fmt.Errorf("%w: blob %s", ErrNotFound, hexSum)
	}
	out, err := decodeBlob(v)
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", hexSum, err)
	}
	return out, nil
}
