package snapshot_test

import (
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/i18n/i18ntest"
)

// moreTamperings are edits beyond tamperCases, for the other sentences.
func moreTamperings() []tamperCase {
	return []tamperCase{
		{"garble a record", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error {
				return tx.Bucket([]byte("chain")).Bucket([]byte("alpha")).Put(id(2), []byte("{not json"))
			})
		}, "alpha", "record 2 cannot be decoded"},
		{"garble a version", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error {
				return tx.Bucket([]byte("versions")).Bucket([]byte("alpha")).Put(id(1), []byte("{not json"))
			})
		}, "alpha", "version 1 cannot be decoded"},
		{"remove a target's state", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error { return tx.Bucket([]byte("targets")).Delete([]byte("beta")) })
		}, "beta", "stored for a target that has no state"},
		{"delete a blob", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error {
				c := tx.Bucket([]byte("blobs")).Cursor()
				k, _ := c.First()
				return tx.Bucket([]byte("blobs")).DeleteBucket(k)
			})
		}, "", "is missing"},
		{"empty a blob's bucket", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error {
				c := tx.Bucket([]byte("blobs")).Cursor()
				k, _ := c.First()
				return tx.Bucket([]byte("blobs")).Bucket(k).Delete([]byte{0})
			})
		}, "", "its stored form cannot be decoded"},
		{"add a stray blob", func(t *testing.T, path string) {
			tamper(t, path, func(tx *bolt.Tx) error {
				return tx.Bucket([]byte("blobs")).Put([]byte("short key"), []byte{0, 1, 'x'})
			})
		}, "", "is not a SHA-256"},
	}
}

// TestVerifyProblemsInKorean renders every problem verify finds in both
// languages: Korean lines hold no English words (codes, hashes, field
// names and times aside), English lines are the English What (without its
// low-level detail), and every problem has a code.
func TestVerifyProblemsInKorean(t *testing.T) {
	for _, tt := range append(tamperCases(), moreTamperings()...) {
		t.Run(tt.name, func(t *testing.T) {
			path := chainedStore(t)
			tt.edit(t, path)
			rep := verifyFile(t, path)
			if rep.OK() || len(rep.Problems) == 0 {
				t.Fatalf("verify found nothing: %+v", rep)
			}
			found := false
			for _, p := range rep.Problems {
				found = found || strings.Contains(p.What, tt.want)
				if p.Code == "" || len(p.Message) == 0 {
					t.Errorf("problem without code or message: %+v", p)
				}
				ko, en := p.Text(i18n.Korean), p.Text(i18n.English)
				if runs := i18ntest.EnglishRuns(ko); len(runs) > 0 {
					t.Errorf("Korean problem holds English %q: %s", runs, ko)
				}
				if strings.Contains(ko, "!verify.") || strings.Contains(en, "!verify.") {
					t.Errorf("a key is missing from the catalogue: %s", ko)
				}
				want := p.What
				if p.Detail != "" {
					want = strings.TrimSuffix(want, ": "+p.Detail)
				}
				if en != want {
					t.Errorf("English text %q, want What %q", en, want)
				}
				t.Logf("%s\n  ko: %s\n  en: %s", p.Code, ko, en)
			}
			if !found {
				t.Errorf("no problem says %q: %+v", tt.want, rep.Problems)
			}
		})
	}
}
