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
			for _, want := range []string{
				"demo-shop    baseline v1",
				"demo-clinic  baseline v1",
				"demo-shop    changed v2",
				"demo-clinic  unchanged v1",
				"! late_notice:",
				"! short_notice:",
				"~~3년간~~ **5년간**",
				`"type": "policy.changed"`,
				`"rule": "late_notice"`,
				`"required_by": "policy"`,
				`"actual_days": 3`,
			} {
				if !strings.Contains(s, want) {
					t.Errorf("demo output lacks %q", want)
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
