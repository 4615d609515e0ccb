package extract

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestGolden extracts the fixtures in testdata (HTML pages and a Markdown
// file written in the styles of Korean policies) and compares the text
// with testdata/<name>.golden. Run with -update to rewrite the goldens.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		var mediaType string
		switch filepath.Ext(path) {
		case ".html":
			mediaType = "text/html; charset=utf-8"
		case ".md":
			mediaType = "text/markdown"
		case ".txt":
			mediaType = "text/plain"
		default:
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			page, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Content(string(page), mediaType, Rules{})
			if err != nil {
				t.Fatal(err)
			}
			checkContract(t, got)
			golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
			}
			if diff := lineDiff(strings.Split(strings.TrimSuffix(string(want), "\n"), "\n"), strings.Split(got, "\n")); diff != "" {
				t.Errorf("output differs from %s (rerun with -update if the change is intended, and bump Version):\n%s", golden, diff)
			}
		})
	}
	if n == 0 {
		t.Fatal("no fixtures in testdata")
	}
}

// TestGoldenFixtureFacts pins what each fixture exists to show, so that a
// careless -update cannot bless a regression.
func TestGoldenFixtureFacts(t *testing.T) {
	tests := []struct {
		file    string
		has     []string
		hasNot  []string
		first   string
		lastHas string
	}{
		{
			file:    "consignment_table.html",
			first:   "### 한빛마켓 개인정보처리방침",
			has:     []string{"#### 제5조(개인정보 처리업무의 위탁)", "수탁업체 | 위탁업무 내용 | 보유 및 이용기간", "(주)가람페이먼츠 | 신용카드·계좌이체 결제 처리 결제 도용 방지 | 회원 탈퇴 시 또는 위탁계약 종료 시까지", "나래택배 주식회사 | 상품 배송 반품 회수", "이전되는 국가 | 미국", "개인정보 처리 위탁 현황"},
			hasNot:  []string{"gtag", "이벤트", "HANBIT", "| |"},
			lastHas: "2025년 3월 1일부터 시행",
		},
		{
			file:    "nested_lists.html",
			first:   "# 개인정보 처리방침",
			has:     []string{"## 제1조 (처리하는 개인정보 항목)", "공고일자: 2024년 12월 20일 · 시행일자: 2025년 1월 1일", "회원가입 시", "필수: 이메일 주소, 비밀번호, 닉네임", "생년월일은 연령 확인 용도로만 이용합니다.", "3년", "※ 개인정보 보유 기간이 지나면 지체 없이 파기합니다."},
			hasNot:  []string{"많이 본 도움말", "새벽숲", "이용약관"},
			lastHas: "2025년 1월 1일부터 적용",
		},
		{
			file:    "br_lines_nbsp.html",
			first:   "개인정보 처리방침",
			has:     []string{"가. 진료 예약 : 성명, 휴대전화번호, 희망 진료일", "다. 제증명 발급 : 성명, 주민등록번호(법령에 따른 경우에 한함)", "2. 개인정보의 보유 및 이용기간", "진료기록부는 「의료법 시행규칙」 제15조에 따라 10년간 보존합니다."},
			hasNot:  []string{"\u00a0", "\u3000", "\u200b", "\ufeff", "본문 바로가기", "어딘가구", "바탕글"},
			lastHas: "공고일자 : 2025. 2. 10. / 시행일자 : 2025. 2. 17.",
		},
		{
			file:    "past_versions.html",
			first:   "### 개인정보처리방침",
			has:     []string{"2025. 4. 1. 시행 (현재)", "2024. 7. 15. 시행", "2021. 6. 1. 시행", "1. 개인정보의 수집 항목", "부칙"},
			hasNot:  []string{"2024년판", "2023년판", "관리자 메모", "★", "a8f3e1c2", "오늘 하루", "마케팅 목적", "자주 묻는 질문", "국내여행", "사업자등록번호", "schema.org", "addEventListener"},
			lastHas: "(공고일: 2025년 3월 25일)",
		},
		{
			file:    "textarea_signup.html",
			first:   "■ 개인정보의 수집·이용 목적",
			has:     []string{"필수 : 성명, 생년월일, 휴대전화번호, 주소"},
			hasNot:  []string{"제1조(목적)", "처음으로", "chkAgree", "가입하기"},
			lastHas: "시행일 : 2024년 9월 1일",
		},
		{
			file:    "app_policy.md",
			first:   "# 오늘메모 개인정보 처리방침",
			has:     []string{"시행일자: 2025년 5월 1일", "구분 | 항목 | 수집 시점", "자동 | 기기 모델, OS 버전, 앱 버전 | 앱 실행", "백업 주기: 매일 03:00~04:00 사이", "1. 회원 탈퇴 시 지체 없이 파기합니다.", "예) 전자상거래법에 따른 결제 기록: 5년", "## 1. 수집하는 개인정보 항목", "## 개인정보의 제3자 제공", "### 3. 개인정보 보호책임자", "문의 페이지: 문의하기", "성명 / 연락처 / 요청 내용"},
			hasNot:  []string{"layout:", "permalink", "지난 버전", "로고", "https://", "**", "~~", "[x]", "```", "***", "---"},
			lastHas: "이전 방침은 여기에서 볼 수 있습니다.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			mt := "text/html"
			if strings.HasSuffix(tt.file, ".md") {
				mt = "text/markdown"
			}
			got, err := Content(string(page), mt, Rules{})
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(got, "\n")
			if lines[0] != tt.first {
				t.Errorf("first line %q, want %q", lines[0], tt.first)
			}
			if last := lines[len(lines)-1]; !strings.Contains(last, tt.lastHas) {
				t.Errorf("last line %q, want it to contain %q", last, tt.lastHas)
			}
			for _, want := range tt.has {
				if !containsLine(lines, want) {
					t.Errorf("no line %q in:\n%s", want, got)
				}
			}
			for _, bad := range tt.hasNot {
				if strings.Contains(got, bad) {
					t.Errorf("output contains %q", bad)
				}
			}
		})
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestHTMLStructure(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"inline elements do not break", `<p>개인<b>정보</b>는 <a href="#">소중</a><span>합니다</span>.</p>`, "개인정보는 소중합니다."},
		{"source newlines are spaces", "<p>개인정보\n   처리\t방침</p>", "개인정보 처리 방침"},
		{"br breaks lines", "<p>첫째 줄<br>둘째 줄<br/><br>셋째 줄</p>", "첫째 줄\n둘째 줄\n셋째 줄"},
		{"divs are blocks", "<div>가<div>나</div>다</div>", "가\n나\n다"},
		{"headings carry their level", "<h1>개인정보 처리방침</h1><h2>제1조</h2><p>목적</p><h6>부칙</h6>", "# 개인정보 처리방침\n## 제1조\n목적\n###### 부칙"},
		{"a heading is one line", "<h3> 제2조<br>(수집 <b>항목</b>)<p>필수</p></h3><p>본문</p>", "### 제2조 (수집 항목) 필수\n본문"},
		{"empty headings are dropped", "<p>가</p><h2></h2><h3>&#8203;&nbsp;</h3><h4><img alt=\"x\"></h4><p>나</p>", "가\n나"},
		{"role heading with aria-level", `<div role="heading" aria-level="4">보유 기간</div><span role="heading">파기</span><div role="heading" aria-level="9">깊음</div>`, "#### 보유 기간\n## 파기\n###### 깊음"},
		{"aria-level on an h tag", `<h2 aria-level="3">제3조</h2>`, "### 제3조"},
		{"presentation role is no heading", `<h2 role="presentation">장식</h2><h3 role="none">없음</h3>`, "장식\n없음"},
		{"bold pseudo-headings are not marked", "<p><b>1. 수집 항목</b></p><p><strong>제2조(목적)</strong></p><div><b>■ 파기</b></div>", "1. 수집 항목\n제2조(목적)\n■ 파기"},
		{"nested headings are one", "<h2>가<h3>나</h3></h2><div role=\"heading\"><h4>다</h4></div>", "## 가\n### 나\n## 다"},
		{"heading in a data row is text", "<table><tr><th><h4>구분</h4></th><td>내용</td></tr><tr><td></td><td><h5>합계</h5></td></tr><tr><td><h4>위탁 현황</h4></td></tr></table>", "구분 | 내용\n##### 합계\n#### 위탁 현황"},
		{"heading in a layout cell stays", "<table><tr><td>메뉴</td><td><h2>제1조(목적)</h2><table><tr><td>a</td><td>b</td></tr></table></td></tr></table>", "메뉴\n## 제1조(목적)\na | b"},
		{"a table in a heading is part of its line", "<h2>제1조<table><tr><td>가</td><td><h4>나</h4></td></tr><tr><td><h5>다</h5></td></tr></table>목적</h2><p>본문</p>", "## 제1조 가 | 나 다 목적\n본문"},
		{"heading inside pre", "<pre><h3>제목\n둘째</h3>본문</pre>", "### 제목 둘째\n본문"},
		{"list items are lines", "<ul><li>하나</li><li>둘<ul><li>둘-가</li></ul></li></ul><ol><li>셋</li></ol>", "하나\n둘\n둘-가\n셋"},
		{"definition lists", "<dl><dt>보유기간</dt><dd>5년</dd></dl>", "보유기간\n5년"},
		{"pre keeps lines", "<pre>\n제1조   목적\n\n  제2조 정의\n</pre>", "제1조 목적\n제2조 정의"},
		{"table rows joined", "<table><tr><th>업체</th><th>업무</th></tr><tr><td>가<br>나</td><td><p>배송</p></td></tr></table>", "업체 | 업무\n가 나 | 배송"},
		{"empty cells kept between, empty rows dropped", "<table><tr><td>a</td><td> </td><td>c</td></tr><tr><td>&nbsp;</td><td></td></tr></table>", "a | | c"},
		{"layout table cells are blocks", "<table><tr><td>메뉴</td><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>", "메뉴\nx | y"},
		{"select options are lines", `<select><option>2025-01-01 시행</option><optgroup label="x"><option>2024-01-01 시행</option></optgroup></select>`, "2025-01-01 시행\n2024-01-01 시행"},
		{"textarea keeps lines", "<textarea>가\n나</textarea>", "가\n나"},
		{"noise removed", `<p>본문</p><script>var a="x"</script><style>p{}</style><noscript>nojs</noscript><template><p>tpl</p></template><svg><text>svg</text></svg><iframe src="x"></iframe><object>obj</object><canvas>cv</canvas><!-- 주석 -->`, "본문"},
		{"hidden removed", `<p>보임</p><p hidden>a</p><p aria-hidden="true">b</p><p aria-hidden="false">c</p><p style="color:red; DISPLAY : none">d</p><p style="visibility:hidden!important">e</p><p style="display:block">f</p><input type="hidden" value="g"><dialog>h</dialog><dialog open>i</dialog>`, "보임\nc\nf\ni"},
		{"unicode spaces", "<p>가\u00a0\u00a0나\u3000다\u2003라\u200b마\ufeff</p>", "가 나 다 라마"},
		{"NFC", "<p>\u1100\u1161\u11a8 e\u0301</p>", "각 é"},
		{"full-width letters kept", "<p>ＡＢＣ１２３</p>", "ＡＢＣ１２３"},
		{"entities decoded", "<p>&lt;회사&gt; &amp; &#44060;&#51064;&#51221;&#48372;</p>", "<회사> & 개인정보"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HTML("<html><body>"+tt.body+"</body></html>", Rules{})
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			checkContract(t, got)
		})
	}
}

const policyBox = `<div id="policy"><h2>개인정보 처리방침</h2><p>회사는 개인정보를 안전하게 처리합니다. 수집한 개인정보는 목적 외로 이용하지 않습니다.</p>
<p>개인정보의 보유 기간은 회원 탈퇴 시까지이며, 관계 법령이 정한 경우에는 그 기간 동안 개인정보를 보관합니다.</p>
<p>이용자는 언제든지 개인정보의 열람, 정정, 삭제, 처리정지를 요구할 수 있습니다.</p>
<p>개인정보 보호책임자에게 문의하면 지체 없이 답변하겠습니다. 개인정보 침해 신고는 관계 기관에 할 수 있습니다.</p></div>`

const policyText = "## 개인정보 처리방침\n회사는 개인정보를 안전하게 처리합니다. 수집한 개인정보는 목적 외로 이용하지 않습니다.\n" +
	"개인정보의 보유 기간은 회원 탈퇴 시까지이며, 관계 법령이 정한 경우에는 그 기간 동안 개인정보를 보관합니다.\n" +
	"이용자는 언제든지 개인정보의 열람, 정정, 삭제, 처리정지를 요구할 수 있습니다.\n" +
	"개인정보 보호책임자에게 문의하면 지체 없이 답변하겠습니다. 개인정보 침해 신고는 관계 기관에 할 수 있습니다."

// TestChoose covers the policy-box heuristic without a selector.
func TestChoose(t *testing.T) {
	menu := `<div id="lnb"><ul><li>회사소개</li><li>공지사항</li><li>자주 묻는 질문</li><li>1:1 문의</li><li>이용약관</li><li>개인정보처리방침</li><li>이메일무단수집거부</li></ul></div>`
	tests := []struct {
		name, body, want string
	}{
		{"side menu left out", `<div id="wrap">` + menu + `<div id="contents">` + policyBox + `</div></div>`, policyText},
		{"title next to the box comes along", `<div id="wrap">` + menu + `<div id="contents"><h3>개인정보처리방침</h3>` + policyBox + `</div></div>`, "### 개인정보처리방침\n" + policyText},
		{"addendum with dates next to the box comes along", `<div id="wrap">` + menu + `<div id="contents">` + policyBox + `<div class="add"><p>부칙</p><p>이 방침은 2025년 1월 1일부터 시행합니다.</p></div></div></div>`, policyText + "\n부칙\n이 방침은 2025년 1월 1일부터 시행합니다."},
		{"unrelated neighbour left out", `<div id="contents">` + policyBox + `<div class="banner"><p>지금 가입하면 3,000원 할인 쿠폰을 드립니다</p></div></div>`, policyText},
		{"article taken whole", `<div>` + menu + `<article><p class="meta">작성자 운영팀 · 조회수 1,234 · 2025.01.01</p>` + policyBox + `<p>목록으로 돌아가기</p></article></div>`, "작성자 운영팀 · 조회수 1,234 · 2025.01.01\n" + policyText + "\n목록으로 돌아가기"},
		{"page-level header and footer dropped, article ones kept", `<header>사이트 머리말 개인정보</header><article><header><h1>머리</h1></header>` + policyBox + `<footer>시행일: 2025-01-01</footer></article><footer>사이트 꼬리말 개인정보</footer>`, "# 머리\n" + policyText + "\n시행일: 2025-01-01"},
		{"landmark roles dropped", `<div role="navigation">개인정보처리방침 메뉴</div><div role="banner">배너</div>` + policyBox + `<div role="contentinfo">개인정보 꼬리말</div>`, policyText},
		{"keyword only in a link: whole body", `<div><p>서비스 점검 중입니다. 잠시 후 다시 접속해 주세요.</p><p>불편을 드려 죄송합니다.</p></div><div class="links"><a href="/privacy">개인정보처리방침</a></div>`, "서비스 점검 중입니다. 잠시 후 다시 접속해 주세요.\n불편을 드려 죄송합니다.\n개인정보처리방침"},
		{"no keyword: whole body", `<div>가</div><div>나</div>`, "가\n나"},
		{"keyword split by inline tags and spaces", `<div class="menu"><p>홈 소개 공지 문의 지도 채용</p></div><div id="p"><p><b>개인</b>정보는 안전하게 보관합니다. 이 문장은 충분히 길어서 본문으로 뽑혀야 합니다.</p><p>개인 정보의 파기 절차를 안내합니다. 이 문장도 충분히 깁니다.</p><p>개인&nbsp;정보 보호책임자를 둡니다.</p></div>`, "개인정보는 안전하게 보관합니다. 이 문장은 충분히 길어서 본문으로 뽑혀야 합니다.\n개인 정보의 파기 절차를 안내합니다. 이 문장도 충분히 깁니다.\n개인 정보 보호책임자를 둡니다."},
		{"english page", `<div class="nav-like"><p>Home Blog Shop Careers Contact Investors</p></div><div id="pp"><h1>Privacy Policy</h1><p>This privacy policy explains what we collect, why we collect it and how long we keep it.</p><p>We keep your data private; see our privacy choices below and write to our privacy officer with any question.</p><p>Changes to this privacy policy are announced seven days before they take effect.</p></div>`, "# Privacy Policy\nThis privacy policy explains what we collect, why we collect it and how long we keep it.\nWe keep your data private; see our privacy choices below and write to our privacy officer with any question.\nChanges to this privacy policy are announced seven days before they take effect."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HTML("<html><body>"+tt.body+"</body></html>", Rules{})
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestRules(t *testing.T) {
	page := `<html><body><div class="popup">개인정보 팝업</div>
<div id="a"><p>첫째 개인정보</p><div class="ad">광고</div><div id="inner"><p>안쪽</p></div></div>
<div id="b"><p>둘째</p></div><div id="hid" style="display:none"><p>숨김</p></div></body></html>`
	tests := []struct {
		name    string
		rules   Rules
		want    string
		wantErr error
	}{
		{"selector", Rules{Selector: "#b"}, "둘째", nil},
		{"union in document order", Rules{Selector: "#b, #a"}, "첫째 개인정보\n광고\n안쪽\n둘째", nil},
		{"nested matches once", Rules{Selector: "#a, #inner"}, "첫째 개인정보\n광고\n안쪽", nil},
		{"exclude", Rules{Selector: "#a", Exclude: []string{".ad", "#inner"}}, "첫째 개인정보", nil},
		{"exclude order does not matter", Rules{Selector: "#a", Exclude: []string{"#inner", ".ad"}}, "첫째 개인정보", nil},
		// Without a selector this page is too small for a policy box: the
		// whole body is kept, minus the excludes.
		{"exclude without selector", Rules{Exclude: []string{".popup", ".ad"}}, "첫째 개인정보\n안쪽\n둘째", nil},
		{"structural exclude sees the original tree", Rules{Selector: "#a", Exclude: []string{".ad", "#a > :nth-child(2)"}}, "첫째 개인정보\n안쪽", nil},
		{"no match", Rules{Selector: "#policy"}, "", ErrNoContent},
		{"only hidden match", Rules{Selector: "#hid"}, "", ErrNoContent},
		{"everything excluded", Rules{Selector: "#b", Exclude: []string{"#b p"}}, "", ErrNoContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HTML(page, tt.rules)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}

	for _, r := range []Rules{{Selector: "div["}, {Exclude: []string{"p", ":nope("}}} {
		_, err := HTML(page, r)
		if err == nil || errors.Is(err, ErrNoContent) || !strings.HasPrefix(err.Error(), "extract: invalid") {
			t.Errorf("%+v: error %v, want an invalid selector error", r, err)
		}
		if r.Validate() == nil {
			t.Errorf("%+v: Validate accepted an invalid selector", r)
		}
	}
	if err := (Rules{Selector: "#policy", Exclude: []string{".a", "nav"}}).Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if _, err := HTML("<html><body><p> \u00a0 </p></body></html>", Rules{}); !errors.Is(err, ErrNoContent) {
		t.Errorf("empty page: error %v, want ErrNoContent", err)
	}
}

func TestFingerprint(t *testing.T) {
	base := Rules{Selector: "#policy", Exclude: []string{".popup", "nav"}}
	fp := base.Fingerprint()
	if len(fp) != 64 || strings.Trim(fp, "0123456789abcdef") != "" {
		t.Fatalf("fingerprint %q is not 64 hex digits", fp)
	}
	// Pinned: a change here changes every stored version's rules. Update
	// it only together with Version.
	const pinned = "501db3b37a38bca0c1c7ed80c0e44fb1a750dfb88b76455baf7d45ad0b2fb076"
	if fp != pinned {
		t.Errorf("fingerprint %s, pinned %s: bump Version when extraction output changes", fp, pinned)
	}
	same := []Rules{
		{Selector: " #policy ", Exclude: []string{"nav", ".popup"}},
		{Selector: "#policy", Exclude: []string{".popup", " nav", "", "nav"}},
	}
	for _, r := range same {
		if r.Fingerprint() != fp {
			t.Errorf("%+v: fingerprint differs from %+v", r, base)
		}
	}
	different := []Rules{
		{},
		{Selector: "#policy"},
		{Selector: "#policy2", Exclude: []string{".popup", "nav"}},
		{Selector: "#policy", Exclude: []string{".popup"}},
		{Selector: "#policy", Exclude: []string{".popup", "nav", "aside"}},
		{Exclude: []string{"#policy"}},
	}
	seen := map[string]Rules{fp: base}
	for _, r := range different {
		f := r.Fingerprint()
		if prev, ok := seen[f]; ok {
			t.Errorf("%+v and %+v share fingerprint %s", r, prev, f)
		}
		seen[f] = r
	}
}
