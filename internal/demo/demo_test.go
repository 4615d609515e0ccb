package demo

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestDemo(t *testing.T) {
	for _, lang := range []string{"ko", "en"} {
		t.Run(lang, func(t *testing.T) {
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := Run(ctx, Options{Out: &out, Lang: lang, Dir: t.TempDir()}); err != nil {
				t.Fatalf("demo: %v\n%s", err, out.String())
			}
			s := out.String()
			words := map[string][]string{
				"ko": {"demo-shop    첫 수집 v1", "demo-clinic  첫 수집 v1", "demo-shop    변경됨 v2", "demo-clinic  변경 없음 v1",
					"! 사전 고지 지연:", "! 공고 기간 부족:", "번호", "공고 기간 부족, 사전 고지 지연", "- [개인정보 처리방침 변경]"},
				"en": {"demo-shop    baseline v1", "demo-clinic  baseline v1", "demo-shop    changed v2", "demo-clinic  unchanged v1",
					"! late notice:", "! short notice:", "FIRST SEEN", "short notice, late notice", "- [Privacy policy changed]"},
			}[lang]
			for _, want := range append(words,
				"~~3년간~~ **5년간**",
				`"type": "policy.changed"`,
				`"rule": "late_notice"`,
				`"required_by": "policy"`,
				`"actual_days": 3`,
			) {
				if !strings.Contains(s, want) {
					t.Errorf("demo output lacks %q", want)
				}
			}
			// Codes stay in JSON: the words for people before it name no rule or event code.
			prose, _, _ := strings.Cut(s, "JSON")
			for _, code := range []string{"short_notice", "late_notice", "policy.baseline", "policy.changed", "baseline v1"} {
				if lang == "ko" && strings.Contains(prose, code) {
					t.Errorf("the Korean demo prints the code %q to people", code)
				}
			}
			// Three alerts arrived: two baselines and the change.
			if n := strings.Count(s, "\n- ["); n != 3 {
				t.Errorf("%d alerts listed, want 3", n)
			}
			if t.Failed() {
				t.Log(s)
			}
		})
	}
}
