package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestVerifyAndBackupCLI: verify and backup through the real CLI on a
// store made by real checks; a tampered store exits 1 naming what differs.
func TestVerifyAndBackupCLI(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	cfg := writeConfig(t, baseConfig(site.srv.URL+"/p"))
	if code, _, errs := cli(t, nil, "check", "-config", cfg); code != exitOK {
		t.Fatalf("check: %d %s", code, errs)
	}
	site.set(page("5년", "2026-10-20", "2026-10-21"))
	if code, _, errs := cli(t, nil, "check", "-config", cfg); code != exitOK {
		t.Fatalf("check: %d %s", code, errs)
	}
	code, out, errs := cli(t, nil, "verify", "-config", cfg)
	if code != exitOK || !strings.Contains(out, "온전함: 대상 1개, 기록 2개, 버전 2개") {
		t.Fatalf("verify: code %d\nout: %s\nerr: %s", code, out, errs)
	}
	code, out, _ = cli(t, nil, "verify", "-config", cfg, "-format", "json")
	var rep struct {
		OK     bool `json:"ok"`
		Chains []struct {
			Target      string `json:"target"`
			Head        string `json:"head"`
			TrustedFrom int    `json:"trusted_from"`
		} `json:"chains"`
	}
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || !rep.OK || len(rep.Chains) != 1 || len(rep.Chains[0].Head) != 64 || rep.Chains[0].TrustedFrom != 1 {
		t.Fatalf("verify -format json: code %d, %v\n%s", code, err, out)
	}

	backup := filepath.Join(t.TempDir(), "copy.db")
	if code, _, errs := cli(t, nil, "backup", "-config", cfg, backup); code != exitOK {
		t.Fatalf("backup: %d %s", code, errs)
	}
	if code, out, _ := cli(t, nil, "verify", backup); code != exitOK || !strings.Contains(out, "버전 2개") {
		t.Fatalf("verify the backup: %d\n%s", code, out)
	}
	store := filepath.Join(filepath.Dir(cfg), "m.db")
	if code, _, errs := cli(t, nil, "backup", "-config", cfg, store); code != exitUsage || !strings.Contains(errs, "저장소 자체입니다") {
		t.Fatalf("backup onto the store: %d %s", code, errs)
	}

	// Move the first version's first_seen a day back in the backup.
	db, err := bolt.Open(backup, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("versions")).Bucket([]byte("chorok"))
		k, v := b.Cursor().First()
		var m map[string]any
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		m["first_seen"] = "2020-01-01T00:00:00Z"
		data, _ := json.Marshal(m)
		return b.Put(k, data)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ = cli(t, nil, "verify", backup)
	if code != exitFailure || !strings.Contains(out, "chorok: 버전 1: first_seen 값이 \"2020-01-01T00:00:00Z\"인데") || !strings.Contains(out, "깨짐 (문제 1개)") {
		t.Fatalf("verify a tampered copy: code %d\n%s", code, out)
	}
	if code, _, _ := cli(t, nil, "verify", "a.db", "b.db"); code != exitUsage {
		t.Fatalf("verify with two files: code %d, want 2", code)
	}
	if code, _, _ := cli(t, nil, "backup", "-config", cfg); code != exitUsage {
		t.Fatalf("backup without FILE: code %d, want 2", code)
	}
}

// An empty store file (a kill between creating and initialising it) makes
// readers say what to do, and verify exit 1.
func TestEmptyStoreFile(t *testing.T) {
	cfg := writeConfig(t, baseConfig("http://127.0.0.1:9/p"))
	if err := os.WriteFile(filepath.Join(filepath.Dir(cfg), "m.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := cli(t, nil, "targets", "-config", cfg)
	if code == exitOK || !strings.Contains(errs, "monitord check") || strings.Contains(errs, "bad file descriptor") {
		t.Fatalf("targets on an empty store: code %d %s", code, errs)
	}
	if code, _, errs := cli(t, nil, "verify", "-config", cfg); code != exitFailure || !strings.Contains(errs, "not an initialized") {
		t.Fatalf("verify on an empty store: code %d %s", code, errs)
	}
}

// TestExportCLI: export through the real CLI on a store made by real
// checks, as a zip and as a folder that sha256sum -c accepts, directly and
// through a running daemon's API (the same files).
func TestExportCLI(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	port := freePort(t)
	body := strings.Replace(baseConfig(site.srv.URL+"/p"), "listen = \"\"", fmt.Sprintf("listen = \"127.0.0.1:%d\"", port), 1)
	cfg := writeConfig(t, body)
	if code, _, errs := cli(t, nil, "check", "-config", cfg); code != exitOK {
		t.Fatalf("check: %d %s", code, errs)
	}
	site.set(page("5년", "2026-10-20", "2026-10-21"))
	if code, _, errs := cli(t, nil, "check", "-config", cfg); code != exitOK {
		t.Fatalf("check: %d %s", code, errs)
	}
	out := t.TempDir()
	zipPath := filepath.Join(out, "chorok.zip")
	if code, _, errs := cli(t, nil, "export", "chorok", "-config", cfg, "-o", zipPath); code != exitOK {
		t.Fatalf("export: %d %s", code, errs)
	}
	direct := zipFiles(t, zipPath)
	for _, want := range []string{"chorok-v1-v2/manifest.json", "chorok-v1-v2/report.html", "chorok-v1-v2/v2/page.html", "chorok-v1-v2/v1/text.txt", "chorok-v1-v2/verdict.json"} {
		if _, ok := direct[want]; !ok {
			t.Errorf("the zip lacks %s", want)
		}
	}
	if !strings.Contains(direct["chorok-v1-v2/report.html"], "short_notice") || !strings.Contains(direct["chorok-v1-v2/v2/page.html"], "5년") {
		t.Error("the bundle lacks the verdict or the page as fetched")
	}
	dir := filepath.Join(out, "chorok-dir")
	if code, _, errs := cli(t, nil, "export", "-config", cfg, "-format", "dir", "-o", dir, "chorok", "1", "2"); code != exitOK {
		t.Fatalf("export -format dir: %d %s", code, errs)
	}
	if exe, err := exec.LookPath("sha256sum"); err == nil {
		c := exec.Command(exe, "-c", "--strict", "SHA256SUMS")
		c.Dir = dir
		if b, err := c.CombinedOutput(); err != nil {
			t.Fatalf("sha256sum -c in the exported folder: %v\n%s", err, b)
		}
	}
	if code, _, _ := cli(t, nil, "export", "chorok", "2", "1", "-config", cfg, "-o", filepath.Join(out, "x.zip")); code != exitFailure {
		t.Fatalf("export 2 1: code %d, want 1", code)
	}
	if code, _, _ := cli(t, nil, "export", "chorok", "two", "-config", cfg); code != exitUsage {
		t.Fatalf("export with a bad id: code %d, want 2", code)
	}

	// The same bundle through the running daemon.
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"run", "-config", cfg}, &env{stdin: strings.NewReader(""), stdout: &logs, stderr: &logs, getenv: func(string) string { return "" }})
	}()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz", port)); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("daemon not up:\n%s", logs.String())
		}
	}
	viaPath := filepath.Join(out, "via.zip")
	code, _, errs := cli(t, nil, "export", "chorok", "-config", cfg, "-v", "-o", viaPath)
	if code != exitOK || !strings.Contains(errs, "출처 데몬 http://127.0.0.1:") {
		t.Fatalf("export through the daemon: %d %s", code, errs)
	}
	via := zipFiles(t, viaPath)
	for _, p := range []string{"chorok-v1-v2/v1/page.html", "chorok-v1-v2/v2/text.txt", "chorok-v1-v2/chain.json", "chorok-v1-v2/diff.json"} {
		if via[p] != direct[p] {
			t.Errorf("%s differs through the daemon", p)
		}
	}
}

func zipFiles(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}
