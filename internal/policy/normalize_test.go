package policy

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/extract"
)

// The parser reads lines with the extractor's normaliser: the invisible
// characters the extractor drops (LRM/RLM, bidi isolates, invisible
// operators) are dropped here too, and U+FFFD, what broken bytes decode to,
// is dropped on top.
func TestNormalizeIsTheExtractors(t *testing.T) {
	cases := map[string]string{
		"개인정보\u200e 처리방침":        "개인정보 처리방침",
		"\u2066제3자\u2069 제공":     "제3자 제공",
		"보유\u2062기간":             "보유기간",
		"  보유\u00a0기간\u3000 1년 ": "보유 기간 1년",
		"\u1100\u1161":           "가",
		"파기 \ufffd\ufffd 절차":     "파기 절차",
		"\ufffd\ufffd\ufffd":     "",
		"수집\x00항목":               "수집항목",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
		if got, ext := Normalize(in), extract.NormalizeLine(in); got != ext && in != "파기 \ufffd\ufffd 절차" && in != "\ufffd\ufffd\ufffd" {
			t.Errorf("Normalize(%q) = %q, the extractor writes %q", in, got, ext)
		}
	}
}

// FuzzNormalizeLine: the parser's normaliser is the extractor's (minus
// U+FFFD), idempotent, and its output is valid UTF-8 on one line.
func FuzzNormalizeLine(f *testing.F) {
	for in := range map[string]bool{"개인정보\u200e 처리방침": true, "  보유\u00a0기간\u3000 1년 ": true, "\u1100\u1161": true, "파기 \ufffd 절차": true, "a\nb\r\nc": true, "0\u0344": true} {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Normalize(s)
		if Normalize(got) != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, Normalize(got))
		}
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\n\r\ufffd") {
			t.Fatalf("Normalize(%q) = %q", s, got)
		}
		if ext := extract.NormalizeLine(s); !strings.Contains(ext, "\ufffd") && ext != got {
			t.Fatalf("Normalize(%q) = %q, the extractor writes %q", s, got, ext)
		}
	})
}
