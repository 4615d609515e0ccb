package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// check -cpuprofile / -memprofile, and MONITORD_PPROF, write profiles that
// go tool pprof can read (gzipped protobuf).
func TestCheckProfiles(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	cfg := writeConfig(t, baseConfig(site.srv.URL+"/p"))
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.out"), filepath.Join(dir, "mem.out")
	if code, out, errs := cli(t, nil, "check", "-config", cfg, "-cpuprofile", cpu, "-memprofile", mem); code != exitOK {
		t.Fatalf("check with profiles: code %d\n%s\n%s", code, out, errs)
	}
	envCPU, envTrace := filepath.Join(dir, "env-%p.out"), filepath.Join(dir, "trace-%p.out")
	var out, errb syncBuffer
	getenv := func(k string) string {
		if k == pprofEnv {
			return "cpu=" + envCPU + ",trace=" + envTrace
		}
		return ""
	}
	if code := run(context.Background(), []string{"check", "-config", cfg}, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: getenv}); code != exitOK {
		t.Fatalf("check with %s: code %d\n%s", pprofEnv, code, errb.String())
	}
	envFiles, _ := filepath.Glob(filepath.Join(dir, "env-*.out"))
	if len(envFiles) != 1 || strings.Contains(envFiles[0], "%p") {
		t.Fatalf("%s=cpu=%s wrote %v", pprofEnv, envCPU, envFiles)
	}
	for _, f := range []string{cpu, mem, envFiles[0]} {
		b, err := os.ReadFile(f)
		if err != nil || !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			t.Errorf("%s: %d bytes, %v; want a gzipped pprof profile", f, len(b), err)
		}
	}
	traces, _ := filepath.Glob(filepath.Join(dir, "trace-*.out"))
	if len(traces) != 1 {
		t.Fatalf("%s=trace=%s wrote %v", pprofEnv, envTrace, traces)
	}
	if b, err := os.ReadFile(traces[0]); err != nil || !bytes.HasPrefix(b, []byte("go 1.")) {
		t.Errorf("%s: %d bytes, %v; want a Go execution trace", traces[0], len(b), err)
	}
}

func TestProfileFromEnv(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	o, err := profileFromEnv(profileOptions{CPU: "flag.out"}, env("cpu=env.out, mem=m.out,trace=t.out"))
	if err != nil || o.CPU != "flag.out" || o.Mem != "m.out" || o.Trace != "t.out" {
		t.Fatalf("flags win, env fills the rest: %+v, %v", o, err)
	}
	for _, bad := range []string{"cpu", "cpu=", "heap=x.out", "cpu=a,,mem=b"} {
		if _, err := profileFromEnv(profileOptions{}, env(bad)); err == nil {
			t.Errorf("%s=%q accepted", pprofEnv, bad)
		}
	}
}
