package main

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/monitord/monitord/internal/i18n/i18ntest"
)

// failingSites serves the ways a policy page fails on loopback and returns
// a configuration's [[target]] tables for them, with a replacer that turns
// the random ports back into fixed names for goldens.
func failingSites(t *testing.T) (targets string, fix *strings.Replacer) {
	t.Helper()
	release := make(chan struct{})
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.NotFound(w, r)
		case "/error":
			http.Error(w, "internal error", http.StatusInternalServerError)
		case "/maintenance":
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "점검 중", http.StatusServiceUnavailable)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}
	}))
	t.Cleanup(site.Close)
	t.Cleanup(func() { close(release) }) // runs first: the slow handler returns
	tlsSite := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSite.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSite.StartTLS()
	t.Cleanup(tlsSite.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()

	var b strings.Builder
	for _, tg := range [][2]string{
		{"moved", site.URL + "/moved"},
		{"broken", site.URL + "/error"},
		{"maintenance", site.URL + "/maintenance"},
		{"slow", site.URL + "/slow"},
		{"closed", "http://" + refused + "/privacy"},
		{"badcert", tlsSite.URL + "/privacy"},
		{"typo", "http://nonexistent.invalid/privacy"},
	} {
		fmt.Fprintf(&b, "\n[[target]]\nname = %q\nurl = %q\n", tg[0], tg[1])
	}
	return b.String(), strings.NewReplacer(site.URL, "http://SITE", tlsSite.URL, "https://TLS-SITE",
		refused, "127.0.0.1:CLOSED", strings.TrimPrefix(tlsSite.URL, "https://"), "TLS-SITE")
}

// TestCheckFailuresGolden runs `monitord check` against sites that fail in
// each common way, in Korean and in English: every failure line is in the
// configuration's language (a Korean line holds no English words beyond
// codes, URLs and host names), and the output is golden
// (testdata/cli/check/LANG/failures.txt).
func TestCheckFailuresGolden(t *testing.T) {
	for _, lang := range []string{"ko", "en"} {
		t.Run(lang, func(t *testing.T) {
			targets, fix := failingSites(t)
			cfg := writeConfig(t, fmt.Sprintf("language = %q\n[storage]\npath = \"m.db\"\n[server]\nlisten = \"\"\n"+
				"[fetch]\nretries = 0\ntimeout = \"3s\"\nconnect_timeout = \"3s\"\nper_host = 8\nconcurrency = 8\n%s", lang, targets))
			code, out, errs := cli(t, nil, "check", "-config", cfg)
			if code != exitFailure {
				t.Fatalf("exit %d, want %d\nout: %s\nerr: %s", code, exitFailure, out, errs)
			}
			out, errs = fix.Replace(out), fix.Replace(errs)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 8 {
				t.Fatalf("want 7 failure lines and the summary:\n%s", out)
			}
			for _, line := range lines {
				if lang == "ko" {
					if runs := i18ntest.EnglishRuns(line, "SITE", "CLOSED"); len(runs) > 0 {
						t.Errorf("English in a Korean line %q: %s", runs, line)
					}
				} else if strings.ContainsFunc(line, func(r rune) bool { return r >= '가' && r <= '힣' }) {
					t.Errorf("Korean in an English line: %s", line)
				}
			}
			golden(t, "check/"+lang+"/failures.txt", out+"--- stderr\n"+errs)
		})
	}
}

// TestVerifyProblemsGolden tampers with a copy of a store made by real
// checks (a version deleted, a header and a stored text edited) and runs
// `monitord verify` on it in Korean and English: the problem lines are in
// the configuration's language (Korean lines hold no English words beyond
// codes, field names and hashes) and golden
// (testdata/cli/verify/LANG/problems.txt); -format json keeps What in
// English and gives every problem its code.
func TestVerifyProblemsGolden(t *testing.T) {
	ko, en, _ := evidenceStore(t)
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if code, _, errs := cli(t, nil, "backup", "-config", ko, copyPath); code != exitOK {
		t.Fatalf("backup: %d %s", code, errs)
	}
	db, err := bolt.Open(copyPath, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		vb := tx.Bucket([]byte("versions")).Bucket([]byte("chorok"))
		var v2 map[string]any
		if err := json.Unmarshal(vb.Get(itob8(2)), &v2); err != nil {
			return err
		}
		v2["header"].(map[string]any)["Content-Type"] = []any{"text/plain"}
		b, err := json.Marshal(v2)
		if err != nil {
			return err
		}
		if err := vb.Put(itob8(2), b); err != nil {
			return err
		}
		key, err := hex.DecodeString(v2["text_hash"].(string))
		if err != nil {
			return err
		}
		forged := []byte("보유 기간: 1년")
		blob := append(append([]byte{0}, binary.AppendUvarint(nil, uint64(len(forged)))...), forged...)
		// A blob is a bucket of its own holding its encoding under 0x00
		// (schema v6).
		if err := tx.Bucket([]byte("blobs")).Bucket(key).Put([]byte{0}, blob); err != nil {
			return err
		}
		return vb.Delete(itob8(1))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{copyPath: "COPY"}
	for _, tc := range []struct{ lang, cfg string }{{"ko", ko}, {"en", en}} {
		t.Run(tc.lang, func(t *testing.T) {
			code, out, errs := cli(t, nil, "verify", "-config", tc.cfg, copyPath)
			if code != exitFailure {
				t.Fatalf("verify: code %d\n%s\n%s", code, out, errs)
			}
			got := normalize(out, paths)
			lines := strings.Split(strings.TrimSpace(got), "\n")
			if len(lines) < 4 {
				t.Fatalf("want three problems and the summary:\n%s", got)
			}
			for _, line := range lines[:len(lines)-1] {
				if tc.lang == "ko" {
					if runs := i18ntest.EnglishRuns(line); len(runs) > 0 {
						t.Errorf("English in a Korean line %q: %s", runs, line)
					}
				} else if strings.ContainsFunc(line, func(r rune) bool { return r >= '가' && r <= '힣' && !strings.ContainsRune("보유기간년", r) }) {
					t.Errorf("Korean in an English line: %s", line)
				}
			}
			golden(t, "verify/"+tc.lang+"/problems.txt", got)
		})
	}
	code, out, _ := cli(t, nil, "verify", "-config", ko, "-format", "json", copyPath)
	var rep struct {
		Problems []struct{ What, Code string } `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &rep); code != exitFailure || err != nil || len(rep.Problems) < 3 {
		t.Fatalf("verify -format json: code %d, %v\n%s", code, err, out)
	}
	for _, p := range rep.Problems {
		if p.Code == "" || strings.ContainsFunc(p.What, func(r rune) bool { return r >= '가' && r <= '힣' }) {
			t.Errorf("JSON problem %+v: want a code and English what", p)
		}
	}
}

func itob8(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// TestConfigErrorsInTheFilesLanguage: a bad configuration is reported in the
// language its own `language` key names, read even from a file that does not
// parse; FILE:LINE stays as it is.
func TestConfigErrorsInTheFilesLanguage(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"[fetch]\nretries = 99\n", "config.toml:2: fetch.retries: 0에서 10 사이여야 하는데 99입니다\n"},
		{"language = \"en\"\n[fetch]\nretries = 99\n", "config.toml:3: fetch.retries: must be between 0 and 10, got 99\n"},
		{"language = \"en\"\n[fetch\nretries = 1\n", "config.toml:2: invalid TOML at column 7"},
		{"[fetch\nretries = 1\n", "config.toml:1: TOML 문법이 올바르지 않습니다(7열)"},
	} {
		cfg := writeConfig(t, tc.doc)
		code, _, errs := cli(t, nil, "check", "-config", cfg)
		errs = strings.ReplaceAll(errs, cfg, "config.toml")
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d\n%s\nwant %q", tc.doc, code, errs, tc.want)
		}
	}
}
