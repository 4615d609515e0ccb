package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMECommandTable: the README's command table lists every command
// monitord -h lists, and no other.
func TestREADMECommandTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `monitord ([a-z]+)").FindAllStringSubmatch(string(b), -1) {
		rows[m[1]] = true
	}
	for _, p := range commandPaths() {
		if len(p) == 1 && !rows[p[0]] {
			t.Errorf("README's command table lacks monitord %s", p[0])
		}
		delete(rows, p[0])
	}
	for name := range rows {
		t.Errorf("README's command table lists monitord %s, which -h does not", name)
	}
}

// TestKoreanThroughout: under language = "ko" the text output of check and
// the reading commands has no English words of ours (headers, statuses,
// rule codes, hints); codes stay in -format json.
func TestKoreanThroughout(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	cfg := writeConfig(t, "language = \"ko\"\n"+baseConfig(site.srv.URL+"/p")+"[[target]]\nname = \"down\"\nurl = \""+site.srv.URL+"/down\"\n")
	var text strings.Builder
	run := func(args ...string) string {
		t.Helper()
		_, out, errs := cli(t, nil, args...)
		text.WriteString(out + errs)
		return out
	}
	run("check", "-config", cfg)
	// A change of the writing only (Korean spacing): a cosmetic version.
	site.set(strings.Replace(page("3년", "2026-10-01", "2026-10-08"), "주문 처리와", "주문처리와", 1))
	if out := run("check", "-config", cfg); !strings.Contains(out, "표기만 변경 v2") {
		t.Fatalf("cosmetic check:\n%s", out)
	}
	site.set(page("5년", "2026-10-20", "2026-10-21"))
	run("check", "-config", cfg)
	run("targets", "-config", cfg)
	hist := run("history", "chorok", "-config", cfg)
	if !strings.Contains(hist, "표기만 변경") {
		t.Errorf("history does not show the cosmetic version:\n%s", hist)
	}
	if out := run("diff", "chorok", "1", "2", "-config", cfg); !strings.Contains(out, "표기만 바뀌었습니다") || !strings.Contains(out, "+ 회사는 주문처리와") {
		t.Errorf("diff of the cosmetic version:\n%s", out)
	}
	run("diff", "chorok", "-config", cfg)
	run("show", "chorok", "-config", cfg)
	run("alerts", "-config", cfg)
	run("history", "nosuch", "-config", cfg)
	run("show", "chorok", "9", "-config", cfg)
	run("alerts", "retry", "nosuch", "-config", cfg)
	run("extract", "-config", cfg, "-target", "chorok")

	out := text.String()
	for _, english := range []string{
		"STATUS", "LAST CHECK", "FIRST SEEN", "VIOLATIONS", "DELIVERY", "LEVEL", "CATEGORY",
		"failed", "failing", "never checked", "baseline", "changed", "unchanged", "cosmetic", "technical",
		"short_notice", "late_notice", "undated_change", "retroactive",
		"checked ", "violations ", "alerts pending", "targets failed",
		"no target", "no version", "no event", "Try:", "Usage:", "promise", "line ", "(of ", "no webhook", "same as",
	} {
		if strings.Contains(out, english) {
			t.Errorf("Korean output contains %q:\n%s", english, out)
		}
	}
	// The same checks in JSON keep the codes.
	if j := run("history", "chorok", "-format", "json", "-config", cfg); !strings.Contains(j, `"short_notice"`) || !strings.Contains(j, `"kind": "cosmetic"`) {
		t.Errorf("history -format json lost the codes:\n%s", j)
	}
}
