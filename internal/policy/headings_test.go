package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/extract"
)

// outline lists the sections after the preamble as "level marker title".
func outline(doc *Document) []string {
	var out []string
	for _, s := range doc.Sections {
		if s.Category == CategoryPreamble {
			continue
		}
		out = append(out, fmt.Sprintf("%d %s %s", s.Level, s.Marker, s.Title))
	}
	return out
}

// TestHashHeadings covers the heading lines the extractor marks with
// "#"×depth: levels by rank among the document's depths, numbering inside
// them, the document title, and the evidence that a mark overrides.
func TestHashHeadings(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		want     []string
		preamble []string // the preamble's lines, when asserted
	}{
		{"shallowest depth is level 1",
			"### 수집 항목\n이메일\n#### 필수 항목\n이메일 주소\n### 보유 기간\n탈퇴 시까지",
			[]string{"1  수집 항목", "2  필수 항목", "1  보유 기간"}, nil},
		{"depths rank across the document",
			"## 처리 목적\n회원 관리\n#### 세부 목적\n본인 확인\n### 보유 기간\n1년\n#### 예외\n법령",
			[]string{"1  처리 목적", "3  세부 목적", "2  보유 기간", "3  예외"}, nil},
		{"numbering inside a mark",
			"## 1. 목적\n회사는 처리합니다.\n### 가. 회원 관리\n본인 확인\n## 2. 수집 항목\n이메일",
			[]string{"1 1. 목적", "2 가. 회원 관리", "1 2. 수집 항목"}, nil},
		{"the one h1 is the document title",
			"# 솔바람도서관\n도서관은 개인정보를 보호합니다.\n## 처리 목적\n회원 관리\n## 파기\n지체 없이",
			[]string{"1  처리 목적", "1  파기"}, []string{"# 솔바람도서관", "도서관은 개인정보를 보호합니다."}},
		{"a title naming the policy, then another",
			"# 개인정보처리방침\n## 개인정보 정책\n회사는 이 정책을 둡니다.\n### 제1조(목적)\n본문\n### 제2조(항목)\n이메일",
			[]string{"1 제1조 목적", "1 제2조 항목"}, []string{"# 개인정보처리방침", "## 개인정보 정책", "회사는 이 정책을 둡니다."}},
		{"a topical h1 is a section",
			"# 수집하는 개인정보 항목\n이메일, 닉네임\n## 필수\n이메일",
			[]string{"1  수집하는 개인정보 항목", "2  필수"}, nil},
		{"a lone unnamed h1 over unmarked sections",
			"# Privacy\nWe respect your privacy and keep this short.\nInfo that we collect\nWe collect your name and email address when you order.\nCookies\nWe use cookies to keep your shopping basket between visits.",
			[]string{"1  Info that we collect", "1  Cookies"}, nil},
		{"a number continuing the sequence is a sibling at any depth",
			"## 1. 수집 항목\n이메일\n## 2. 이용 목적\n회원 관리\n### 3. 보유 기간\n1년\n### 4. 파기\n지체 없이",
			[]string{"1 1. 수집 항목", "1 2. 이용 목적", "1 3. 보유 기간", "1 4. 파기"}, nil},
		{"marked and unmarked articles join",
			"### 제1조(목적)\n본문\n제2조(수집 항목)\n이메일\n### 제3조(보유 기간)\n1년",
			[]string{"1 제1조 목적", "1 제2조 수집 항목", "1 제3조 보유 기간"}, nil},
		{"a list in a marked section stays body",
			"## 1. 제3자 제공\n다음의 경우에는 제공합니다.\n1. 정보주체의 동의를 받은 경우\n2. 법률에 특별한 규정이 있는 경우\n## 2. 파기\n지체 없이",
			[]string{"1 1. 제3자 제공", "1 2. 파기"}, nil},
		{"a heading merged with its first sentence is split",
			"## 5. 정보주체의 권리와 그 행사방법 이용자는 언제든지 등록되어 있는 자신의 개인정보를 조회하거나 수정할 수 있으며 가입 해지를 요청할 수도 있습니다.\n요청은 서면이나 전자우편으로 합니다.",
			[]string{"1 5. 정보주체의 권리와 그 행사방법"}, nil},
		{"closing hashes and emphasis are not the title",
			"## **개인정보의 보유 기간** ##\n1년\n## 파기 ###\n지체 없이",
			[]string{"1  개인정보의 보유 기간", "1  파기"}, nil},
		{"an over-long marked line is text",
			"## 처리 목적\n" + "## " + strings.Repeat("회원 관리와 본인 확인을 위하여 처리합니다 ", 8) + "\n## 파기\n지체 없이",
			[]string{"1  처리 목적", "1  파기"}, nil},
		{"a marked table of contents",
			"# 개인정보처리방침\n## 목차\n1. 수집 항목\n2. 이용 목적\n3. 파기\n## 1. 수집 항목\n이메일\n## 2. 이용 목적\n회원 관리\n## 3. 파기\n지체 없이",
			[]string{"1 1. 수집 항목", "1 2. 이용 목적", "1 3. 파기"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := Parse(tt.text)
			checkInvariants(t, doc, tt.text)
			if got := outline(doc); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("sections:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if tt.preamble != nil {
				if len(doc.Sections) == 0 || doc.Sections[0].Category != CategoryPreamble {
					t.Fatalf("no preamble: %+v", doc.Sections)
				}
				if got := doc.Sections[0].Body; strings.Join(got, "\n") != strings.Join(tt.preamble, "\n") {
					t.Errorf("preamble %q, want %q", got, tt.preamble)
				}
			}
			for _, s := range doc.Sections {
				if strings.HasPrefix(s.Title, "#") || strings.HasSuffix(s.Title, "#") {
					t.Errorf("title %q keeps its marks", s.Title)
				}
				if s.Title != "" && !strings.HasPrefix(s.Heading, "#") && strings.Contains(tt.text, "\n#"+s.Heading) {
					t.Errorf("heading %q lost its marks", s.Heading)
				}
			}
		})
	}
}

// TestHashHeadingKeys checks that marking headings changes neither titles
// nor keys: the diff aligns a version made by the old extractor (bare
// heading lines) with one made by the new (marked), section by section.
func TestHashHeadingKeys(t *testing.T) {
	marked := "# 개인정보 처리방침\n회사는 개인정보를 보호합니다.\n## 1. 개인정보의 처리 목적\n회원 관리\n### 가. 회원 관리\n본인 확인\n## 2. 처리하는 개인정보 항목\n이메일\n## 3. 개인정보의 파기\n지체 없이 파기합니다."
	var bare []string
	for _, l := range strings.Split(marked, "\n") {
		bare = append(bare, strings.TrimLeft(l, "# "))
	}
	a, b := Parse(marked), Parse(strings.Join(bare, "\n"))
	if len(a.Sections) != len(b.Sections) {
		t.Fatalf("%d sections marked, %d bare:\n%q\n%q", len(a.Sections), len(b.Sections), outline(a), outline(b))
	}
	for i := range a.Sections {
		sa, sb := a.Sections[i], b.Sections[i]
		if sa.Key != sb.Key || sa.Title != sb.Title || sa.Marker != sb.Marker || sa.Level != sb.Level || sa.Category != sb.Category {
			t.Errorf("section %d: marked %+v, bare %+v", i, sa, sb)
		}
		if sa.Title != "" && !strings.HasPrefix(sa.Heading, "#") {
			t.Errorf("section %d: heading %q is not as written", i, sa.Heading)
		}
	}
}

// TestParseHTMLHeadings parses testdata/htags.html, a page whose section
// titles are unnumbered <h2>–<h4> (and one role="heading"), through the
// extractor as the daemon does.
func TestParseHTMLHeadings(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "htags.html"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := extract.Content(string(page), "text/html", extract.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	doc := Parse(text)
	checkInvariants(t, doc, text)
	// <h4> is the third depth of the page's headings (h2, h3, h4; the one
	// <h1> is the title), so it is level 3 wherever it stands.
	want := []string{
		"1 purpose 개인정보의 처리 목적", "2 purpose 회원 관리", "2 purpose 도서 대출과 예약",
		"1 items 처리하는 개인정보 항목", "1 retention 개인정보의 보유 및 이용 기간",
		"1 destruction 개인정보의 파기", "3 destruction 파기 절차", "3 destruction 파기 방법",
		"1 outsourcing 개인정보 처리의 위탁", "1 rights 정보주체의 권리와 행사 방법",
		"1 officer 개인정보 보호책임자", "1 changes 개인정보처리방침의 변경",
	}
	var got []string
	for _, s := range doc.Sections[1:] {
		got = append(got, fmt.Sprintf("%d %s %s", s.Level, s.Category, s.Title))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sections:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	pre := doc.Sections[0]
	if pre.Category != CategoryPreamble || len(pre.Body) != 3 || pre.Body[0] != "# 개인정보처리방침" {
		t.Errorf("preamble %+v, want the page title and the two lines under it", pre)
	}
	if items := doc.Sections[4]; items.Heading != "## 처리하는 개인정보 항목" || items.Key != "처리하는개인정보항목" ||
		items.Body[len(items.Body)-1] != "※ 만 14세 미만 아동은 법정대리인의 동의를 받아 가입합니다." {
		t.Errorf("items section %+v: a bold line is body, not a heading", items)
	}
	checkDate(t, "announced", doc.Announced, "2025-02-20")
	checkDate(t, "effective", doc.Effective, "2025-03-01")
	if doc.Promise == nil || doc.Promise.Days != 7 {
		t.Errorf("promise %+v, want 7 days", doc.Promise)
	}
}

// TestHeadingsRunInOrSplit covers headings written on one line with their
// first sentence, split where the grammar is unambiguous (the closing
// bracket of 제N조(…), a standard title before the sentence's subject), and
// numbers set on a line of their own above their title.
func TestHeadingsRunInOrSplit(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		want  []string
		first []string // the first body line of each section, when asserted
	}{
		{"articles run into their sentence",
			"한빛도서관 개인정보 처리방침\n제1조(목적) 도서관은 회원 관리를 위하여 개인정보를 처리합니다.\n제2조(처리하는 개인정보 항목) 도서관은 이름과 연락처를 처리합니다.\n제3조(개인정보의 보유기간) 도서관은 탈퇴 시까지 보유합니다.",
			[]string{"1 제1조 목적", "1 제2조 처리하는 개인정보 항목", "1 제3조 개인정보의 보유기간"},
			[]string{"도서관은 회원 관리를 위하여 개인정보를 처리합니다.", "도서관은 이름과 연락처를 처리합니다.", "도서관은 탈퇴 시까지 보유합니다."}},
		{"a numbered title run into a sentence that opens with its subject",
			"솔빛 개인정보 처리방침\n1. 수집하는 개인정보 항목 회사는 회원가입 시 아래의 정보를 수집합니다.\n이메일, 닉네임\n2. 개인정보의 처리 목적 솔빛은 다음의 목적을 위하여 개인정보를 이용합니다.\n3. 개인정보의 파기 회사는 목적이 달성되면 지체 없이 파기합니다.",
			[]string{"1 1. 수집하는 개인정보 항목", "1 2. 개인정보의 처리 목적", "1 3. 개인정보의 파기"},
			[]string{"회사는 회원가입 시 아래의 정보를 수집합니다.", "솔빛은 다음의 목적을 위하여 개인정보를 이용합니다.", "회사는 목적이 달성되면 지체 없이 파기합니다."}},
		{"a term and its description is not a heading",
			"## 7. 쿠키의 운영\n가. 쿠키의 사용 목적 : 이용자가 방문한 서비스의 이용 형태를 파악하는 데 쓰입니다.\n나. 쿠키의 거부 : 브라우저 설정에서 거부할 수 있습니다.",
			[]string{"1 7. 쿠키의 운영"}, nil},
		{"a sentence is no title",
			"개인정보 처리방침\n1. 회사는 다음과 같은 개인정보를 수집하고 있습니다.\n2. 회사는 수집한 정보를 목적 외로 이용하지 않습니다.",
			nil, nil},
		{"the number alone above its title",
			"바다마을 개인정보 처리방침\n1.\n개인정보의 처리 목적\n회원 관리와 민원 처리를 위하여 처리합니다.\n2.\n처리하는 개인정보 항목\n이름, 휴대전화번호\n3.\n개인정보의 보유기간\n탈퇴할 때까지 보유합니다.",
			[]string{"1 1. 개인정보의 처리 목적", "1 2. 처리하는 개인정보 항목", "1 3. 개인정보의 보유기간"},
			[]string{"회원 관리와 민원 처리를 위하여 처리합니다.", "이름, 휴대전화번호", "탈퇴할 때까지 보유합니다."}},
		{"제N조 alone above its bracketed title",
			"개인정보 처리방침\n제1조\n(목적)\n이 방침은 처리 기준을 정합니다.\n제2조\n(개인정보의 보유기간)\n탈퇴할 때까지 보유합니다.",
			[]string{"1 제1조 목적", "1 제2조 개인정보의 보유기간"},
			[]string{"이 방침은 처리 기준을 정합니다.", "탈퇴할 때까지 보유합니다."}},
		{"a marked number alone above its title",
			"# 개인정보 처리방침\n## 1.\n개인정보의 처리 목적\n회원 관리\n## 2.\n개인정보의 파기\n지체 없이 파기합니다.",
			[]string{"1 1. 개인정보의 처리 목적", "1 2. 개인정보의 파기"}, nil},
		{"numbers over numbers stay as they are",
			"개인정보 처리방침\n■ 수집 항목\n1.\n2.\n이름 | 필수\n3.\n| 연락처 | 선택 |",
			[]string{"1 ■ 수집 항목"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := Parse(tt.text)
			checkInvariants(t, doc, tt.text)
			got := outline(doc)
			if tt.want == nil {
				for _, s := range doc.Sections {
					if s.Title != "" {
						t.Fatalf("sections %q, want none with a title", got)
					}
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("outline\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			k := 0
			for _, s := range doc.Sections {
				if s.Category == CategoryPreamble || k >= len(tt.first) {
					continue
				}
				if len(s.Body) == 0 || s.Body[0] != tt.first[k] {
					t.Errorf("section %q body %q, want it to start with %q", s.Title, s.Body, tt.first[k])
				}
				k++
			}
		})
	}
}

// TestTableOfContentsGivesWayToBody: a 목차 whose entries come back as the
// body's headings is kept out of the sections, whatever its form (a label
// in any markup, anywhere; entries marked as headings, with page numbers,
// two to a line, bulleted, or listing a section the body names otherwise),
// and the body's headings are the sections.
func TestTableOfContentsGivesWayToBody(t *testing.T) {
	const plainBody = "1. 개인정보의 처리 목적\n도서관은 회원 관리를 위해 처리합니다.\n2. 처리하는 개인정보 항목\n이름, 연락처\n3. 개인정보의 보유 기간\n탈퇴할 때까지 보유합니다."
	const markedBody = "## 1. 개인정보의 처리 목적\n도서관은 회원 관리를 위해 처리합니다.\n## 2. 처리하는 개인정보 항목\n이름, 연락처\n## 3. 개인정보의 보유 기간\n탈퇴할 때까지 보유합니다."
	want := []string{"1 1. 개인정보의 처리 목적", "1 2. 처리하는 개인정보 항목", "1 3. 개인정보의 보유 기간"}
	tests := []struct{ name, text string }{
		{"label after a section", "# 개인정보 처리방침\n## 안내\n도서관은 개인정보를 보호합니다.\n## 목차\n1. 개인정보의 처리 목적\n2. 처리하는 개인정보 항목\n3. 개인정보의 보유 기간\n" + markedBody},
		{"entries marked as headings", "# 개인정보 처리방침\n## 목차\n### 1. 개인정보의 처리 목적\n### 2. 처리하는 개인정보 항목\n### 3. 개인정보의 보유 기간\n" + markedBody},
		{"bold label", "개인정보 처리방침\n**목차**\n1. 개인정보의 처리 목적\n2. 처리하는 개인정보 항목\n3. 개인정보의 보유 기간\n" + plainBody},
		{"bracketed label", "개인정보 처리방침\n[ 목 차 ]\n1. 개인정보의 처리 목적\n2. 처리하는 개인정보 항목\n3. 개인정보의 보유 기간\n" + plainBody},
		{"two entries to a line", "개인정보 처리방침\n■ 목차\n1. 개인정보의 처리 목적 2. 처리하는 개인정보 항목\n3. 개인정보의 보유 기간\n" + plainBody},
		{"cells of a row", "개인정보 처리방침\n목차\n1. 개인정보의 처리 목적 | 2. 처리하는 개인정보 항목\n3. 개인정보의 보유 기간 |\n" + plainBody},
		{"page numbers and leaders", "개인정보 처리방침\n목차\n1. 개인정보의 처리 목적 ······ 2\n2. 처리하는 개인정보 항목 ······ 3\n3. 개인정보의 보유 기간 ······ 5\n" + plainBody},
		{"bulleted entries", "개인정보 처리방침\n목차\n- 1. 개인정보의 처리 목적\n- 2. 처리하는 개인정보 항목\n- 3. 개인정보의 보유 기간\n" + plainBody},
		{"an entry the body names otherwise", "개인정보 처리방침\n목차\n1. 총칙\n2. 개인정보의 처리 목적\n3. 처리하는 개인정보 항목\n4. 개인정보의 보유 기간\n" + plainBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := Parse(tt.text)
			checkInvariants(t, doc, tt.text)
			w := want
			if tt.name == "label after a section" {
				w = append([]string{"1  안내"}, want...)
			}
			if got := outline(doc); strings.Join(got, "\n") != strings.Join(w, "\n") {
				t.Fatalf("outline\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(w, "\n"))
			}
			if len(doc.TOC) < 3 {
				t.Errorf("toc %q, want its entries", doc.TOC)
			}
			for _, s := range doc.Sections {
				if s.Category != CategoryPreamble && len(s.Body) != 1 {
					t.Errorf("section %q body %q", s.Title, s.Body)
				}
				for _, b := range s.Body {
					if strings.Contains(squeeze(b), "목차") {
						t.Errorf("the table of contents is in section %q: %q", s.Title, s.Body)
					}
				}
			}
		})
	}
	// A 목차 heading over sections that never repeat is no table.
	doc := Parse("# 개인정보 처리방침\n## 목차\n## 1. 개인정보의 처리 목적\n회원 관리\n## 2. 처리하는 개인정보 항목\n이름")
	if got := outline(doc); len(got) != 3 || doc.TOC != nil {
		t.Errorf("outline %q toc %q", got, doc.TOC)
	}
}

// TestTableCaptionIsNoHeading covers class f of issue 9: a table's caption
// ("[표 2] 위탁 현황", or the line between a sentence that introduces a table
// and the table's first row) names the table, not a section; a plain title
// over a paragraph stays a heading.
func TestTableCaptionIsNoHeading(t *testing.T) {
	const head = "개인정보 처리방침\n\n개인정보의 처리 목적\n회사는 회원 관리와 서비스 제공을 위하여 개인정보를 처리합니다.\n\n"
	const tail = "\n\n개인정보 보호책임자\n성명: 김보안, 연락처: privacy@example.kr"
	tests := []struct {
		name, middle string
		want         []string
	}{
		{"caption after an introducing sentence",
			"처리하는 개인정보 항목\n회사는 다음과 같이 개인정보를 수집합니다.\n수집 항목 및 보유 기간\n구분 | 항목 | 보유 기간\n회원 가입 | 이름, 이메일 | 탈퇴 시까지",
			[]string{"1  개인정보의 처리 목적", "1  처리하는 개인정보 항목", "1  개인정보 보호책임자"}},
		{"caption by its form",
			"개인정보의 위탁\n회사는 업무를 위탁하고 있습니다.\n[표 2] 위탁 현황\n수탁자 | 위탁 업무\n한빛결제 | 결제 대행",
			[]string{"1  개인정보의 처리 목적", "1  개인정보의 위탁", "1  개인정보 보호책임자"}},
		{"angle-bracket caption",
			"개인정보의 위탁\n회사는 아래와 같이 위탁합니다:\n<표 3> 수탁자 목록\n수탁자 | 위탁 업무\n한빛결제 | 결제 대행",
			[]string{"1  개인정보의 처리 목적", "1  개인정보의 위탁", "1  개인정보 보호책임자"}},
		{"a title over a paragraph stays a heading",
			"처리하는 개인정보 항목\n회사는 다음과 같이 개인정보를 수집합니다.\n\n개인정보의 보유 기간\n회사는 탈퇴할 때까지 개인정보를 보유합니다.",
			[]string{"1  개인정보의 처리 목적", "1  처리하는 개인정보 항목", "1  개인정보의 보유 기간", "1  개인정보 보호책임자"}},
		{"a title over a table without an introduction stays a heading",
			"처리하는 개인정보 항목\n회원 정보를 처리합니다.\n\n개인정보의 위탁\n수탁자 | 위탁 업무\n한빛결제 | 결제 대행",
			[]string{"1  개인정보의 처리 목적", "1  처리하는 개인정보 항목", "1  개인정보의 위탁", "1  개인정보 보호책임자"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := head + tt.middle + tail
			doc := Parse(text)
			checkInvariants(t, doc, text)
			if got := outline(doc); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("outline\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	for _, s := range []string{"[표 1] 수집 항목", "<표 2>", "〈표 3〉 위탁 현황", "표 4. 보유 기간", "[Table 1] Items"} {
		if !captionLine(s) {
			t.Errorf("captionLine(%q) = false, want a caption", s)
		}
	}
	for _, s := range []string{"표시 방법", "표준 개인정보 보호지침", "1. 수집 항목", "[수집 항목]", "표현의 자유"} {
		if captionLine(s) {
			t.Errorf("captionLine(%q) = true, want no caption", s)
		}
	}
}

// TestMarkerAloneOverADateLine: a numbering marker alone on its line joins
// the title on the next line (class e of issue 9), but never a line that
// states a date, whose heading key would then change with the date (found
// by FuzzDatesOnly: a date-only edit reported as a modified section).
func TestMarkerAloneOverADateLine(t *testing.T) {
	for _, date := range []string{"2024-01-02", "2024-01-03"} {
		text := "1)\n개정일 " + date + "\n최종 수정일: 2024/01/09\n2.\n개인정보의 처리 목적\n회원 관리를 위해 처리합니다."
		doc := Parse(text)
		checkInvariants(t, doc, text)
		got := strings.Join(outline(doc), "\n")
		if !strings.Contains(got, "개인정보의 처리 목적") || strings.Contains(got, date) {
			t.Errorf("outline with %s:\n%s\nwant the numbered title joined and no heading holding the date", date, got)
		}
	}
}
