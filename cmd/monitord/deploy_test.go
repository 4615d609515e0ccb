package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSystemdUnit checks the shipped unit: the hardening the README
// promises is there, and systemd itself accepts the file.
func TestSystemdUnit(t *testing.T) {
	unit, err := os.ReadFile(filepath.Join("..", "..", "deploy", "monitord.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Type=notify", "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID",
		"DynamicUser=yes", "StateDirectory=monitord", "ProtectSystem=strict", "NoNewPrivileges=yes",
		"monitord run -config /etc/monitord/config.toml",
	} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("unit lacks %q", want)
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed; the unit's syntax is not verified")
	}
	// Verify a copy whose ExecStart names an executable that exists here.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	copyUnit := strings.ReplaceAll(string(unit), "/usr/local/bin/monitord", self)
	path := filepath.Join(t.TempDir(), "monitord.service")
	if err := os.WriteFile(path, []byte(copyUnit), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || strings.Contains(string(out), "monitord.service:") {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}
