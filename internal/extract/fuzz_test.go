package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// addFixtures seeds a fuzz corpus with the fixtures in testdata.
func addFixtures(f *testing.F, ext string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"+ext))
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

// checkInvariants is the output contract every extractor keeps for any
// input, reported through t.Errorf for the fuzzers.
func checkInvariants(t *testing.T, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8: %q", out)
	}
	if strings.Contains(out, "\n\n") || strings.HasPrefix(out, "\n") || strings.HasSuffix(out, "\n") {
		t.Fatalf("empty line in %q", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimLeft(l, " ") != l || strings.TrimRight(l, " ") != l {
			t.Fatalf("line with leading or trailing spaces: %q", l)
		}
	}
	if n := Normalize(out); n != out {
		t.Fatalf("Normalize is not idempotent on the output:\n out %q\nnorm %q", out, n)
	}
}

func FuzzHTML(f *testing.F) {
	addFixtures(f, ".html")
	for _, s := range []string{
		"", "<", "<p>a<br>b</p>", "<table><tr><td>a<td>b<tr><td><table><tr><td>c</table></table>",
		"<pre>\r\n a \r b\n</pre>", "<p>개<b>인</b> 정보\u00a0\u200b</p>", "<select><option>a<option>b</select>",
		"<div style=display:none>x</div><p hidden>y</p><textarea>z\n\nw</textarea>", "<svg><p>in svg</p></svg><math><mi>x</mi></math>",
		"e\u200b\u0301", "<p>\u1100</p><p>\u1161</p>", "<p>a\xffb</p>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		for _, r := range []Rules{{}, {Selector: "p, td", Exclude: []string{"b"}}} {
			out, err := HTML(page, r)
			if err != nil {
				if out != "" {
					t.Fatalf("error %v with output %q", err, out)
				}
				continue
			}
			if out == "" {
				t.Fatal("empty output without ErrNoContent")
			}
			checkInvariants(t, out)
		}
	})
}

func FuzzMarkdown(f *testing.F) {
	addFixtures(f, ".md")
	for _, s := range []string{
		"", "#", "**", "***a*b**", "[a](", "[a]: x.kr\n[a]", "| a |\n|---|\n| b", "```\n", "<!--", "&#0;&#xD800;",
		"\\", "_a_b_", "~~~~", "> > #", "---\nx: y\n---", "\\\n", "e\u200b\u0301", "`a``b`",
		"---\ndate: 2025-03-01\n  - 12\n# 11: 22\n---\n본문", "\uFEFF---\nupdated: 24.03.01\n...",
	} {
		f.Add(s)
	}
	// Inputs that would make a naive inline parser quadratic.
	for _, s := range []string{"[", "![", "[a][", "[a](", "<", "&", "``a", "*a ", "_a "} {
		f.Add(strings.Repeat(s, 2000))
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkInvariants(t, Markdown(body))
	})
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", " a\u00a0b \n\n c", "e\u200b\u0301", "\u1100\u200b\u1161", "a\xff", "\u2000\u2001", "\uac00\u11a8", "a\u0301\u0300", "\xed\xa0\x80\xf4\x90\x80\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Normalize(s)
		checkInvariants(t, out)
		if Text(s) != out {
			t.Fatal("Text differs from Normalize")
		}
		for i := 0; i < len(s); {
			r, n := decodeRune(s, i)
			wr, wn := utf8.DecodeRuneInString(s[i:])
			if r != wr || n != wn {
				t.Fatalf("decodeRune(%q) = %U/%d, utf8 says %U/%d", s[i:], r, n, wr, wn)
			}
			if rb, nb := decodeRune([]byte(s), i); rb != r || nb != n {
				t.Fatalf("decodeRune differs for bytes at %d", i)
			}
			i += n
		}
		if isNFC([]byte(out)) != norm.NFC.IsNormalString(out) || !isNFC([]byte(out)) {
			t.Fatalf("isNFC disagrees with norm on %q", out)
		}
		// isNFC is only ever given valid UTF-8.
		if utf8.ValidString(s) && isNFC([]byte(s)) != norm.NFC.IsNormalString(s) {
			t.Fatalf("isNFC(%q) = %v, norm says %v", s, isNFC([]byte(s)), norm.NFC.IsNormalString(s))
		}
	})
}
