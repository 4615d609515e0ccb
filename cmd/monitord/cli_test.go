package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/cli")

// goldenDir is absolute: the tests below change the working directory.
var goldenDir, _ = filepath.Abs(filepath.Join("testdata", "cli"))

// golden compares got with testdata/cli/NAME, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run 'go test ./cmd/monitord -run %s -update' to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (run with -update if the change is intended):\n--- got\n%s\n--- want\n%s", t.Name(), path, got, want)
	}
}

// langConfig writes a configuration in language l (ko or en) and returns
// its path.
func langConfig(t *testing.T, l string) string {
	return writeConfig(t, "language = \""+l+"\"\n[storage]\npath = \"m.db\"\n[server]\nlisten = \"\"\n")
}

// commandPaths lists every command of the tree: "run", "alerts retry", ...
func commandPaths() [][]string {
	var out [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		for _, sub := range c.Commands() {
			p := append(append([]string{}, path...), sub.Name())
			out = append(out, p)
			walk(sub, p)
		}
	}
	walk(newRoot(&env{}, "en"), nil)
	return out
}

// TestHelpGolden renders `-h` of monitord and of every command in both
// languages. After adding a command or flag, refresh them with
// go test ./cmd/monitord -run 'TestHelpGolden|TestUsageErrorsGolden' -update
func TestHelpGolden(t *testing.T) {
	paths := append([][]string{nil}, commandPaths()...)
	for _, l := range []string{"ko", "en"} {
		// Help is in the language of config.toml in the working directory
		// (or of the file -config names).
		t.Chdir(filepath.Dir(langConfig(t, l)))
		for _, p := range paths {
			name := strings.Join(append([]string{"monitord"}, p...), "_")
			t.Run(l+"/"+name, func(t *testing.T) {
				args := append(append([]string{}, p...), "-h")
				code, out, errs := cli(t, nil, args...)
				if code != exitOK || errs != "" {
					t.Fatalf("%v: exit %d, stderr %q", args, code, errs)
				}
				if !strings.Contains(out, "monitord") || (len(p) > 0 && !strings.Contains(out, "-h, -help")) {
					t.Errorf("%v: help without usage or flags:\n%s", args, out)
				}
				golden(t, "help/"+l+"/"+name+".txt", out)
			})
		}
	}
}

// TestHelpMatchesCommands: `monitord help CMD`, `CMD -h`, `CMD --help` and
// `CMD -help` are the same text.
func TestHelpMatchesCommands(t *testing.T) {
	for _, p := range commandPaths() {
		_, want, _ := cli(t, nil, append(append([]string{}, p...), "-h")...)
		for _, form := range [][]string{
			append([]string{"help"}, p...),
			append(append([]string{}, p...), "--help"),
			append(append([]string{}, p...), "-help"),
		} {
			if code, got, _ := cli(t, nil, form...); code != exitOK || got != want {
				t.Errorf("%v: exit %d, differs from -h:\n%s", form, code, got)
			}
		}
	}
}

// TestUsageErrorsGolden: each mistake of the issue (and a few more) exits 2
// with a message naming what was expected, in both languages.
func TestUsageErrorsGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"history_no_name", []string{"history"}},
		{"history_extra", []string{"history", "naver", "extra"}},
		{"targets_extra", []string{"targets", "extra"}},
		{"alerts_retry_no_id", []string{"alerts", "retry"}},
		{"alerts_extra", []string{"alerts", "retyr", "X"}},
		{"diff_too_many", []string{"diff", "naver", "1", "2", "3"}},
		{"unknown_command", []string{"frobnicate"}},
		{"unknown_flag", []string{"check", "-nope"}},
		{"flag_needs_value", []string{"check", "-target"}},
		{"flag_bad_int", []string{"alerts", "-n", "many"}},
		{"flag_bad_duration", []string{"check", "-wait", "soon"}},
		{"format", []string{"history", "naver", "-format", "xml"}},
	}
	for _, l := range []string{"ko", "en"} {
		t.Chdir(filepath.Dir(langConfig(t, l)))
		for _, c := range cases {
			t.Run(l+"/"+c.name, func(t *testing.T) {
				args := c.args
				code, out, errs := cli(t, nil, args...)
				if code != exitUsage || out != "" {
					t.Fatalf("%v: exit %d (want 2), stdout %q", args, code, out)
				}
				golden(t, "usage/"+l+"/"+c.name+".txt", errs)
			})
		}
	}
}

// TestFlagsAnywhere: flags before and after arguments, single- and
// double-dash, "=" and separate values, and flags before a subcommand.
func TestFlagsAnywhere(t *testing.T) {
	root := newRoot(&env{}, "en")
	for _, c := range []struct{ in, want string }{
		{"history naver -format json", "history naver --format json"},
		{"history -format=json naver", "history --format=json naver"},
		{"history --format json naver", "history --format json naver"},
		{"alerts -config c.toml retry ID", "alerts --config c.toml retry ID"},
		{"-config c.toml targets", "--config c.toml targets"},
		{"check -q -v -target -format", "check -q -v --target -format"},
		{"alerts -n 5 -state expired", "alerts -n 5 --state expired"},
		{"alerts -n5", "alerts -n5"},
		{"extract - -text", "extract - --text"},
		{"diff naver -- -1", "diff naver -- -1"},
		{"check -nope", "check --nope"},
	} {
		got := strings.Join(normalizeArgs(root, strings.Fields(c.in)), " ")
		if got != c.want {
			t.Errorf("normalizeArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
