package extract

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// Real material shared by the project, read in place (never copied).
var (
	seedDir   = filepath.Join("..", "..", "..", "shared", "seeds")
	corpusDir = filepath.Join("..", "..", "..", "shared", "corpus", "real")
)

// seedLines reads a seed and returns its normalized lines: Normalize
// applied to each line of the file, empty results dropped. That is exactly
// what extraction must give back for the seed's body in any page chrome.
func seedLines(t testing.TB, path string) (raw, want []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw = strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	for _, l := range raw {
		if n := Normalize(l); n != "" {
			want = append(want, n)
		}
	}
	return raw, want
}

func seeds(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(seedDir, "*.txt"))
	if len(files) == 0 {
		t.Skipf("no seed policies in %s (../shared is not beside the repository)", seedDir)
	}
	return files
}

// seedBlock is one line of a seed turned into HTML.
type seedBlock struct {
	kind  string // h, p, li, tr
	text  string
	cells []string
}

var headingLine = regexp.MustCompile(`^(제\s?\d+\s?조|\d{1,2}\s?\.|■|▶|\[)`)

// markedLines is what extraction gives for blocks rendered with their
// headings in <h3>: the seed's normalized lines (want, one per block), each
// heading line with the "### " marker.
func markedLines(bs []seedBlock, want []string) []string {
	out := make([]string, len(want))
	for i, b := range bs {
		out[i] = want[i]
		if b.kind == "h" {
			out[i] = "### " + want[i]
		}
	}
	return out
}

func seedBlocks(raw []string) []seedBlock {
	var out []seedBlock
	for _, l := range raw {
		if Normalize(l) == "" {
			continue
		}
		trimmed := strings.TrimSpace(strings.ReplaceAll(l, "\u00a0", " "))
		switch {
		case strings.Contains(l, " | "):
			out = append(out, seedBlock{kind: "tr", cells: strings.Split(l, " | ")})
		case headingLine.MatchString(trimmed) && utf8.RuneCountInString(trimmed) <= 40:
			out = append(out, seedBlock{kind: "h", text: l})
		case strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "o ") || strings.HasPrefix(trimmed, "* ") || strings.HasPrefix(trimmed, "· "):
			out = append(out, seedBlock{kind: "li", text: l})
		default:
			out = append(out, seedBlock{kind: "p", text: l})
		}
	}
	return out
}

// groups yields runs of blocks of the same kind (li and tr runs become one
// list or table).
func groups(bs []seedBlock) [][]seedBlock {
	var out [][]seedBlock
	for i := 0; i < len(bs); {
		j := i + 1
		if bs[i].kind == "li" || bs[i].kind == "tr" {
			for j < len(bs) && bs[j].kind == bs[i].kind {
				j++
			}
		}
		out = append(out, bs[i:j])
		i = j
	}
	return out
}

// semanticBody renders blocks as clean HTML5.
func semanticBody(bs []seedBlock) string {
	var b strings.Builder
	for _, g := range groups(bs) {
		switch g[0].kind {
		case "h":
			fmt.Fprintf(&b, "<h3>%s</h3>\n", html.EscapeString(g[0].text))
		case "p":
			fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(g[0].text))
		case "li":
			b.WriteString("<ul>\n")
			for _, x := range g {
				fmt.Fprintf(&b, "  <li>%s</li>\n", html.EscapeString(x.text))
			}
			b.WriteString("</ul>\n")
		case "tr":
			b.WriteString("<table><tbody>\n")
			for _, x := range g {
				b.WriteString("<tr>")
				for _, c := range x.cells {
					fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(c))
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</tbody></table>\n")
		}
	}
	return b.String()
}

// legacyText escapes s the way editors of old Korean sites emit it: spaces
// as &nbsp; on every other line, a zero-width space at the end, and the
// line split across two inline elements.
func legacyText(s string, i int) string {
	runes := []rune(s)
	mid := len(runes) / 2
	a, z := html.EscapeString(string(runes[:mid])), html.EscapeString(string(runes[mid:]))
	if i%2 == 0 {
		a = strings.ReplaceAll(a, " ", "&nbsp;")
		z = strings.ReplaceAll(z, " ", "&#160;")
	}
	return fmt.Sprintf(`<span style="font-family:돋움;font-size:9pt">%s</span><font color="#555">%s</font>&#8203;`, a, z)
}

// legacyBody renders blocks as an old editor would: lists as
// <br>-separated lines, text in nested spans, empty NBSP paragraphs between
// blocks, and headings as <h3> holding bold spans or, with bold, as bold
// paragraphs: pseudo-headings that the extractor cannot tell from text.
func legacyBody(bs []seedBlock, bold bool) string {
	var b strings.Builder
	for i, g := range groups(bs) {
		switch g[0].kind {
		case "h":
			if bold {
				fmt.Fprintf(&b, "<p class=\"HStyle0\"><b>%s</b></p>\n<p class=\"HStyle0\">&nbsp;</p>\n", legacyText(g[0].text, i))
				break
			}
			fmt.Fprintf(&b, "<h3 class=\"HStyle0\" style=\"font-size:10pt;margin:0\"><b>%s</b></h3>\n<p class=\"HStyle0\">&nbsp;</p>\n", legacyText(g[0].text, i))
		case "p":
			fmt.Fprintf(&b, "<div style=\"line-height:160%%\">%s</div>\n", legacyText(g[0].text, i))
		case "li":
			b.WriteString("<p>")
			for j, x := range g {
				fmt.Fprintf(&b, "%s<br>\n", legacyText(x.text, i+j))
			}
			b.WriteString("</p>\n")
		case "tr":
			b.WriteString("<table border=\"1\" cellspacing=\"0\">\n")
			for _, x := range g {
				b.WriteString("<tr>")
				for _, c := range x.cells {
					fmt.Fprintf(&b, "<td align=\"center\"><p>%s</p></td>", html.EscapeString(c))
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</table>\n")
		}
	}
	return b.String()
}

const title = "개인정보처리방침"

// chromeSemantic wraps a policy body in an HTML5 page with a header, nav,
// cookie banner, aside, footer, scripts and a hidden pop-up.
func chromeSemantic(body string) string {
	return `<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>개인정보처리방침 | 모아쇼핑</title>
<style>body{font-family:"Noto Sans KR",sans-serif} .popup{position:fixed;top:10%}</style>
<script>window.__CONSENT__ = {text: "개인정보 수집 및 이용에 동의합니다", nonce: "r4nd0m"};</script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">모아쇼핑</a>
  <nav><ul><li><a href="/new">신상품</a></li><li><a href="/best">베스트</a></li><li><a href="/privacy">개인정보처리방침</a></li></ul></nav>
</header>
<div class="cookie-banner" hidden>이 사이트는 쿠키를 사용합니다. 개인정보처리방침을 확인하세요. <button>동의</button></div>
<main id="main">
  <article>
    <h1>` + title + `</h1>
    <div class="policy-content">
` + body + `
    </div>
  </article>
</main>
<aside><h2>최근 공지</h2><ul><li>개인정보처리방침 개정 안내</li><li>설 연휴 배송 안내</li></ul></aside>
<div id="event-layer" class="popup" style="display: none;"><p>[이벤트] 개인정보 수집 동의 시 적립금 지급!</p></div>
<footer>
  <p>(주)모아쇼핑 | 대표이사 김모아 | 사업자등록번호 000-00-00000</p>
  <p><a href="/terms">이용약관</a> · <a href="/privacy"><strong>개인정보처리방침</strong></a></p>
</footer>
<script src="https://cdn.example/analytics.js"></script>
<script>
  (function () { var msg = "개인정보처리방침 열람"; console.log(msg); })();
</script>
<noscript><img src="/pixel.gif" alt="개인정보"></noscript>
</body>
</html>`
}

// chromeLegacy wraps a policy body in a table-layout page with div
// header and footer, a side menu, inline styles, iframes and pop-up layers.
func chromeLegacy(body string) string {
	return `<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>:: 한결상사 ::</title>
<link rel="stylesheet" href="/css/common.css">
<script type="text/javascript" src="/js/jquery.js"></script>
<script type="text/javascript">
<!--
function popClose(){ document.getElementById("pop").style.display = "none"; }
//-->
</script>
</head>
<body leftmargin="0" topmargin="0">
<!-- header -->
<div id="header">
  <div class="top_menu"><a href="/login">로그인</a> | <a href="/join">회원가입</a> | <a href="/privacy">개인정보처리방침</a></div>
  <ul id="gnb"><li><a href="/company">회사소개</a></li><li><a href="/product">제품안내</a></li><li><a href="/board">고객지원</a></li></ul>
</div>
<div id="pop" style="position:absolute; left:100px; top:80px; z-index:100; visibility: hidden">
  <p>개인정보처리방침 개정 안내: 자세한 내용은 본문을 확인하세요.</p><a href="javascript:popClose()">닫기</a>
</div>
<table width="100%" border="0" cellpadding="0" cellspacing="0">
<tr>
  <td width="200" valign="top" id="lnb">
    <table width="100%"><tr><td><a href="/board/notice">공지사항</a></td></tr><tr><td><a href="/board/faq">자주 묻는 질문</a></td></tr>
    <tr><td><a href="/board/qna">묻고 답하기</a></td></tr><tr><td><a href="/board/as">제품 수리 접수</a></td></tr>
    <tr><td><a href="/terms">이용약관</a></td></tr><tr><td><a href="/privacy">개인정보처리방침</a></td></tr><tr><td><a href="/nospam">이메일무단수집거부</a></td></tr></table>
    <iframe src="/banner.html" width="200" height="300"></iframe>
  </td>
  <td valign="top" style="padding:20px">
    <h1 style="font-size:18px;color:#222">` + title + `</h1>
    <div class="privacy_wrap" style="border:1px solid #ddd; padding:15px">
` + body + `
    </div>
  </td>
</tr>
</table>
<div id="footer" style="background:#333;color:#aaa">
  <font size="2">한결상사 | 경기도 어느시 어느로 123 | TEL 000-000-0000 | <a href="/privacy"><b>개인정보처리방침</b></a><br>
  Copyright ⓒ HANGYEOL. All rights reserved.</font>
</div>
<span aria-hidden="true" class="blind">개인정보처리방침 바로가기</span>
<script type="text/javascript">var _gaq = _gaq || []; _gaq.push(['_trackPageview', '/privacy']);</script>
</body>
</html>`
}

// chromeBare is a policy box with no title, as a raw export would be.
func chromeBare(body string) string {
	return `<html><head><style>p{margin:0}</style></head><body><div id="policy">` + body + `</div>` +
		`<script>document.write("개인정보 " + Date.now())</script></body></html>`
}

// TestSeedsInChrome checks that the five real policies extract to exactly
// their normalized lines whatever page chrome surrounds them. Both chromes
// put the page title in <h1> and the seed's headings in <h3>, so the
// expected lines carry "# " and "### " there; the legacy page also comes
// with its headings as bold paragraphs, which are not headings to the
// extractor: that text is the same lines without the heading markers.
func TestSeedsInChrome(t *testing.T) {
	for _, path := range seeds(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, want := seedLines(t, path)
			bs := seedBlocks(raw)
			marked := markedLines(bs, want)
			withTitle := append([]string{"# " + title}, marked...)
			pages := []struct {
				name string
				page string
				want []string
			}{
				{"semantic", chromeSemantic(semanticBody(bs)), withTitle},
				{"legacy", chromeLegacy(legacyBody(bs, false)), withTitle},
				{"bare", chromeBare(semanticBody(bs)), marked},
				{"legacy-bold", chromeLegacy(legacyBody(bs, true)), append([]string{"# " + title}, want...)},
			}
			got := map[string]string{}
			for _, p := range pages {
				text, err := HTML(p.page, Rules{})
				if err != nil {
					t.Fatalf("%s: %v", p.name, err)
				}
				if diff := lineDiff(p.want, strings.Split(text, "\n")); diff != "" {
					t.Errorf("%s chrome: extracted text differs from the seed's normalized lines:\n%s", p.name, diff)
				}
				got[p.name] = text
			}
			if got["semantic"] != got["legacy"] {
				t.Errorf("semantic and legacy chrome give different text")
			}
			if got["legacy"] != "# "+title+"\n"+got["bare"] {
				t.Errorf("the bare page differs from the chromed ones by more than the title")
			}
			// Only the marks of real headings tell the bold page apart.
			var unmarked []string
			for i, l := range strings.Split(got["legacy"], "\n") {
				if i > 0 {
					l = strings.TrimPrefix(l, "### ")
				}
				unmarked = append(unmarked, l)
			}
			if diff := lineDiff(strings.Split(got["legacy-bold"], "\n"), unmarked); diff != "" {
				t.Errorf("bold headings and <h3> headings give different text beyond the markers:\n%s", diff)
			}
		})
	}
}

// lineDiff describes the first difference between two line lists.
func lineDiff(want, got []string) string {
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return fmt.Sprintf("line %d (want %d lines, got %d):\nwant %q\ngot  %q", i+1, len(want), len(got), w, g)
		}
	}
	return ""
}

// TestSeedsWithSelector checks that a selector on the policy box gives the
// seed's lines without the title, in either chrome.
func TestSeedsWithSelector(t *testing.T) {
	for _, path := range seeds(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, want := seedLines(t, path)
			bs := seedBlocks(raw)
			want = markedLines(bs, want)
			for name, page := range map[string]string{
				"semantic": chromeSemantic(semanticBody(bs)),
				"legacy":   chromeLegacy(legacyBody(bs, false)),
			} {
				text, err := HTML(page, Rules{Selector: ".policy-content, .privacy_wrap"})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if diff := lineDiff(want, strings.Split(text, "\n")); diff != "" {
					t.Errorf("%s: %s", name, diff)
				}
			}
		})
	}
}

// TestCorpusHTML extracts every real HTML policy version: extraction
// succeeds, finds the policy and leaves out styles, scripts, comments and
// the chrome verified by reading each file.
func TestCorpusHTML(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.html"))
	if len(files) == 0 {
		t.Skipf("no corpus in %s (../shared is not beside the repository)", corpusDir)
	}
	// Strings present in the files' styles, scripts, comments, nav or
	// footer, never in their policy text.
	absent := map[string][]string{
		"1365-volunteer": {"font-family", "line-height", "max-width"},
		"gostop":         {"font-family", "#007AFF"},
		"khu-return":     {"부트스트랩", "html5shiv", "자유게시판", "종합정보시스템", "Respond.js", "Toggle navigation"},
		"kiapi":          {"본문 바로가기", "주메뉴 바로가기", "1차메뉴"},
	}
	for _, path := range files {
		source := filepath.Base(filepath.Dir(path))
		t.Run(source+"/"+filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			text, err := HTML(string(b), Rules{})
			if err != nil {
				t.Fatal(err)
			}
			lower := strings.ToLower(text)
			if !strings.Contains(text, "개인정보") && !strings.Contains(lower, "privacy") {
				t.Errorf("no 개인정보 (or privacy) in the extracted text")
			}
			for _, s := range append([]string{"<script", "<style", "<!--", "function(", "{display"}, absent[source]...) {
				if strings.Contains(text, s) {
					t.Errorf("extracted text contains %q, which is not policy text", s)
				}
			}
			checkContract(t, text)
		})
	}
}

// TestCorpusMarkdown converts every real Markdown policy version: it keeps
// the policy and drops the markup.
func TestCorpusMarkdown(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*", "v*.md"))
	if len(files) == 0 {
		t.Skipf("no corpus in %s (../shared is not beside the repository)", corpusDir)
	}
	markup := regexp.MustCompile(`\*\*|\]\(https?:|(?m)^---$|(?m)^\|`)
	// ATX headings of the source (with text; "##제1조" counts) and the
	// heading lines of the output.
	atx := regexp.MustCompile(`(?m)^ {0,3}(#[ \t]+|#{2,6}[ \t]*)[^# \t\r\n]`)
	marked := regexp.MustCompile(`(?m)^#{1,6} \S`)
	for _, path := range files {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			text, err := Content(string(b), "text/markdown; charset=utf-8", Rules{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, "개인") {
				t.Errorf("no 개인 in the converted text")
			}
			body := text
			if rest, ok := strings.CutPrefix(text, "---\n"); ok {
				// The dated keys of the front matter, set apart at the top.
				block, after, ok := strings.Cut(rest, "\n---")
				if !ok {
					t.Fatalf("front matter block not closed: %q", text)
				}
				for _, l := range strings.Split(block, "\n") {
					if k, v, ok := strings.Cut(l, ":"); !ok || k == "" || strings.Trim(v, " \"'") == "" {
						t.Errorf("front matter line %q is not a dated key", l)
					}
				}
				body = after
			}
			if m := markup.FindString(body); m != "" {
				t.Errorf("markup %q left in the text", m)
			}
			// Every heading keeps its level mark, and nothing else
			// looks like one.
			src, out := len(atx.FindAllString(string(b), -1)), len(marked.FindAllString(text, -1))
			if out < src {
				t.Errorf("%d ATX headings in the source, %d marked heading lines in the text", src, out)
			}
			for _, l := range strings.Split(text, "\n") {
				if strings.HasPrefix(l, "#") && !marked.MatchString(l) && !strings.HasPrefix(l, "#해시") {
					t.Errorf("malformed heading line %q", l)
				}
				if strings.HasPrefix(l, "#") && strings.HasSuffix(l, " #") {
					t.Errorf("closing sequence left on %q", l)
				}
			}
			if strings.HasPrefix(string(b), "---\n") && strings.Contains(text, "layout:") {
				t.Errorf("front matter left in the text")
			}
			checkContract(t, text)
		})
	}
}

// checkContract asserts the package's output contract.
func checkContract(t testing.TB, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("output is not valid UTF-8: %q", s)
	}
	if strings.Contains(s, "\n\n") || strings.HasPrefix(s, "\n") || strings.HasSuffix(s, "\n") {
		t.Fatalf("output has an empty line: %q", s)
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != l || strings.Contains(l, "  ") {
			t.Fatalf("line not trimmed or not collapsed: %q", l)
		}
	}
	if n := Normalize(s); n != s {
		t.Fatalf("output is not normalized:\n got %q\nnorm %q", s, n)
	}
}
