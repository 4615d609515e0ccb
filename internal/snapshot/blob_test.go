package snapshot

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// flateBlob encodes content as the store wrote blobs before zstd: codec 1,
// the size, raw DEFLATE at BestSpeed.
func flateBlob(t testing.TB, content []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteByte(codecFlate)
	buf.Write(binary.AppendUvarint(nil, uint64(len(content))))
	w, err := flate.NewWriter(&buf, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func blobContents() map[string][]byte {
	long := strings.Repeat("제1조 (개인정보의 처리 목적) 회사는 회원 가입과 본인 확인을 위하여 이름과 휴대전화번호를 처리합니다.\n", 600)
	noise := make([]byte, 4096)
	x := uint32(7)
	for i := range noise { // incompressible: stored as is
		x = x*1664525 + 1013904223
		noise[i] = byte(x >> 24)
	}
	return map[string][]byte{"empty": {}, "short": []byte("개인정보"), "policy": []byte(long), "noise": noise}
}

func TestBlobRoundTrip(t *testing.T) {
	for name, content := range blobContents() {
		enc := encodeBlob(content)
		got, err := decodeBlob(enc)
		if err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		if !bytes.Equal(got, content) {
			t.Fatalf("%s: round trip changed the content (%d bytes in, %d out)", name, len(content), len(got))
		}
		want := codecIdentity
		if name == "policy" {
			want = codecZstd
		}
		if enc[0] != want {
			t.Errorf("%s: codec %d, want %d", name, enc[0], want)
		}
		if name == "policy" && len(enc) > len(content)/5 {
			t.Errorf("policy text compressed to %d of %d bytes", len(enc), len(content))
		}
	}
}

// Blobs written before zstd (DEFLATE) and before schema v6 (values, not
// buckets) stay readable, through the store's own reading path, beside new
// zstd blobs in buckets of their own.
func TestBlobLegacyFlateReadable(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "m.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := string(blobContents()["policy"])
	raw := []byte("<html><body><main>" + text + "</main></body></html>")
	out, err := s.Record(context.Background(), Observation{Target: "a", URL: "https://a.example/p", At: time.Unix(1e9, 0),
		Status: 200, Raw: raw, Text: text, Rules: "r"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite the text blob the way versions before zstd and before schema
	// v6 stored it: DEFLATE, as the value under its hash.
	err = s.db.Update(func(tx *bolt.Tx) error {
		sum := sha256.Sum256([]byte(text))
		b := tx.Bucket(bucketBlobs)
		if nb := b.Bucket(sum[:]); nb == nil {
			t.Fatal("new text blob is not in a bucket of its own")
		} else if v := nb.Get(blobValueKey); v == nil || v[0] != codecZstd {
			t.Fatalf("new text blob is not zstd: %v", v != nil)
		}
		if err := b.DeleteBucket(sum[:]); err != nil {
			return err
		}
		return b.Put(sum[:], flateBlob(t, []byte(text)))
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Text(out.Version)
	if err != nil || got != text {
		t.Fatalf("legacy DEFLATE text blob: %d bytes, %v; want the text back", len(got), err)
	}
	gotRaw, err := s.Raw(out.Version)
	if err != nil || !bytes.Equal(gotRaw, raw) {
		t.Fatalf("zstd raw blob beside it: %d bytes, %v", len(gotRaw), err)
	}
	st, err := s.Stats()
	if err != nil || st.BlobBytes == 0 {
		t.Fatalf("stats over mixed blobs: %+v, %v", st, err)
	}
}

func TestBlobCorruptRefused(t *testing.T) {
	content := blobContents()["policy"]
	enc := encodeBlob(content)
	cases := map[string][]byte{
		"truncated frame": enc[:len(enc)/2],
		"flipped byte":    append(append([]byte{}, enc[:len(enc)-9]...), append([]byte{enc[len(enc)-9] ^ 0xff}, enc[len(enc)-8:]...)...),
		"wrong size":      append(append([]byte{codecZstd}, binary.AppendUvarint(nil, uint64(len(content)+1))...), enc[1+len(binary.AppendUvarint(nil, uint64(len(content)))):]...),
		"huge size":       append([]byte{codecZstd}, binary.AppendUvarint(nil, 1<<40)...),
		"unknown codec":   append([]byte{9}, enc[1:]...),
	}
	for name, v := range cases {
		if got, err := decodeBlob(v); err == nil {
			t.Errorf("%s: decoded %d bytes without an error", name, len(got))
		}
	}
}

// BenchmarkEncodeBlob compares the blob codecs on a real policy page (the
// largest seed wrapped in page chrome, about 60 KB): time per page and the
// stored size (bytes/page).
func BenchmarkEncodeBlob(b *testing.B) {
	seeds, _ := filepath.Glob("../../../shared/seeds/*.txt")
	if len(seeds) == 0 {
		b.Skip("no ../shared/seeds beside the repository")
	}
	var page []byte
	for _, f := range seeds {
		t, err := os.ReadFile(f)
		if err == nil && len(t) > len(page) {
			page = t
		}
	}
	for len(page) < 60<<10 {
		page = append(page, page...)
	}
	page = page[:60<<10]
	b.Run("zstd", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		var n int
		for b.Loop() {
			n = len(encodeBlob(page))
		}
		b.ReportMetric(float64(n), "bytes/page")
	})
	b.Run("flate_bestspeed_before", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		var n int
		for b.Loop() {
			n = len(flateBlob(b, page))
		}
		b.ReportMetric(float64(n), "bytes/page")
	})
	b.Run("decode_zstd", func(b *testing.B) {
		enc := encodeBlob(page)
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if _, err := decodeBlob(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A store of schema v5 holds its blobs as values. Opened by this version it
// is at v6 without a rewrite: its blobs read, verify and count as before,
// and new blobs go into buckets of their own beside them.
func TestBlobLayoutV5StoreUpgrades(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	text := string(blobContents()["policy"])
	obs := func(text string, at int64) Observation {
		return Observation{Target: "a", URL: "https://a.example/p", At: time.Unix(at, 0), Status: 200,
			Raw: []byte("<html><body><main>" + text + "</main></body></html>"), Text: text, Rules: "r"}
	}
	first, err := s.Record(context.Background(), obs(text, 1e9), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Turn the file into what v5 wrote: every blob a value, schema 5.
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBlobs)
		encs := map[string][]byte{}
		if err := forEachBlob(b, func(k, v []byte) error {
			encs[string(k)] = bytes.Clone(v)
			return nil
		}); err != nil {
			return err
		}
		if len(encs) != 2 {
			t.Fatalf("%d blobs after one record, want text and page", len(encs))
		}
		for k, v := range encs {
			if err := b.DeleteBucket([]byte(k)); err != nil {
				return err
			}
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return writeSchemaVersion(tx, 5)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatalf("open a v5 store: %v", err)
	}
	defer s.Close()
	err = s.db.View(func(tx *bolt.Tx) error {
		if v, err := readSchemaVersion(tx); err != nil || v != 6 {
			t.Errorf("schema version %d, %v after opening; want 6", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Record(context.Background(), obs(text+"\n제9조 (시행일) 이 방침은 2026-12-01부터 시행합니다.", 2e9), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []Version{first.Version, second.Version} {
		if got, err := s.Text(v); err != nil || !strings.HasPrefix(got, text) {
			t.Errorf("text of version %d: %d bytes, %v", v.ID, len(got), err)
		}
		if _, err := s.Raw(v); err != nil {
			t.Errorf("page of version %d: %v", v.ID, err)
		}
	}
	var values, buckets int
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBlobs).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				buckets++
			} else {
				values++
			}
		}
		return nil
	})
	if err != nil || values != 2 || buckets != 2 {
		t.Fatalf("blobs: %d values (v5) and %d buckets (v6), %v; want 2 and 2", values, buckets, err)
	}
	st, err := s.Stats()
	if err != nil || st.Blobs != 4 {
		t.Errorf("stats count %d blobs, %v; want 4", st.Blobs, err)
	}
	rep, err := s.Verify(context.Background(), nil)
	if err != nil || !rep.OK() || rep.Blobs != 4 {
		t.Errorf("verify over both layouts: %d blobs, problems %v, consistency %v, %v", rep.Blobs, rep.Problems, rep.Consistency, err)
	}
	var dumped int
	if err := s.Dump(context.Background(), func(r DumpRecord) error {
		if r.Kind == DumpBlob {
			dumped++
		}
		return nil
	}); err != nil || dumped != 4 {
		t.Errorf("dump gave %d blobs, %v; want 4", dumped, err)
	}
}

// The Loader (a PostgreSQL backup's way into a file) stores blobs in the v6
// layout, refuses a hash given twice, and the store reads them back.
func TestLoaderBlobs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "backup.db")
	l, err := NewLoader(path)
	if err != nil {
		t.Fatal(err)
	}
	content := blobContents()["policy"]
	sum := sha256.Sum256(content)
	enc := encodeBlob(content)
	if err := l.Blob(sum[:], enc); err != nil {
		t.Fatal(err)
	}
	if err := l.Blob(sum[:], enc); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("a blob given twice: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Blob(hexHash(sum))
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("blob read back: %d bytes, %v", len(got), err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketBlobs).Bucket(sum[:]) == nil {
			t.Error("the loaded blob is not in a bucket of its own")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
