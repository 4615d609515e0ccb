package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// evidenceStore makes a store of two versions by real checks and returns
// the Korean config, an English one for the same store, and the store.
func evidenceStore(t *testing.T) (ko, en, store string) {
	t.Helper()
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	ko = writeConfig(t, baseConfig(site.srv.URL+"/p"))
	en = filepath.Join(filepath.Dir(ko), "en.toml")
	if err := os.WriteFile(en, []byte("language = \"en\"\n"+baseConfig(site.srv.URL+"/p")), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{page("3년", "2026-10-01", "2026-10-08"), page("5년", "2026-10-20", "2026-10-21")} {
		site.set(p)
		if code, _, errs := cli(t, nil, "check", "-config", ko); code != exitOK {
			t.Fatalf("check: %d %s", code, errs)
		}
	}
	return ko, en, filepath.Join(filepath.Dir(ko), "m.db")
}

// normalize replaces the paths and the measured duration, the only parts
// of the result lines that differ between runs.
func normalize(s string, paths map[string]string) string {
	for p, name := range paths {
		s = strings.ReplaceAll(s, p, name)
	}
	return regexp.MustCompile(`(?m)\d+(\.\d+)?(ns|µs|ms|s)(에|$)`).ReplaceAllString(s, "DUR$3")
}

// TestVerifyTextInBothLanguages: verify's text lines on a whole store and
// on a tampered copy, in Korean (the default) and English.
func TestVerifyTextInBothLanguages(t *testing.T) {
	ko, en, store := evidenceStore(t)
	paths := map[string]string{store: "STORE"}
	for _, tc := range []struct {
		cfg, want string
	}{
		{ko, "STORE: 온전함: 대상 1개, 기록 2개, 버전 2개, 블롭 4개 (3.2 KiB)를 DUR에 검사했습니다\n"},
		{en, "STORE: whole: 1 targets, 2 records, 2 versions, 4 blobs (3.2 KiB) checked in DUR\n"},
	} {
		code, out, errs := cli(t, nil, "verify", "-config", tc.cfg)
		if got := normalize(out, paths); code != exitOK || got != tc.want {
			t.Errorf("verify -config %s: code %d\ngot:  %q\nwant: %q\n%s", filepath.Base(tc.cfg), code, got, tc.want, errs)
		}
	}

	// A copy whose first chain record was deleted: the chain is broken at 1.
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if code, _, errs := cli(t, nil, "backup", "-config", ko, copyPath); code != exitOK {
		t.Fatalf("backup: %d %s", code, errs)
	}
	db, err := bolt.Open(copyPath, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("chain")).Bucket([]byte("chorok"))
		k, _ := b.Cursor().First()
		return b.Delete(k)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	paths[copyPath] = "COPY"
	for _, tc := range []struct {
		cfg, want string
	}{
		{ko, "chorok: 기록 1에서 깨짐: 기록 1이(가) 없습니다: 다음에 저장된 기록은 2입니다(기록이 지워짐)\n" +
			"chorok:   또한: 기록 사슬에는 기록이 1개 있는데 대상의 머리 정보는 2개라고 합니다: 끝의 기록이 지워졌거나 더해졌습니다\n" +
			"COPY: 깨짐 (문제 2개): 대상 1개, 기록 1개, 버전 2개, 블롭 4개 (3.2 KiB)를 DUR에 검사했습니다\n"},
		{en, "chorok: broken at record 1: record 1 is missing: the next stored record is 2 (a record was deleted)\n" +
			"chorok:   also: the chain holds 1 records but the target's head says 2: records at the end were deleted or added\n" +
			"COPY: BROKEN (2 problems): 1 targets, 1 records, 2 versions, 4 blobs (3.2 KiB) checked in DUR\n"},
	} {
		code, out, errs := cli(t, nil, "verify", "-config", tc.cfg, copyPath)
		if got := normalize(out, paths); code != exitFailure || got != tc.want {
			t.Errorf("verify -config %s COPY: code %d\ngot:  %q\nwant: %q\n%s", filepath.Base(tc.cfg), code, got, tc.want, errs)
		}
	}
}

// TestBackupAndExportLinesInBothLanguages: what backup -v and export say
// they wrote, in Korean and English.
func TestBackupAndExportLinesInBothLanguages(t *testing.T) {
	ko, en, store := evidenceStore(t)
	dir := t.TempDir()
	paths := map[string]string{store: "STORE", dir + string(filepath.Separator): "OUT/"}
	// The sizes depend on the times in the store; their units do not.
	sizes := regexp.MustCompile(`\d+(\.\d)? (B|KiB|MiB)|\d+( bytes|바이트)`)
	for _, tc := range []struct {
		cfg, backup, export string
	}{
		{ko, "monitord backup: 저장소 STORE의 사본을 OUT/config.db에 썼습니다: N (N바이트)\n",
			"monitord export: OUT/config.zip에 묶음을 썼습니다 (압축 N, N바이트, 출처 저장소 STORE)\n"},
		{en, "monitord backup: copied store STORE to OUT/en.db: N (N bytes)\n",
			"monitord export: wrote OUT/en.zip (N zipped, N bytes, from store STORE)\n"},
	} {
		name := strings.TrimSuffix(filepath.Base(tc.cfg), ".toml")
		code, out, errs := cli(t, nil, "backup", "-config", tc.cfg, "-v", filepath.Join(dir, name+".db"))
		if got := sizes.ReplaceAllString(normalize(errs, paths), "N$3"); code != exitOK || out != "" || got != tc.backup {
			t.Errorf("backup -v (%s): code %d\ngot:  %q\nwant: %q", name, code, got, tc.backup)
		}
		code, out, errs = cli(t, nil, "export", "chorok", "-config", tc.cfg, "-v", "-o", filepath.Join(dir, name+".zip"))
		if got := sizes.ReplaceAllString(normalize(errs, paths), "N$3"); code != exitOK || out != "" || got != tc.export {
			t.Errorf("export -v (%s): code %d\ngot:  %q\nwant: %q", name, code, got, tc.export)
		}
	}
}
