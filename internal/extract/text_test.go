package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"only spaces", " \t\u00a0\u3000\n\r\n ", ""},
		{"trim and collapse", "  가   나\t\t다  ", "가 나 다"},
		{"blank lines dropped", "가\n\n\n나\n \n다", "가\n나\n다"},
		{"CRLF and CR", "가\r\n나\r다", "가\n나\n다"},
		{"unicode line separators", "가\u2028나\u2029다", "가\n나\n다"},
		{"NBSP and full-width space", "개인정보\u00a0처리방침\u3000제1조", "개인정보 처리방침 제1조"},
		{"other unicode spaces", "a\u2002b\u2009c\u202fd\u205fe\u1680f\u0085g", "a b c d e f g"},
		{"zero-width removed", "개\u200b인\u200c정\u200d보\u2060\ufeff", "개인정보"},
		{"format characters removed", "a\u00adb\u200ec\u200fd\u202ae\u2066f", "abcdef"},
		{"controls removed", "a\x00b\x07c\x1bd\x7fe\u0080f\u009fg", "abcdefg"},
		{"vertical tab and form feed are spaces", "a\vb\fc", "a b c"},
		{"invalid UTF-8 replaced", "a\xffb\xc3", "a\ufffdb\ufffd"},
		{"NFC composes jamo", "\u1112\u1161\u11ab\u1100\u1173\u11af", "한글"},
		{"NFC composes latin", "cafe\u0301", "café"},
		{"zero-width between base and accent", "e\u200b\u0301", "é"},
		{"full-width letters and digits kept", "ＡＢＣ　１２３", "ＡＢＣ １２３"},
		{"compatibility characters kept", "㈜ ① ㎡ ﬁ", "㈜ ① ㎡ ﬁ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
		})
	}
}

// TestStableNFC checks stableNFC against the Unicode tables: every
// character it calls stable is NFC on its own and cannot combine with a
// preceding one.
func TestStableNFC(t *testing.T) {
	n := 0
	for r := rune(0); r <= 0xFFFF; r++ {
		if !stableNFC(r) || (r >= 0xD800 && r <= 0xDFFF) {
			continue
		}
		n++
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		if !norm.NFC.IsNormalString(s) || !p.BoundaryBefore() || p.CCC() != 0 {
			t.Errorf("stableNFC(%U) is true, but NFC normal=%v boundaryBefore=%v ccc=%d",
				r, norm.NFC.IsNormalString(s), p.BoundaryBefore(), p.CCC())
		}
	}
	if n == 0 {
		t.Fatal("no stable characters")
	}
}

func TestText(t *testing.T) {
	in := "\ufeff개인정보 처리방침\r\n\r\n  제1조(목적)\u00a0\u00a0회사는…\r\n\t- 항목: 이메일\r\n"
	want := "개인정보 처리방침\n제1조(목적) 회사는…\n- 항목: 이메일"
	if got := Text(in); got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"atx headings keep their level", "# 제목\n## 제1조 목적 ##\n###제2조 정의\n#해시태그\n####### 일곱\n   #### 들여쓴 **굵은** 제목", "# 제목\n## 제1조 목적\n### 제2조 정의\n#해시태그\n####### 일곱\n#### 들여쓴 굵은 제목"},
		{"empty atx headings dropped", "가\n##\n# #\n나", "가\n나"},
		{"setext headings", "개인정보 처리방침\n==========\n\n제3자 제공\n---", "# 개인정보 처리방침\n## 제3자 제공"},
		{"setext over a paragraph of two lines stays text", "첫째 줄\n둘째 줄\n---\n본문", "첫째 줄\n둘째 줄\n본문"},
		{"heading in a block quote", "> ## 시행일\n> 2025-01-01", "## 시행일\n2025-01-01"},
		{"bullets dropped, numbers kept", "- 가\n* 나\n+ 다\n  - 라\n1. 마\n2) 바\n- [ ] 사\n- [x] 아", "가\n나\n다\n라\n1. 마\n2) 바\n사\n아"},
		{"escaped marker kept", `\- 수탁자 :` + "\n" + `\1. 항목`, "- 수탁자 :\n1. 항목"},
		{"soft line breaks kept", "첫 문장입니다.\n둘째 문장입니다.", "첫 문장입니다.\n둘째 문장입니다."},
		{"hard line breaks", "가  \n나\\\n다", "가\n나\n다"},
		{"emphasis removed", "**시행일자**: 2025년 1월 1일 *중요* __굵게__ _기울임_ ~~취소~~", "시행일자: 2025년 1월 1일 중요 굵게 기울임 취소"},
		{"CJK emphasis next to punctuation", "**「개인정보 보호법」**에 따라 _개인정보_를", "「개인정보 보호법」에 따라 개인정보를"},
		{"emphasis across a hard break", "**제9조\\\n부칙**", "제9조\n부칙"},
		{"unclosed double run dropped", "**11. 열람청구", "11. 열람청구"},
		{"lone star and tildes kept", "5 * 3, 09:00~18:00, 월~금", "5 * 3, 09:00~18:00, 월~금"},
		{"snake_case kept", "user_name_field 와 a_b", "user_name_field 와 a_b"},
		{"links as text", "[개인정보 보호위원회](https://www.pipc.go.kr) 및 [신고센터](<https://x.kr/a b> \"t\")", "개인정보 보호위원회 및 신고센터"},
		{"reference links", "[문의하기][c]와 [FAQ][]와 [c]\n\n[c]: https://ex.kr/contact\n[faq]: https://ex.kr/faq", "문의하기와 FAQ와 c"},
		{"brackets that are not links stay", "[홈페이지 회원가입 시 수집항목]", "[홈페이지 회원가입 시 수집항목]"},
		{"images dropped", "![로고](logo.png)앱 ![](x.gif)", "앱"},
		{"autolinks", "<https://ex.kr/privacy> / <privacy@ex.kr>", "https://ex.kr/privacy / privacy@ex.kr"},
		{"code spans", "`앱 버전` 과 `` a`b ``", "앱 버전 과 a`b"},
		{"fenced code kept as text", "```text\n**그대로**\n  둘째 줄\n```\n~~~\n# 제목 아님\n~~~", "**그대로**\n둘째 줄\n# 제목 아님"},
		{"unclosed fence runs to the end", "```\n코드", "코드"},
		{"tables", "| 목적 | 항목 |\n|:---|---:|\n| 회원 관리 | 이메일, **닉네임** |\n| 결제 | 카드 \\| 계좌 |\n\n이후", "목적 | 항목\n회원 관리 | 이메일, 닉네임\n결제 | 카드 | 계좌\n이후"},
		{"table without outer pipes", "구분 | 기간\n--- | ---\n회원 | 탈퇴 시", "구분 | 기간\n회원 | 탈퇴 시"},
		{"pipe outside a table is text", "A | B 는 표가 아님", "A | B 는 표가 아님"},
		{"block quotes", "> **AI 고스톱**  \n> 시행일: 2026-01-04\n>> 중첩", "AI 고스톱\n시행일: 2026-01-04\n중첩"},
		{"thematic breaks", "가\n\n---\n***\n_ _ _\n나", "가\n나"},
		{"front matter", "---\nlayout: default\ntitle: 개인정보처리방침\n---\n# 본문", "# 본문"},
		{"front matter keeps its dated keys", "---\nlayout: page\ntitle: \"개인정보처리방침 v2\"\ndate: 2025-03-01\nlast_updated: \"2025년 3월 1일\"\ntags:\n  - 2024\n시행일: 2025.03.10\n---\n# 본문", "---\ndate: 2025-03-01\nlast_updated: \"2025년 3월 1일\"\n시행일: 2025.03.10\n---\n# 본문"},
		{"top rule that is not front matter", "---\n개인정보 처리방침\n---\n본문", "## 개인정보 처리방침\n본문"},
		{"html comments", "가<!-- 숨김 -->나\n<!-- 여러\n줄 -->\n다", "가 나\n다"},
		{"html tags", "<p></p>\n<h2>1. 목적</h2>\n가<br>나<br/>다 <strong>굵게</strong> <a href=\"x\">링크</a>", "## 1. 목적\n가\n나\n다 굵게 링크"},
		{"html heading tags", "<h3 class=\"t\">제2조</h3>본문<h4></h4><H5>끝</H5>", "### 제2조\n본문\n##### 끝"},
		{"unknown tags are text", "<하루>(이하 '하루') <gomsanglab>랩</gomsanglab>", "<하루>(이하 '하루') <gomsanglab>랩</gomsanglab>"},
		{"entities", "&lt;회사&gt;&nbsp;&amp;&#44060;&#xC778; &nope; AT&T", "<회사> &개인 &nope; AT&T"},
		{"CRLF", "# 제목\r\n\r\n본문\r\n", "# 제목\n본문"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Markdown(tt.in)
			if got != tt.want {
				t.Errorf("Markdown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			checkContract(t, got)
		})
	}
}

func TestContent(t *testing.T) {
	page := "<html><body><p>개인정보 <b>처리</b>방침</p></body></html>"
	md := "# 개인정보 처리방침\n**제1조**"
	tests := []struct {
		name, body, mediaType, want string
		wantErr                     error
	}{
		{"html", page, "text/html", "개인정보 처리방침", nil},
		{"html with params and case", page, "Text/HTML; charset=UTF-8", "개인정보 처리방침", nil},
		{"xhtml", page, "application/xhtml+xml", "개인정보 처리방침", nil},
		{"markdown", md, "text/markdown; charset=utf-8", "# 개인정보 처리방침\n제1조", nil},
		{"x-markdown", md, "text/x-markdown", "# 개인정보 처리방침\n제1조", nil},
		{"plain", md, "text/plain", "# 개인정보 처리방침\n**제1조**", nil},
		{"other text", "가\u00a0나", "text/csv", "가 나", nil},
		{"sniffed html", page, "", "개인정보 처리방침", nil},
		{"sniffed text", "개인정보  처리방침", "", "개인정보 처리방침", nil},
		{"empty markdown", "---\n\n***", "text/markdown", "", ErrNoContent},
		{"empty text", " \u3000 ", "text/plain", "", ErrNoContent},
		{"empty html", "<p> </p>", "text/html", "", ErrNoContent},
		{"pdf", "%PDF-1.7", "application/pdf", "", ErrUnsupportedType},
		{"json", "{}", "application/json", "", ErrUnsupportedType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Content(tt.body, tt.mediaType, Rules{})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "extract: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := Content(page, "text/html", Rules{Selector: "#none"}); !errors.Is(err, ErrNoContent) {
		t.Errorf("selector without match: %v, want ErrNoContent", err)
	}
}

// TestSeedsAsText checks that the seeds served as text/plain give their
// normalized lines.
func TestSeedsAsText(t *testing.T) {
	for _, path := range seeds(t) {
		_, want := seedLines(t, path)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Content(string(b), "text/plain; charset=utf-8", Rules{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := lineDiff(want, strings.Split(got, "\n")); diff != "" {
			t.Errorf("%s: %s", filepath.Base(path), diff)
		}
	}
}
