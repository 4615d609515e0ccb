package extract

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// sameTokens reads page with tokenScanner and with the Tokenizer side by
// side and returns the first difference, "" when there is none. Until the
// scanner declines, every token must be the Tokenizer's: type, Raw, Text,
// name and attributes; a scanner that does not decline must end where the
// Tokenizer ends. declined reports whether it declined.
func sameTokens(page string) (diff string, declined bool) {
	s := newScanner(page)
	defer s.free()
	z := html.NewTokenizer(strings.NewReader(page))
	nz := netTokens{z}
	for i := 0; ; i++ {
		ts := s.Next()
		if ts == html.ErrorToken && errors.Is(s.Err(), errDecline) {
			return "", true
		}
		tz := z.Next()
		if ts != tz || string(s.Raw()) != string(z.Raw()) {
			return fmt.Sprintf("token %d: scanner %v %q, tokenizer %v %q", i, ts, s.Raw(), tz, z.Raw()), false
		}
		switch tz {
		case html.ErrorToken:
			if s.Err() != z.Err() {
				return fmt.Sprintf("token %d: scanner ends with %v, tokenizer with %v", i, s.Err(), z.Err()), false
			}
			return "", false
		case html.TextToken, html.CommentToken, html.DoctypeToken:
			if a, b := string(s.Text()), string(z.Text()); a != b {
				return fmt.Sprintf("token %d %q: Text %q, tokenizer %q", i, z.Raw(), a, b), false
			}
			continue
		}
		got := string(s.Name(ts)) + "\x00"
		want := string(nz.Name(tz)) + "\x00"
		for more := true; more; {
			var k, v []byte
			if k, v, more = s.TagAttr(); k == nil {
				break
			}
			got += string(k) + "=" + string(v) + "\x00"
		}
		if errors.Is(s.Err(), errDecline) {
			return "", true
		}
		for more := true; more; {
			var k, v []byte
			if k, v, more = z.TagAttr(); k == nil {
				break
			}
			want += string(k) + "=" + string(v) + "\x00"
		}
		if got != want {
			return fmt.Sprintf("token %d %q: scanner %q, tokenizer %q", i, z.Raw(), got, want), false
		}
	}
}

// scannerSeeds are inputs at the edges of the Tokenizer's states.
var scannerSeeds = []string{
	"<DIV Class=a>x</DIV><p/><br/ ><A HREF=x Href=y>y</a >",
	"<a\thref=1\fid=2\r\nx>t</a\n><b/c>u</b\r><i =x>v</i><i ==x>w</i>",
	"<script>if (a</b) x='</scr'+'ipt>'</SCRIPT ><title>t&amp;</title x=1><textarea>&lt;\r\n</textarea>",
	"<script>a<!--b</script>--></script><style>p{}</STYLE/><xmp><p></xmp><iframe>x</iframe >",
	"</>x</ y><!--c--><?p?><!DOCTYPE html><a x=1 x=2 X=3>z</a>",
	"<!doctype\nhtml PUBLIC \"x\"><!----><!---><!-->x<!--a--!>b<!--a--!-->c<!-- -- -->",
	"<p><a href=/x/>t</a/><div a=/>t</div><div a='/'/>u<div a/>v",
	"<p title='a\"b' data-x=\"c'd\" e=f&amp;g h=\"&#x41;&#66;&#67\" i='&nbsp;&quot;&lt;&gt;&apos;'>",
	"<a href=\"?a=1&b=2\">x</a><a href=\"&notit;\">y</a><a href='&amp=1'>z</a>",
	"a < b <3 <<p>>& &amp; &notit; &#0; 5<6\r\r\n\r",
	"<a", "<a b", "<a b=", "<a b='c", "</a", "</", "<", "<!", "<!-", "<!--", "<!--x-", "<!DOCTYP", "<!DOCTYPE", "<script>x",
	"<title>a</titl</title><textarea></textarea><noscript></noscript ><plaintext>x",
	"<svg><![CDATA[x]]></svg><math>y</math>",
	"text\x00nul",
	"<p>한글 <b>본문</b>&nbsp;입니다</p>\r\n<!-- 주석 & -->",
	"<ÀB>x</àb><a ÀB=1 àb=2 Àb=3>",
	"<xÀB>x</xàb><a ÀB=1 àb=2 Àb=3 ÀB=4 Kb=5 \u212Ab=6>",
}

// FuzzScanner holds tokenScanner to the Tokenizer: until it declines, its
// tokens are the Tokenizer's (sameTokens).
func FuzzScanner(f *testing.F) {
	for _, s := range scannerSeeds {
		f.Add(s)
	}
	f.Add(pageFixture("0123abcd", "AB12CD34", "77"))
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, path := range files {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, page string) {
		if len(page) > 1<<16 {
			return
		}
		if d, _ := sameTokens(page); d != "" {
			t.Fatalf("%q: %s", page, d)
		}
		// Every prefix too: the end of the page in every state.
		if len(page) <= 256 {
			for i := range len(page) {
				if d, _ := sameTokens(page[:i]); d != "" {
					t.Fatalf("%q: %s", page[:i], d)
				}
			}
		}
	})
}

// TestScannerSeeds: the seeds agree, and the scanner reads the ones made of
// what pages are made of to their end, declining only where it says it
// does (see tokenSource).
func TestScannerSeeds(t *testing.T) {
	declines := map[string]bool{}
	for _, s := range scannerSeeds {
		d, declined := sameTokens(s)
		if d != "" {
			t.Errorf("%q: %s", s, d)
		}
		declines[s] = declined
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 7, 9, 16, 23, 27, 29} {
		if s := scannerSeeds[i]; declines[s] {
			t.Errorf("%q declined", s)
		}
	}
	for _, s := range []string{"</>x", "<?p?>", "<a", "<!--x-", "text\x00nul", "<a href=\"?a=1&b=2\">x</a>", "<plaintext>x"} {
		if _, declined := sameTokens(s); !declined {
			t.Errorf("%q: not declined", s)
		}
	}
}

// TestScannerPages: on the HTML fixtures and on the real pages in
// ../shared/corpus, the scanner gives the Tokenizer's tokens, reads every
// page to its end (none declines), and the keys and masked runs of pageKey
// are those of the Tokenizer's stream.
func TestScannerPages(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	real, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "*", "*", "*.html"))
	if len(real) == 0 {
		t.Log("no real pages: ../shared/corpus is absent; checking the fixtures only")
	}
	pages := map[string]string{"fixture": pageFixture("0123abcd", "AB12CD34", "77"), "bench": benchPage(t)}
	for _, path := range append(files, real...) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		pages[path] = string(b)
	}
	rules := []Rules{fixtureRules, {Selector: "p, td", Exclude: []string{"b"}}, {Selector: "div", Exclude: []string{"span.x", "[data-ad]"}}, {}}
	for name, page := range pages {
		d, declined := sameTokens(page)
		if d != "" {
			t.Errorf("%s: %s", name, d)
		}
		if declined {
			t.Errorf("%s: the scanner declined", name)
		}
		for _, r := range rules {
			kp := planFor(r)
			s := newScanner(page)
			k1, m1, err := streamKey(s, len(page), kp)
			s.free()
			k2, m2, _ := streamKey(netTokens{html.NewTokenizer(strings.NewReader(page))}, len(page), kp)
			if err != nil || k1 != k2 || fmt.Sprint(m1) != fmt.Sprint(m2) {
				t.Errorf("%s, rules %+v: scanner key %q (%d runs, %v), tokenizer %q (%d runs)", name, r, k1, len(m1), err, k2, len(m2))
			}
		}
	}
}
