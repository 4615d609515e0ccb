package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// pageFixture is a policy page in the style of real sites: a search form
// with a per-request CSRF token, a coupon popup inside the policy element
// (excluded by the rules), an inline script with a build stamp.
func pageFixture(csrf, coupon, stamp string) string {
	return `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>개인정보처리방침</title>
<script>var BUILD = "` + stamp + `";</script></head><body>
<header><form action="/search"><input type="text" name="q"><input type="hidden" name="csrf" value="` + csrf + `"><button>검색</button></form>
<nav><ul><li><a href="/notice">공지사항</a></li></ul></nav></header>
<div id="policy"><div class="popup layer"><p>[이벤트] 쿠폰 코드: <strong>` + coupon + `</strong></p><p><a href="#">[닫기]</a></p></div>
<h3>제1조 (개인정보의 처리 목적)</h3><p>회사는 다음의 목적을 위하여 개인정보를 처리합니다.</p>
<table><tr><td>수집 항목</td><td>이름, 연락처</td></tr></table>
<p class="date">시행일자: 2024년 1월 1일</p></div>
<footer><p>Copyright ` + stamp + `</p></footer></body></html>`
}

var fixtureRules = Rules{Selector: "#policy", Exclude: []string{".popup"}}

func TestPageKeyIgnoresTokens(t *testing.T) {
	a := NewPage(pageFixture("0123abcd", "AB12CD34", "77"), fixtureRules)
	b := NewPage(pageFixture("ffff9999eeee", "ZZ9", "78"), fixtureRules)
	if a.Key() == "" {
		t.Fatal("the fixture has no key")
	}
	ta, err := a.Extract()
	if err != nil {
		t.Fatal(err)
	}
	if a.Key() == "" {
		t.Fatal("the key was dropped by Extract: a mark reached the text")
	}
	if want, _ := HTML(pageFixture("0123abcd", "AB12CD34", "77"), fixtureRules); ta != want {
		t.Fatalf("Extract = %q, HTML = %q", ta, want)
	}
	if strings.Contains(ta, "AB12") {
		t.Fatalf("excluded coupon in the text: %q", ta)
	}
	if a.Key() != b.Key() {
		t.Fatal("pages that differ in a hidden value, an excluded text and a script have different keys")
	}
	// What extraction reads changes the key.
	for name, page := range map[string]string{
		"policy text": strings.Replace(pageFixture("0123abcd", "AB12CD34", "77"), "처리합니다", "처리한다", 1),
		"hidden attr": strings.Replace(pageFixture("0123abcd", "AB12CD34", "77"), `<p class="date">`, `<p class="date" hidden>`, 1),
		"a tag":       strings.Replace(pageFixture("0123abcd", "AB12CD34", "77"), `<strong>AB12CD34</strong>`, `AB12CD34</div><p>x`, 1),
	} {
		if NewPage(page, fixtureRules).Key() == a.Key() {
			t.Errorf("%s: same key", name)
		}
	}
	// Other rules, another key.
	if NewPage(pageFixture("0123abcd", "AB12CD34", "77"), Rules{Selector: "#policy"}).Key() == a.Key() {
		t.Error("rules without the exclude: same key")
	}
}

func TestPageKeyFallsBack(t *testing.T) {
	// The model thinks "x" is inside the excluded <p>, but <div> closes it:
	// "x" is policy text. The mark shows, the page is read as it is, and
	// it has no key.
	page := `<div id="policy"><p class="popup">coupon<div>visible x</div></p><p>본문</p></div>`
	p := NewPage(page, fixtureRules)
	got, err := p.Extract()
	want, werr := HTML(page, fixtureRules)
	if got != want || (err == nil) != (werr == nil) {
		t.Fatalf("Extract = %q, %v; HTML = %q, %v", got, err, want, werr)
	}
	if p.Key() != "" {
		t.Fatal("a page whose masked text is in the text kept its key")
	}
	if strings.Contains(got, maskMark) {
		t.Fatalf("mark in the text: %q", got)
	}
	for _, page := range []string{`<div id="policy"><svg><title>x</title></svg>본문</div>`, `<div id="policy">본문</div>`} {
		if k := NewPage(page, Rules{Selector: "#policy:not(.x)"}).Key(); k != "" {
			// A pseudo-class: no masking, but a key of the exact stream.
			_ = k
		}
	}
	if NewPage(`<div id="policy"><svg><title>x</title></svg>본문</div>`, fixtureRules).Key() != "" {
		t.Error("foreign content has a key")
	}
}

func TestPageLinks(t *testing.T) {
	p := NewPage(pageFixture("0123abcd", "AB12CD34", "77"), fixtureRules)
	root, err := p.Links()
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" && n.FirstChild != nil {
			links = append(links, n.FirstChild.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if strings.Join(links, ",") != "공지사항,[닫기]" {
		t.Fatalf("links %q", links)
	}
	if _, err := p.Extract(); err != nil {
		t.Fatal(err)
	}
	if p.Key() == "" {
		t.Fatal("no key")
	}
}

// FuzzPageKey checks the page key's promise: a page with the key of
// another extracts to the other's text. From a page A it makes B by
// rewriting what the key leaves out (the masked text runs and the masked
// attribute values) with other characters, and by any edit the fuzzer
// chooses; whenever B has A's key, B's text (by HTML, the full path) must
// be A's. Page.Extract must always agree with HTML.
func FuzzPageKey(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for i, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), "대체", i*97, "</p>")
	}
	f.Add(pageFixture("0123abcd", "AB12CD34", "77"), "쿠폰XY", 0, "")
	f.Add(`<div id="policy"><p class="popup">a<div>b</div></p>c</div>`, "z", 3, "<p>")
	f.Add(`<table><tr class="popup">x<td>y</td></tr></table><div id="policy">t</div>`, "q", 1, "")
	f.Add(`<div id=policy><pre class=popup>
x</pre><b class=popup>y<p>z</b></div>`, "\u00a0", 2, "</b>")
	rules := []Rules{
		fixtureRules,
		{Selector: "p, td", Exclude: []string{"b"}},
		{Selector: "div", Exclude: []string{"span.x", "[data-ad]"}},
		{},
	}
	f.Fuzz(func(t *testing.T, page, fill string, at int, insert string) {
		if len(page) > 1<<16 || !utf8.ValidString(page) {
			return
		}
		for _, r := range rules {
			a := NewPage(page, r)
			ta, ea := a.Extract()
			wa, wea := HTML(page, r)
			if ta != wa || errText(ea) != errText(wea) {
				t.Fatalf("rules %+v: Extract = %q, %v; HTML = %q, %v", r, ta, ea, wa, wea)
			}
			if a.Key() == "" {
				continue
			}
			for _, b := range variants(page, r, fill, at, insert) {
				if NewPage(b, r).Key() != a.Key() {
					continue
				}
				tb, eb := HTML(b, r)
				if tb != ta || errText(eb) != errText(ea) {
					t.Fatalf("rules %+v: same key, other text\nA %q\n→ %q, %v\nB %q\n→ %q, %v", r, page, ta, ea, b, tb, eb)
				}
			}
		}
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// variants returns pages made from page by rewriting what its key masks:
// every masked run (and every masked attribute value, by the tokenizer's
// raw bytes) filled with fill, and page with insert put in at byte at.
func variants(page string, r Rules, fill string, at int, insert string) []string {
	fill = strings.Map(func(c rune) rune {
		switch c {
		case '<', '&', ' ', '\t', '\n', '\f', '\r', 0, maskRune:
			return -1
		}
		return c
	}, fill)
	if fill == "" {
		fill = "x"
	}
	var out []string
	if _, spans := pageKey(page, r); len(spans) > 0 {
		masked := splice(page, spans)
		out = append(out, strings.ReplaceAll(masked, maskMark, fill))
		// Only one run in three rewritten, to mix old and new text.
		n := 0
		out = append(out, replaceFunc(masked, maskMark, func() string {
			n++
			if n%3 == 0 {
				return fill
			}
			return "o"
		}))
	}
	out = append(out, rewriteValues(page, fill))
	if at >= 0 && at <= len(page) {
		out = append(out, page[:at]+insert+page[at:])
	}
	return out
}

func replaceFunc(s, old string, repl func() string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl())
		s = s[i+len(old):]
	}
}

// rewriteValues replaces every quoted attribute value of value=, name=,
// data-*= with fill: values a key may mask (and, for name, may not).
func rewriteValues(page, fill string) string {
	for _, attr := range []string{`value="`, `name="`, `data-x="`, `href="`} {
		var b strings.Builder
		s := page
		for {
			i := strings.Index(s, attr)
			if i < 0 {
				break
			}
			j := strings.IndexByte(s[i+len(attr):], '"')
			if j < 0 {
				break
			}
			b.WriteString(s[:i+len(attr)])
			b.WriteString(strings.ReplaceAll(fill, `"`, ""))
			s = s[i+len(attr)+j:]
		}
		b.WriteString(s)
		page = b.String()
	}
	return page
}

// FuzzTagName: the page key's tag names and attributes, read with tagName
// and TagAttr until a nil key, are x/net/html's TagName and hasAttr loop,
// token for token, on any input.
func FuzzTagName(f *testing.F) {
	f.Add(pageFixture("0123abcd", "AB12CD34", "77"))
	f.Add("<DIV Class=a>x</DIV><p/><br/ ><a\x00b href=x>y</a\x00b><Svg></svg>")
	f.Add("<a\thref=1\fid=2\r\nx>t</a\n><b/c>u</b\r><i =x>v</i>")
	f.Add("<script>if (a</b) x='</scr'+'ipt>'</SCRIPT ><title>t</title x=1><textarea>&lt;</textarea>")
	f.Add("</>x</ y><!--c--><?p?><!DOCTYPE html><a x=1 x=2 X=3>z</a>")
	f.Add("<p><a href=/x/>t</a/><div a=/>t</div>")
	f.Add("<a")
	f.Add("<a b")
	f.Add("</a")
	f.Fuzz(func(t *testing.T, page string) {
		if len(page) > 1<<16 {
			return
		}
		za := html.NewTokenizer(strings.NewReader(page))
		zb := html.NewTokenizer(strings.NewReader(page))
		for i := 0; ; i++ {
			ta, tb := za.Next(), zb.Next()
			if ta != tb || string(za.Raw()) != string(zb.Raw()) {
				t.Fatalf("token %d: %v %q, %v %q", i, ta, za.Raw(), tb, zb.Raw())
			}
			switch ta {
			case html.ErrorToken:
				return
			case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			default:
				continue
			}
			name, more := za.TagName()
			want := string(name) + "\x00"
			for more {
				var k, v []byte
				k, v, more = za.TagAttr()
				want += string(k) + "=" + string(v) + "\x00"
			}
			got := string(tagName(zb, tb)) + "\x00"
			for more := true; more; {
				var k, v []byte
				if k, v, more = zb.TagAttr(); k == nil {
					break
				}
				got += string(k) + "=" + string(v) + "\x00"
			}
			if got != want {
				t.Fatalf("token %d %q: tagName and TagAttr %q, TagName %q", i, za.Raw(), got, want)
			}
		}
	})
}
