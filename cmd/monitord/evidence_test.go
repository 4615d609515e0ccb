package main

import (
	"encoding/json"
	"os"
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
	if code != exitOK || !strings.Contains(out, "whole: 1 targets, 2 records, 2 versions") {
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
	if code, out, _ := cli(t, nil, "verify", backup); code != exitOK || !strings.Contains(out, "2 versions") {
		t.Fatalf("verify the backup: %d\n%s", code, out)
	}
	store := filepath.Join(filepath.Dir(cfg), "m.db")
	if code, _, errs := cli(t, nil, "backup", "-config", cfg, store); code != exitUsage || !strings.Contains(errs, "the store itself") {
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
	if code != exitFailure || !strings.Contains(out, "chorok: version 1: first_seen is \"2020-01-01T00:00:00Z\"") || !strings.Contains(out, "BROKEN") {
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
