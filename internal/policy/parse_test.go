package policy

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/monitord/monitord/internal/extract"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

type wantSection struct {
	level  int
	marker string
	title  string
}

// seedSections are the sections of each seed after its preamble, verified by
// reading each seed: 000 has lost its numbered headings (only the bracketed
// ones remain; its one-line table of contents is dropped), 001 numbers
// "5." and "6." twice, 004 starts with a table of contents 1-10.
var seedSections = map[string][]wantSection{
	"000_cec9ec66c169bd27.txt": {
		{1, "[]", "홈페이지 회원가입 시 수집항목"},
		{1, "[]", "개인정보 수집방법"},
		{1, "[]", "홈페이지 회원정보"},
		{1, "[]", "홈페이지 회원정보"},
		{1, "[]", "파기절차"},
		{1, "[]", "파기방법"},
	},
	"001_a7ab035150f2d8ff.txt": {
		{1, "1.", "개인 정보의 처리 목적"},
		{1, "2.", "개인 정보의 처리 및 보유기간"},
		{1, "3.", "개인 정보의 제3자 제공"},
		{1, "4.", "개인 정보처리 위탁"},
		{1, "5.", "정보주체의 권리, 의무 및 그 행사방법"},
		{1, "6.", "처리하는 개인 정보의 항목 작성"},
		{2, "<>", "암호화"},
		{1, "5.", "개인 정보의 파기"},
		{1, "6.", "개인 정보의 안전성 확보 조치"},
		{2, "①", "정기적인 자체 감사 실시"},
		{2, "②", "개인 정보 취급 직원의 최소화 및 교육"},
		{2, "③", "내부관리 계획의 수립 및 시행"},
		{1, "7.", "개인 정보보호 책임자 작성"},
		{2, "-", "개인 정보보호 책임자"},
		{2, "-", "개인 정보보호 담당 부서"},
		{1, "8.", "개인 정보처리 방침 변경"},
		{2, "-", "수집하는 개인 정보 항목"},
		{2, "-", "회원관리"},
		{2, "-", "마케팅 및 광고에 활용"},
		{2, "-", "개인 정보의 보유 및 이용 기간"},
	},
	"002_0264f804214da479.txt": {
		{1, "■", "수집하는 개인정보 항목"},
		{1, "■", "개인정보의 수집 및 이용목적"},
		{1, "■", "개인정보의 보유 및 이용기간"},
		{1, "■", "개인정보의 파기절차 및 방법"},
		{2, "○", "파기절차"},
		{2, "○", "파기방법"},
		{1, "■", "개인정보 제공"},
		{1, "■", "수집한 개인정보의 위탁"},
		{1, "■", "이용자 및 법정대리인의 권리와 그 행사방법"},
		{1, "■", "개인정보 자동수집 장치의 설치, 운영 및 그 거부에 관한 사항"},
		{2, "▶", "쿠키 등 사용 목적"},
		{2, "▶", "쿠키 설정 거부 방법"},
		{1, "■", "개인정보에 관한 민원서비스"},
	},
	"003_7d750a2fdc7bddd1.txt": {
		{1, "■", "개인정보의 수집 및 이용목적"},
		{2, "o", "서비스 제공에 관한 계약 이행 및 서비스 제공에 따른 요금정산"},
		{2, "o", "회원 관리"},
		{2, "o", "서비스 개발"},
		{2, "o", "마케팅 및 광고에 활용"},
		{1, "■", "수집하는 개인정보 항목 및 수집방법"},
		{2, "가.", "수집하는 개인정보의 항목"},
		{2, "나.", "수집방법"},
		{1, "■", "개인정보의 보유 및 이용기간"},
		{1, "■", "개인정보의 파기절차 및 방법"},
		{2, "o", "파기절차"},
		{2, "o", "파기방법"},
		{1, "■", "개인정보의 제 3자 제공"},
		{1, "■", "민감정보의 수집 및 이용 동의"},
		{1, "■", "수집한 개인정보의 위탁"},
		{1, "■", "이용자 및 법정대리인의 권리와 그 행사방법"},
		{1, "■", "개인정보 자동수집 장치의 설치, 운영 및 그 거부에 관한 사항"},
		{2, "o", "쿠키 등 사용 목적"},
		{2, "o", "쿠키 설정 거부 방법"},
		{1, "■", "개인정보의 안전성 확보조치"},
		{1, "■", "개인정보에 관한 민원서비스"},
		{2, "o", "개인정보보호담당자"},
	},
	"004_bcb941fa3dfb8591.txt": {
		{1, "1.", "수집하는 개인정보의 항목 수집방법"},
		{2, "가.", "수집하는 개인정보의 항목"},
		{3, "<>", "일반/해외거주자 회원가입"},
		{2, "나.", "개인정보 수집방법"},
		{1, "2.", "개인정보의 수집 이용목적"},
		{1, "3.", "개인정보의 보유 이용기간"},
		{2, "①", "본인확인에 관한 기록"},
		{2, "②", "계약 또는 청약철회 등에 관한 기록"},
		{2, "③", "대금결제 및 재화 등의 공급에 관한 기록"},
		{2, "④", "소비자의 불만 또는 분쟁처리에 관한 기록"},
		{2, "⑤", "전자계산서 발급에 관한 기록"},
		{1, "4.", "개인정보 파기절차 방법"},
		{2, "가.", "파기절차"},
		{2, "나.", "파기방법"},
		{1, "5.", "개인정보 공유 제공"},
		{1, "6.", "수집한 개인정보 처리위탁업무 내용 수탁자"},
		{1, "7.", "이용자 법정대리인의 권리와 행사방법"},
		{1, "8.", "개인정보의 기술적/관리적 보호 대책"},
		{2, "①", "비밀번호 암호화"},
		{2, "②", "해킹 등에 대비한 기술적 대책"},
		{2, "③", "처리직원 최소화 및 교육"},
		{2, "④", "개인정보보호전담기구의 운영"},
		{1, "9.", "개인정보 관리책임자 담당자의 소속-성명 연락처"},
		{1, "10.", "고지의 의무"},
	},
}

func TestParseSeeds(t *testing.T) {
	tests := []struct {
		file                 string
		announced, effective string
		toc                  int
		categories           map[string]Category // title -> category, spot checks
		promiseDays          int
		history              []string
	}{
		{file: "000_cec9ec66c169bd27.txt", toc: 12,
			categories: map[string]Category{"개인정보 수집방법": CategoryItems, "파기방법": CategoryDestruction}},
		{file: "001_a7ab035150f2d8ff.txt", promiseDays: 7,
			categories: map[string]Category{"개인 정보의 제3자 제공": CategoryThirdParty, "개인 정보처리 위탁": CategoryOutsourcing,
				"정보주체의 권리, 의무 및 그 행사방법": CategoryRights, "개인 정보의 파기": CategoryDestruction,
				"개인 정보처리 방침 변경": CategoryChanges, "정기적인 자체 감사 실시": CategorySafety}},
		{file: "002_0264f804214da479.txt",
			categories: map[string]Category{"개인정보 자동수집 장치의 설치, 운영 및 그 거부에 관한 사항": CategoryCookies,
				"쿠키 설정 거부 방법": CategoryCookies, "개인정보에 관한 민원서비스": CategoryOfficer, "수집한 개인정보의 위탁": CategoryOutsourcing}},
		{file: "003_7d750a2fdc7bddd1.txt", announced: "2024-02-21", effective: "2024-02-21", history: []string{"2024-02-21"},
			categories: map[string]Category{"민감정보의 수집 및 이용 동의": CategorySensitive, "개인정보의 수집 및 이용목적": CategoryPurpose,
				"수집하는 개인정보 항목 및 수집방법": CategoryItems, "개인정보의 안전성 확보조치": CategorySafety}},
		{file: "004_bcb941fa3dfb8591.txt", announced: "2023-09-15", effective: "2023-09-25", toc: 10, promiseDays: 7,
			categories: map[string]Category{"고지의 의무": CategoryChanges, "개인정보의 보유 이용기간": CategoryRetention,
				"본인확인에 관한 기록": CategoryRetention, "개인정보 관리책임자 담당자의 소속-성명 연락처": CategoryOfficer}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := Parse(readShared(t, filepath.Join("seeds", tt.file)))
			var got []wantSection
			for _, s := range doc.Sections {
				if s.Category == CategoryPreamble {
					continue
				}
				got = append(got, wantSection{s.Level, s.Marker, s.Title})
			}
			want := seedSections[tt.file]
			if len(got) != len(want) {
				t.Errorf("got %d sections, want %d", len(got), len(want))
			}
			for i := 0; i < len(got) && i < len(want); i++ {
				if got[i] != want[i] {
					t.Errorf("section %d = %+v, want %+v", i, got[i], want[i])
				}
			}
			checkDate(t, "announced", doc.Announced, tt.announced)
			checkDate(t, "effective", doc.Effective, tt.effective)
			if len(doc.TOC) != tt.toc {
				t.Errorf("TOC has %d entries, want %d: %q", len(doc.TOC), tt.toc, doc.TOC)
			}
			for title, cat := range tt.categories {
				found := false
				for _, s := range doc.Sections {
					if s.Title == title {
						found = true
						if s.Category != cat {
							t.Errorf("category of %q = %s, want %s", title, s.Category, cat)
						}
					}
				}
				if !found {
					t.Errorf("no section titled %q", title)
				}
			}
			switch {
			case tt.promiseDays == 0 && doc.Promise != nil:
				t.Errorf("promise = %+v, want none", doc.Promise)
			case tt.promiseDays != 0 && (doc.Promise == nil || doc.Promise.Days != tt.promiseDays):
				t.Errorf("promise = %+v, want %d days", doc.Promise, tt.promiseDays)
			}
			var hist []string
			for _, h := range doc.History {
				hist = append(hist, h.From.String())
			}
			if strings.Join(hist, ",") != strings.Join(tt.history, ",") {
				t.Errorf("history = %v, want %v", hist, tt.history)
			}
			checkInvariants(t, doc, readShared(t, filepath.Join("seeds", tt.file)))
		})
	}
}

func checkDate(t *testing.T, name string, got *DateRef, want string) {
	t.Helper()
	switch {
	case want == "" && got != nil:
		t.Errorf("%s = %s (line %d), want none", name, got.Date, got.Line)
	case want != "" && got == nil:
		t.Errorf("%s missing, want %s", name, want)
	case want != "" && got.Date.String() != want:
		t.Errorf("%s = %s (line %d %q), want %s", name, got.Date, got.Line, got.Text, want)
	}
}

// corpusCase is what was verified by reading one real document of
// ../shared/corpus/real. Fields left empty are not asserted.
type corpusCase struct {
	file                          string
	announced, effective, revised string
	label                         string // of the effective date
	promise, important            int
	titles                        []string            // in order, a prefix of the top-level titles
	top                           int                 // number of top-level sections, when verified
	subs                          []string            // level-2 titles that must appear, in order
	categories                    map[string]Category // title -> category
	toc                           int
}

var corpusCases = []corpusCase{
	{file: "bobpool/v03_2025-09-24.md", effective: "2025-09-24", revised: "2025-09-24", label: "시행일자", promise: 7, important: 30,
		titles: []string{"개인정보의 처리목적", "개인정보의 처리 및 보유기간", "개인정보의 제3자 제공", "개인정보처리의 위탁"}},
	{file: "binary-podojam-legal-documents/v04_2020-07-01.md", announced: "2020-07-01", effective: "2020-07-08", label: "시행일자", promise: 7,
		titles: []string{"수집하는 개인정보의 항목 및 수집방법", "개인정보의 수집 및 이용 목적", "개인정보의 제3자 제공에 관한 사항", "개인정보의 처리 및 보유 기간"}},
	// 1.1-1.3 are subsections even though "이용자가 …" opens like a sentence.
	{file: "crux-legal/v03_2026-03-25.md", effective: "2026-03-25", label: "시행일", top: 10,
		titles: []string{"수집하는 개인정보 항목 및 수집 방법", "개인정보의 수집 및 이용 목적", "개인정보의 제3자 제공"},
		subs:   []string{"이용자가 직접 제공하는 정보", "자동으로 수집되는 정보", "Apple 서비스를 통한 정보 처리"}},
	{file: "grablo-general/v02_2024-07-08.md", effective: "2024-08-01", label: "부터 시행", promise: 7,
		titles: []string{"목적", "개인정보 처리의 원칙", "본 방침의 공개", "본 방침의 변경"}},
	{file: "today-path/v07_2026-04-10.md", effective: "2026-04-09", label: "시행일", promise: 7,
		titles: []string{"기본 원칙 — 로컬 우선", "수집 및 처리 항목", "앱 권한"}},
	{file: "uniquetrack/v01_2022-06-05.html", effective: "2022-01-01", label: "부터 적용",
		titles: []string{"개인정보의 처리 목적", "개인정보의 처리 및 보유 기간", "처리하는 개인정보의 항목"}},
	{file: "gomsanglab-lostarkwiki/v01_2019-04-09.txt", effective: "2019-04-09", label: "부터 시행", promise: 7},
	// "제1조. 제목": a dot after 조; "1. …" inside 제2조 is a subsection.
	{file: "1365-volunteer/v02_2026-03-17.html", effective: "2025-06-30", label: "부터 적용", top: 16,
		titles: []string{"개인정보의 처리목적", "개인정보파일 등록 현황", "14세 미만 아동의 개인정보 처리에 관한 사항",
			"개인정보의 영향평가 수행 결과", "개인정보의 처리 및 보유기간", "개인정보의 파기 절차 및 방법에 관한 사항",
			"개인정보의 제3자 제공에 관한 사항", "개인정보 처리업무의 위탁에 관한 사항", "개인정보의 안전성 확보조치에 관한 사항",
			"정보주체와 법정대리인의 권리·의무 및 행사방법에 관한 사항", "개인정보 자동 수집 장치의 설치·운영 및 그 거부에 관한 사항",
			"정보주체의 권익침해에 대한 구제방법",
			"개인정보 보호(분야별)책임자의 성명 또는 개인정보 업무 담당부서 및 고충사항을 처리하는 부서에 관한 사항",
			"개인정보 보호수준 평가 결과"},
		subs: []string{"정보주체의 동의를 받아 처리하는 개인정보 항목"},
		categories: map[string]Category{
			"개인정보 보호(분야별)책임자의 성명 또는 개인정보 업무 담당부서 및 고충사항을 처리하는 부서에 관한 사항": CategoryOfficer,
			"14세 미만 아동의 개인정보 처리에 관한 사항":                                  CategoryChildren, "개인정보 처리방침 변경": CategoryChanges,
			"정보주체의 권익침해에 대한 구제방법": CategoryRemedies, "개인정보의 파기 절차 및 방법에 관한 사항": CategoryDestruction}},
	{file: "1365-volunteer/v01_2025-10-01.html", effective: "2025-06-30", label: "부터 적용", top: 16,
		titles: []string{"개인정보의 처리목적", "개인정보파일 등록 현황"}},
	{file: "dabit/v01_2026-04-26.md", effective: "2026-05-01", label: "시행일자", promise: 7, top: 11,
		categories: map[string]Category{"광고 식별자에 관한 사항": CategoryCookies, "개인정보처리방침의 변경": CategoryChanges}},
	{file: "day-23-policy/v01_2023-06-04.md", effective: "2023-06-04", label: "부터 적용"},
	// "3-1." subsections; 최종 업데이트 is the revision date.
	{file: "mapforme/v04_2026-08-08.md", revised: "2026-08-08", top: 12,
		subs:       []string{"이용 현황 데이터(분석)", "장소 검색 및 가져오기", "구매 정보"},
		categories: map[string]Category{"정보의 보관과 삭제": CategoryRetention, "본 방침의 변경": CategoryChanges, "문의": CategoryOfficer}},
}

// corpusExtractedCases are read the way the daemon reads them, through the
// extractor, which marks Markdown and HTML headings with "#"×N and drops the
// other markup (a <b> heading or a list number that was <ol> markup arrives
// as a bare line).
var corpusExtractedCases = []corpusCase{
	// "3 . 제목": a space before the dot.
	{file: "gomsanglab-comul/v18_2018-09-30.md", effective: "2018-09-26", label: "부터 시행", promise: 7, top: 10,
		titles: []string{"개인정보의 처리 목적", "개인정보의 처리 및 보유 기간", "정보주체와 법정대리인의 권리·의무 및 그 행사방법",
			"처리하는 개인정보의 항목", "개인정보 파기에 관한 항목", "개인정보 자동 수집 장치의 설치•운영 및 거부에 관한 사항",
			"개인정보 보호책임자에 관한 사항", "개인정보 처리방침 변경", "개인정보의 안전성 확보 조치", "개인정보 열람청구"},
		categories: map[string]Category{"개인정보 보호책임자에 관한 사항": CategoryOfficer, "개인정보 파기에 관한 항목": CategoryDestruction}},
	// Questions are titles.
	{file: "bada-k2/v02_2019-10-14.md", top: 7,
		titles:     []string{"어떤 것이 개인 정보이며 무엇이 수집되는가?", "귀하의 정보는 무엇을 위해 사용합니까?", "기타 ‘비 개인’ 정보의 수집", "정책 업데이트"},
		categories: map[string]Category{"정책 업데이트": CategoryChanges, "개인 정보 보호 정책 관련 연락처": CategoryOfficer}},
	// Headings merged with their first sentence at a bracket:
	// "7. 개인정보의 파기<…>('…')은(는) …".
	{file: "peter4549-privacy/v01_2021-01-27.html", promise: 7, top: 11,
		categories: map[string]Category{"개인정보의 파기": CategoryDestruction, "파기절차": CategoryDestruction}},
	{file: "khu-return/v06_2017-11-28.html", promise: 7,
		categories: map[string]Category{"개인정보의 파기": CategoryDestruction, "파기기한": CategoryDestruction}},
	// 부칙 is top-level, whatever section precedes it.
	{file: "grablo-general/v13_2024-10-02.md", effective: "2024-08-01", label: "부터 시행", promise: 7,
		titles:     []string{"목적", "개인정보 처리의 원칙", "본 방침의 공개", "본 방침의 변경"},
		categories: map[string]Category{"부칙": CategoryChanges, "개인정보의 보유 및 이용기간": CategoryRetention}},
	// The author nests whole sections under "## 개인정보의 수집 및 이용목적"
	// with "###": they keep their own categories; "#### 이용자" is part of
	// the rights section it stands in.
	{file: "callisto/v02_2020-03-24.md", top: 3,
		titles: []string{"수집하는 개인정보 항목", "개인정보 수집방법", "개인정보의 수집 및 이용목적"},
		subs: []string{"보관되는 항목", "열람 가능한 정보", "개인정보의 보유 및 이용기간", "개인정보의 제공 및 위탁", "개인정보의 파기",
			"이용자 및 법정 대리인의 권리와 행사 방법", "개인정보 처리방침 변경 시 고지 의무"},
		categories: map[string]Category{"개인정보 처리방침 변경 시 고지 의무": CategoryChanges, "개인정보의 파기": CategoryDestruction,
			"열람 가능한 정보": CategoryItems, "개인정보의 보유 및 이용기간": CategoryRetention, "이용자": CategoryRights}},
	// English month names; mixed Korean and English headings.
	// "# 개인보호 정책" is the page title (preamble); "##" sections are
	// level 1 and their "###" subsections level 2.
	{file: "concode-p3/v02_2022-01-05.md", revised: "2021-03-02", top: 5,
		titles: []string{"연락 방법", "수집 항목", "데이터를 수집하는 이유", "귀하의 권리 및 옵션", "쿠키 및 유사한 기술"},
		subs: []string{"귀하가 당사에 직접 제공하는 데이터", "우리가 자동으로 수집하는 데이터", "파트너로부터 수집하는 데이터",
			"마케팅 이메일 및 기타 직접 마케팅 수신 거부.", "푸시 알림", "타겟 광고 선택 해제."},
		categories: map[string]Category{"연락 방법": CategoryOfficer, "귀하의 권리 및 옵션": CategoryRights, "쿠키 및 유사한 기술": CategoryCookies,
			"우리가 자동으로 수집하는 데이터": CategoryItems, "푸시 알림": CategoryRights}},
	{file: "concode-p3/v01_2021-06-28.md", revised: "2021-03-02", top: 5,
		titles: []string{"연락 방법", "수집 항목", "데이터를 수집하는 이유", "귀하의 권리 및 옵션", "쿠키 및 유사한 기술"},
		subs:   []string{"귀하가 당사에 직접 제공하는 데이터", "우리가 자동으로 수집하는 데이터", "파트너로부터 수집하는 데이터"}},
	// "### 3." after "## 2." continues the numbering: a sibling.
	{file: "binary-podojam-legal-documents/v04_2020-07-01.md", announced: "2020-07-01", effective: "2020-07-08", label: "시행일자", promise: 7, top: 8,
		titles: []string{"수집하는 개인정보의 항목 및 수집방법", "개인정보의 수집 및 이용 목적", "개인정보의 제3자 제공에 관한 사항", "개인정보의 처리 및 보유 기간"}},
	// "# 개인정보처리방침" then "## 개인정보 정책" are both titles: the
	// "### 제N조" articles are level 1.
	{file: "day-23-policy/v01_2023-06-16.md", effective: "2023-06-04", label: "부터 적용", top: 9,
		titles: []string{"개인정보의 처리 목적", "개인정보의 처리 및 보유 기간", "처리하는 개인정보의 항목"}},
	// "###" subsections of "##" sections.
	{file: "bobpool/v03_2025-09-24.md", effective: "2025-09-24", revised: "2025-09-24", label: "시행일자", promise: 7, important: 30,
		titles:     []string{"개인정보의 처리목적", "개인정보의 처리 및 보유기간"},
		subs:       []string{"회원가입 및 관리: 회원탈퇴시까지", "레시피 및 요리 기록: 회원탈퇴 후 1년", "법정 의무 보관 데이터", "개인정보 침해신고센터"},
		categories: map[string]Category{"법정 의무 보관 데이터": CategoryRetention, "대검찰청 사이버범죄수사단": CategoryRemedies}},
	{file: "hancute/v05_2026-03-29.md", effective: "2026-03-29", label: "시행일",
		subs:       []string{"이용자가 직접 제공하는 정보", "자동으로 수집되는 정보", "수집 방법", "파기 절차", "파기 방법", "자동 수집 장치", "광고 식별자 (IDFA/GAID)"},
		categories: map[string]Category{"자동으로 수집되는 정보": CategoryItems, "광고 식별자 (IDFA/GAID)": CategoryCookies}},
	// A page whose policy is raw Markdown text inside HTML: its "#" lines
	// are read like the extractor's marks.
	{file: "gostop/v01_2026-01-31.html", effective: "2026-01-04", label: "시행일", revised: "2026-01-04",
		titles: []string{"개인정보의 수집 및 이용 목적", "수집하는 개인정보 항목"},
		subs:   []string{"필수 항목", "선택 항목", "자동 수집 항목"}},
	// An English policy.
	{file: "khu-return/v04_2017-11-25.html", top: 4,
		titles: []string{"Info that we collect", "What we do with info we collect", "Cookies", "Additional"},
		categories: map[string]Category{"Info that we collect": CategoryItems, "What we do with info we collect": CategoryPurpose,
			"Cookies": CategoryCookies}},
	// A table of contents of bare lines (the numbers were <ol> markup).
	{file: "kiapi/v01_2025-06-25.html", toc: 17, top: 2, titles: []string{"총칙", "개인정보의 수집범위"}},
	// kramdown attribute lines ("{: .toc-list}") are not text.
	{file: "sostonks/v04_2026-07-18.md", revised: "2026-07-16", toc: 13, top: 13,
		titles:     []string{"서론", "수집하는 정보", "데이터 저장 및 보안"},
		categories: map[string]Category{"데이터 보관 기간": CategoryRetention, "본 정책의 변경": CategoryChanges, "분석 및 추적": CategoryCookies}},
	{file: "1365-volunteer/v02_2026-03-17.html", effective: "2025-06-30", label: "부터 적용", top: 16,
		subs: []string{"정보주체의 동의를 받아 처리하는 개인정보 항목"}},
	{file: "crux-legal/v03_2026-03-25.md", effective: "2026-03-25", label: "시행일", top: 10,
		subs: []string{"이용자가 직접 제공하는 정보", "자동으로 수집되는 정보", "Apple 서비스를 통한 정보 처리"}},
	{file: "mapforme/v04_2026-08-08.md", revised: "2026-08-08", top: 12,
		subs: []string{"이용 현황 데이터(분석)", "장소 검색 및 가져오기", "구매 정보"}},
}

// TestParseCorpus checks real policies read in place; every expectation was
// verified by reading the document.
func TestParseCorpus(t *testing.T) {
	for _, tt := range corpusCases {
		t.Run(tt.file, func(t *testing.T) {
			checkCorpus(t, tt, readShared(t, filepath.Join("corpus", "real", tt.file)))
		})
	}
}

// TestParseCorpusExtracted checks real policies as the daemon sees them,
// after the extractor.
func TestParseCorpusExtracted(t *testing.T) {
	for _, tt := range corpusExtractedCases {
		t.Run(tt.file, func(t *testing.T) {
			checkCorpus(t, tt, readExtracted(t, filepath.Join("corpus", "real", tt.file)))
		})
	}
}

func checkCorpus(t *testing.T, tt corpusCase, text string) {
	t.Helper()
	doc := Parse(text)
	checkDate(t, "announced", doc.Announced, tt.announced)
	checkDate(t, "effective", doc.Effective, tt.effective)
	if tt.revised != "" {
		checkDate(t, "revised", doc.Revised, tt.revised)
	}
	if doc.Effective != nil && doc.Effective.Label != tt.label {
		t.Errorf("effective label = %q, want %q", doc.Effective.Label, tt.label)
	}
	switch {
	case tt.promise == 0 && doc.Promise != nil:
		t.Errorf("promise = %+v, want none", doc.Promise)
	case tt.promise != 0 && (doc.Promise == nil || doc.Promise.Days != tt.promise || doc.Promise.ImportantDays != tt.important):
		t.Errorf("promise = %+v, want %d/%d days", doc.Promise, tt.promise, tt.important)
	}
	var top, subs []string
	for _, s := range doc.Sections {
		switch s.Level {
		case 1:
			top = append(top, s.Title)
		case 2:
			subs = append(subs, s.Title)
		}
	}
	if len(top) < len(tt.titles) || strings.Join(top[:len(tt.titles)], "|") != strings.Join(tt.titles, "|") {
		t.Errorf("top-level titles = %q, want prefix %q", top, tt.titles)
	}
	if tt.top != 0 && len(top) != tt.top {
		t.Errorf("%d top-level sections %q, want %d", len(top), top, tt.top)
	}
	if !inOrder(subs, tt.subs) {
		t.Errorf("level-2 titles = %q, want %q among them in order", subs, tt.subs)
	}
	for title, cat := range tt.categories {
		found := false
		for _, s := range doc.Sections {
			if s.Title == title {
				found = true
				if s.Category != cat {
					t.Errorf("category of %q = %s, want %s", title, s.Category, cat)
				}
			}
		}
		if !found {
			t.Errorf("no section titled %q", title)
		}
	}
	if len(doc.TOC) != tt.toc {
		t.Errorf("TOC has %d entries, want %d: %q", len(doc.TOC), tt.toc, doc.TOC)
	}
	checkInvariants(t, doc, text)
}

// inOrder reports whether want appears in got as a subsequence.
func inOrder(got, want []string) bool {
	k := 0
	for _, g := range got {
		if k < len(want) && g == want[k] {
			k++
		}
	}
	return k == len(want)
}

// TestGolden parses the fixtures in testdata (written for these tests in the
// heading and date styles of Korean policies; HTML pages go through the
// extractor first) and compares the Document with testdata/<name>.golden;
// run with -update to rewrite them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden") || strings.Contains(f, "fuzz") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(f, ".html") {
				// An HTML page is parsed as the daemon sees it:
				// through the extractor, which marks its headings.
				text, err := extract.Content(string(in), "text/html", extract.Rules{})
				if err != nil {
					t.Fatal(err)
				}
				in = []byte(text)
			}
			doc := Parse(string(in))
			checkInvariants(t, doc, string(in))
			got, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(f, filepath.Ext(f)) + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file: %v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; run go test -run TestGolden -update and review the diff\ngot:\n%s", f, golden, got)
			}
			var back Document
			if err := json.Unmarshal(got, &back); err != nil {
				t.Errorf("golden JSON does not decode: %v", err)
			}
		})
	}
	if n < 5 {
		t.Fatalf("only %d fixtures in testdata", n)
	}
}

// checkInvariants asserts what must hold for any input: sections in order,
// not overlapping, within the input, and not longer than it; dates valid.
func checkInvariants(t testing.TB, doc *Document, text string) {
	t.Helper()
	lines := strings.Count(text, "\n") + 1
	prevEnd := 0
	total := 0
	for i, s := range doc.Sections {
		if s.Start < 1 || s.End < s.Start || s.End > lines {
			t.Fatalf("section %d %q spans %d-%d of %d lines", i, s.Title, s.Start, s.End, lines)
		}
		if s.Start <= prevEnd {
			t.Fatalf("section %d %q starts at %d, before the previous ends (%d)", i, s.Title, s.Start, prevEnd)
		}
		prevEnd = s.End
		if s.Key == "" {
			t.Fatalf("section %d %q has no key", i, s.Title)
		}
		for _, b := range s.Body {
			total += len(b)
		}
		total += len(s.Title)
	}
	// NFC can lengthen a few characters (U+0344 becomes two combining
	// marks), and the line clean-up drops invalid bytes next to them
	// ("\xf0\u0344"), so the bound is each line as Parse reads it.
	normed := 0
	for line := range strings.SplitSeq(text, "\n") {
		normed += len(Normalize(line)) + 1
	}
	if limit := max(len(text), len(norm.NFC.String(text)), normed); total > limit {
		t.Fatalf("sections hold %d bytes of text, more than the %d of the (normalised) input", total, limit)
	}
	for _, r := range []*DateRef{doc.Announced, doc.Effective, doc.Revised} {
		if r == nil {
			continue
		}
		if _, ok := NewDate(r.Date.Year, r.Date.Month, r.Date.Day); !ok || r.Line < 1 || r.Line > lines {
			t.Fatalf("bad date ref %+v", r)
		}
	}
	for _, h := range doc.History {
		if _, ok := NewDate(h.From.Year, h.From.Month, h.From.Day); !ok || h.Line < 1 || h.Line > lines {
			t.Fatalf("bad history entry %+v", h)
		}
	}
	if p := doc.Promise; p != nil && (p.Line < 1 || p.Line > lines || (p.Days == 0 && p.ImportantDays == 0)) {
		t.Fatalf("bad promise %+v", p)
	}
}
