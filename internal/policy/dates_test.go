package policy

import (
	"strings"
	"testing"
)

func TestFindDatesFormats(t *testing.T) {
	tests := []struct {
		line  string
		dates []string
		label string // of the first date
	}{
		{"시행일자: 2024년 3월 1일", []string{"2024-03-01"}, "시행일자"},
		{"공고일자 2024년 03월 01일", []string{"2024-03-01"}, "공고일자"},
		{"공고일: 2024. 3. 1.", []string{"2024-03-01"}, "공고일"},
		{"게시일자 2024.03.01", []string{"2024-03-01"}, "게시일자"},
		{"게시일 2024-03-01", []string{"2024-03-01"}, "게시일"},
		{"고지일 2024/03/01", []string{"2024-03-01"}, "고지일"},
		{"공지일 '24.03.01", []string{"2024-03-01"}, "공지일"},
		{"시행일 24.03.01", []string{"2024-03-01"}, "시행일"},
		{"적용일자 : 2024.3.1", []string{"2024-03-01"}, "적용일자"},
		{"적용일 2024-03-01", []string{"2024-03-01"}, "적용일"},
		{"효력발생일 2024년 3월 1일", []string{"2024-03-01"}, "효력발생일"},
		{"발효일: 2024.03.01.", []string{"2024-03-01"}, "발효일"},
		{"개정일 2023.12.01", []string{"2023-12-01"}, "개정일"},
		{"변경일자: 2023-12-01", []string{"2023-12-01"}, "변경일자"},
		{"최종 수정일: 2023년 12월 1일", []string{"2023-12-01"}, "최종 수정일"},
		{"**시행일자**: 2025년 9월 24일", []string{"2025-09-24"}, "시행일자"},
		{"| 시행일 | 2026-07-28 |", []string{"2026-07-28"}, "시행일"},
		{"이 개인정보처리방침은 2024년 3월 1일부터 시행됩니다.", []string{"2024-03-01"}, "부터 시행"},
		{"이 방침은 2024년 3월 1일부터 적용합니다.", []string{"2024-03-01"}, "부터 적용"},
		{"이 방침은 2024년 3월 1일부터 시행한다.", []string{"2024-03-01"}, "부터 시행"},
		{"(시행일) 이 방침은 2024. 3. 1.부터 시행합니다.", []string{"2024-03-01"}, "시행일"},
		{"① 이 개인정보처리방침은 2022년 1월 1부터 적용됩니다.", []string{"2022-01-01"}, "부터 적용"},
		{"○ 본 방침은부터 _2018_년 _9_월 _26_일부터 시행됩니다.", []string{"2018-09-26"}, "부터 시행"},
		{"2024년 2월21일 변경사항", []string{"2024-02-21"}, "변경"},
		{"2022.01.01 ~ 2023.12.31", []string{"2022-01-01", "2023-12-31"}, ""},
		{"공고일자 2020. 7. 1. / 시행일자 2020. 7. 8.", []string{"2020-07-01", "2020-07-08"}, "공고일자"},
		// English and mixed forms.
		{"Effective Date: January 1, 2024", []string{"2024-01-01"}, "Effective Date"},
		{"Effective date: Jan. 5th, 2024", []string{"2024-01-05"}, "Effective date"},
		{"Last updated: 2024-01-01", []string{"2024-01-01"}, "Last updated"},
		{"Last Modified: 1 March 2023", []string{"2023-03-01"}, "Last Modified"},
		{"최종 업데이트: March 2, 2021", []string{"2021-03-02"}, "최종 업데이트"},
		{"This policy is effective as of 15 Sept 2022.", []string{"2022-09-15"}, "effective"},
		{"시행일자 | 2024-01-01", []string{"2024-01-01"}, "시행일자"},
		{"last_updated: \"2026년 7월 16일\"", []string{"2026-07-16"}, "lastupdated"},
		{"date: 2024-05-01", []string{"2024-05-01"}, "date"},
		{"Effective Date: February 30, 2024", nil, ""},
		{"We may 3 times in 2024", nil, ""},
		// Impossible dates are rejected, never normalised.
		{"시행일자: 2024-02-30", nil, ""},
		{"시행일자: 2023년 2월 29일", nil, ""},
		{"2024.13.01", nil, ""},
		{"2024년 4월 31일", nil, ""},
		// Not dates.
		{"전화 02-6309-6800, 1544-2755", nil, ""},
		{"국세청 고시 제 2016-3호", nil, ""},
		{"버전 1.2.3, IP 192.168.10.12", nil, ""},
		{"12345.06.07", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			refs := FindDates(tt.line)
			var got []string
			for _, r := range refs {
				got = append(got, r.Date.String())
				if r.Line != 1 || r.Text != tt.line {
					t.Errorf("ref %+v: want line 1 with its text", r)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.dates, ",") {
				t.Fatalf("dates = %v, want %v", got, tt.dates)
			}
			if len(refs) > 0 && refs[0].Label != tt.label {
				t.Errorf("label = %q, want %q", refs[0].Label, tt.label)
			}
		})
	}
}

func TestFindDatesLabelOnPreviousLine(t *testing.T) {
	refs := FindDates("공고일자\n\n2024년 5월 1일\n시행일자:\n2024.05.08")
	if len(refs) != 2 {
		t.Fatalf("got %d dates, want 2: %+v", len(refs), refs)
	}
	if refs[0].Label != "공고일자" || refs[0].Line != 3 || refs[1].Label != "시행일자" || refs[1].Line != 5 {
		t.Errorf("refs = %+v", refs)
	}
}

// TestDatePreference pins the documented rule: labelled beats a sentence
// form, then the policy-change section beats elsewhere, then the last
// occurrence wins; history never counts.
func TestDatePreference(t *testing.T) {
	tests := []struct {
		name, text, effective string
		line                  int
	}{
		{"labelled beats sentence", "1. 목적\n시행일자: 2024-01-01\n2. 개인정보처리방침의 변경\n이 방침은 2024년 2월 1일부터 시행합니다.", "2024-01-01", 2},
		{"change section beats elsewhere", "1. 목적\n시행일: 2024-01-01\n2. 개인정보처리방침의 변경\n시행일: 2024-02-01\n3. 보호책임자\n연락처: 02-000-0000", "2024-02-01", 4},
		{"last occurrence", "1. 목적\n시행일: 2024-01-01\n2. 보유기간\n시행일: 2024-03-01", "2024-03-01", 4},
		{"history is not current", "1. 개인정보처리방침의 변경\n시행일자: 2024-01-01\n이전 개인정보처리방침 보기\n시행일자: 2023-01-01", "2024-01-01", 2},
		{"ranges are history", "이 방침은 2024.05.01부터 시행합니다.\n2023.01.01 ~ 2024.04.30 적용", "2024-05-01", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := Parse(tt.text)
			checkDate(t, "effective", doc.Effective, tt.effective)
			if doc.Effective != nil && doc.Effective.Line != tt.line {
				t.Errorf("effective from line %d, want %d", doc.Effective.Line, tt.line)
			}
		})
	}
}

func TestHistory(t *testing.T) {
	doc := Parse("■ 개인정보처리방침의 변경\n공고일자: 2024.02.14\n시행일자: 2024.02.21\n이전 개인정보처리방침 보기\n2022.01.01 ~ 2024.02.20\n2021년 1월 1일 제정\n■ 보호책임자\n문의: 2024.03.01 이후 변경")
	checkDate(t, "announced", doc.Announced, "2024-02-14")
	checkDate(t, "effective", doc.Effective, "2024-02-21")
	if len(doc.History) != 2 {
		t.Fatalf("history = %+v, want 2 entries", doc.History)
	}
	if h := doc.History[0]; h.From.String() != "2022-01-01" || h.To.String() != "2024-02-20" || h.Line != 5 {
		t.Errorf("history[0] = %+v", h)
	}
	if h := doc.History[1]; h.From.String() != "2021-01-01" || !h.To.IsZero() || h.Line != 6 {
		t.Errorf("history[1] = %+v", h)
	}
}

func TestPromise(t *testing.T) {
	tests := []struct {
		text            string
		days, important int
	}{
		{"8. 개인정보 처리방침 변경\n변경사항의 시행 7일 전부터 공지사항을 통하여 고지할 것입니다.", 7, 0},
		{"제12조(처리방침의 변경)\n개정 시 최소 30일 전에 알립니다.", 30, 0},
		{"제12조(처리방침의 변경)\n① 시행 7일 전부터 고지합니다.\n② 다만, 이용자 권리의 중대한 변경이 있는 경우에는 최소 30일 전에 고지합니다.", 7, 30},
		{"■ 개인정보처리방침의 변경\n시행 7일(이용자에게 불리한 경우 30일) 전부터 홈페이지에 게시합니다.", 7, 30},
		{"■ 개인정보처리방침의 변경\n중요한 변경은 30일 전에, 그 밖의 변경은 7일 전에 공지합니다.", 7, 30},
		{"■ 개인정보처리방침의 변경\n시행 1주일 전에 알립니다.", 7, 0},
		{"■ 개인정보처리방침의 변경\n변경 시 앱 공지로 안내합니다.", 0, 0},
		// No change section: a sentence about changing and notifying counts.
		{"방침이 개정되면 시행 14일 전에 공지합니다.", 14, 0},
		// Retention periods are not promises.
		{"■ 개인정보의 보유기간\n탈퇴 30일 전에 안내 메일을 보냅니다.", 0, 0},
		// A period counted from the posting of the change is a notice period.
		{"제11조(개인정보 처리방침의 변경)\n방침을 바꾸는 때에는 누리집에 게시한 날로부터 7일 후부터 효력이 발생합니다.", 7, 0},
		{"11. 처리방침의 변경\n바뀐 방침은 공지한 날로부터 7일이 경과한 날부터 효력을 가집니다.", 7, 0},
		{"■ 방침의 변경\n개정 내용은 공지일로부터 14일이 지난 후 적용합니다.", 14, 0},
		{"■ 방침의 변경\n앱 화면에 고지 후 7일 경과 후 시행하며, 이용자에게 불리한 변경은 게시한 날부터 30일이 지난 날부터 시행합니다.", 7, 30},
		{"방침이 변경되는 경우 홈페이지에 게시한 날로부터 10일 후에 적용됩니다.", 10, 0},
		// Counted from something other than the posting: no promise.
		{"제11조(개인정보 처리방침의 변경)\n변경된 방침은 회원 가입일로부터 30일 후 적용됩니다.", 0, 0},
		{"■ 처리방침의 변경\n탈퇴한 날로부터 30일 후 파기하는 것으로 변경합니다.", 0, 0},
		{"■ 개인정보의 파기\n이용 목적을 달성한 후 5일 이내에 파기합니다. 파기 방침이 변경되면 공지합니다.", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			p := Parse(tt.text).Promise
			if tt.days == 0 && tt.important == 0 {
				if p != nil {
					t.Fatalf("promise = %+v, want none", p)
				}
				return
			}
			if p == nil || p.Days != tt.days || p.ImportantDays != tt.important {
				t.Fatalf("promise = %+v, want %d/%d", p, tt.days, tt.important)
			}
			if p.Text == "" || p.Line < 1 {
				t.Errorf("promise lacks its evidence: %+v", p)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"개인정보 처리방침", "개인정보 처리방침"},
		{"  공고일자\u00a0:\u00a0\u00a02023년 09월 15일 ", "공고일자 : 2023년 09월 15일"},
		{"전각\u3000공백\t탭", "전각 공백 탭"},
		{"제로\u200b폭\ufeff", "제로폭"},
		{"\u1100\u1161", "가"}, // decomposed jamo become NFC
		{"\u00a0", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	clean := "1. 개인정보의 처리 목적"
	if n := testing.AllocsPerRun(100, func() { _ = Normalize(clean) }); n != 0 {
		t.Errorf("Normalize of a clean line allocates %v times, want 0", n)
	}
}

// TestKeyStable: renumbering or re-punctuating a section keeps its key, so the
// diff does not report it as changed.
func TestKeyStable(t *testing.T) {
	a := Parse("1. 개인정보의 처리 목적\n본문\n2. 개인정보의 파기\n본문")
	b := Parse("제1조 (개인정보의 처리목적)\n본문\n제3조(개인정보의  파기)\n본문")
	if len(a.Sections) != 2 || len(b.Sections) != 2 {
		t.Fatalf("sections: %d and %d, want 2 and 2", len(a.Sections), len(b.Sections))
	}
	for i := range a.Sections {
		if a.Sections[i].Key != b.Sections[i].Key {
			t.Errorf("key %q != %q", a.Sections[i].Key, b.Sections[i].Key)
		}
	}
	d := Parse("■ 파기절차\n가\n■ 파기절차\n나")
	if d.Sections[0].Key == d.Sections[1].Key {
		t.Errorf("duplicate titles share key %q", d.Sections[0].Key)
	}
}

func TestClassify(t *testing.T) {
	tests := map[string]Category{
		"개인정보의 처리 목적":                      CategoryPurpose,
		"수집하는 개인정보의 항목 및 수집방법":             CategoryItems,
		"개인정보의 보유 및 이용기간":                  CategoryRetention,
		"개인정보의 파기절차 및 방법":                  CategoryDestruction,
		"개인정보의 제3자 제공":                     CategoryThirdParty,
		"개인정보 처리업무의 위탁":                    CategoryOutsourcing,
		"개인정보의 국외 이전":                      CategoryOverseas,
		"정보주체의 권리·의무 및 행사방법":               CategoryRights,
		"개인정보의 안전성 확보조치":                   CategorySafety,
		"개인정보 자동 수집 장치의 설치·운영 및 거부에 관한 사항": CategoryCookies,
		"개인정보 보호책임자":                       CategoryOfficer,
		"권익침해 구제방법":                        CategoryRemedies,
		"개인정보 처리방침의 변경":                    CategoryChanges,
		"민감정보의 처리":                         CategorySensitive,
		"가명정보의 처리":                         CategoryPseudonymous,
		"만 14세 미만 아동의 개인정보":                CategoryChildren,
		"총칙": CategoryOther,
	}
	for title, want := range tests {
		if got := Classify(title); got != want {
			t.Errorf("Classify(%q) = %s, want %s", title, got, want)
		}
	}
}

func TestParseEdgeCases(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\u00a0", "■", "1.", "제1조", "[]", "<>", "# ", "**"} {
		doc := Parse(in)
		if doc == nil || doc.Sections == nil {
			t.Fatalf("Parse(%q) = %+v", in, doc)
		}
		checkInvariants(t, doc, in)
	}
}

// TestDatesAcrossLineBreaks: a 시행 sentence that the page broke with a <br>
// (one line each in the extracted text) is read whole, wherever the break
// falls, and a bare date is not given the role of the line after it.
func TestDatesAcrossLineBreaks(t *testing.T) {
	const head = "개인정보 처리방침\n제1조(목적)\n회사는 서비스 제공을 위해 개인정보를 처리합니다.\n부칙\n"
	tests := []struct {
		name, tail, effective, label string
	}{
		{"before the date", "이 처리방침은\n2025년 3월 1일부터 시행합니다.", "2025-03-01", "부터 시행"},
		{"after 부터", "이 처리방침은 2025년 3월 1일부터\n시행합니다.", "2025-03-01", "부터 시행"},
		{"between year and month", "이 처리방침은 2025년\n3월 1일부터 시행합니다.", "2025-03-01", "부터 시행"},
		{"between month and day", "이 처리방침은 2025년 3월\n1일부터 시행합니다.", "2025-03-01", "부터 시행"},
		{"dotted, cut after the month", "본 방침은 2025. 3.\n1.부터 적용합니다.", "2025-03-01", "부터 적용"},
		{"weekday and 적용 on the next line", "이 방침은 2025년 3월 1일(토)부터\n적용됩니다.", "2025-03-01", "부터 적용"},
		{"verb alone on the next line", "이 방침은 2025-03-01부터 시행\n됩니다.", "2025-03-01", "부터 시행"},
		{"bare date over a 시행 line", "2024년 1월 1일\n시행 중인 방침의 주요 내용은 다음과 같습니다.", "", ""},
		{"finished sentence", "이 방침은 2024년 1월 1일에 개정되었습니다\n시행 시기는 따로 알립니다.", "", ""},
		{"next line is a table row", "이 방침은 2025년\n3월 1일 | 시행", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := Parse(head + tt.tail)
			if tt.effective == "" {
				if doc.Effective != nil {
					t.Fatalf("effective = %+v, want none", doc.Effective)
				}
				return
			}
			checkDate(t, "effective", doc.Effective, tt.effective)
			line := 5 // the line the sentence starts on
			if tt.name == "before the date" {
				line = 6 // the date and its verb stand on one line
			}
			if doc.Effective.Label != tt.label || doc.Effective.Line != line {
				t.Errorf("effective = %+v, want label %q on line %d", doc.Effective, tt.label, line)
			}
		})
	}
}

// TestFrontMatterDates: a front matter block at the top (as the extractor
// keeps it for a Markdown page, or a text/plain body holds it) is no
// section, and its dates are read by key: 시행 keys give the 시행일자, 공고
// keys the 공고일자, the site's "last changed" keys a 개정일, unknown keys
// nothing; the policy's own words beat it.
func TestFrontMatterDates(t *testing.T) {
	const body = "# 개인정보 처리방침\n## 1. 수집 항목\n이메일 주소를 수집합니다.\n## 2. 보유 기간\n탈퇴할 때까지 보유합니다."
	tests := []struct {
		name, front                  string
		announced, effective, revise string
		extra                        string // appended to the body
	}{
		{"effective and date", "effective: 2025-03-10\ndate: 2025-03-01", "", "2025-03-10", "2025-03-01", ""},
		{"Korean keys", "공고일: 2025.02.20\n시행일: 2025.03.01", "2025-02-20", "2025-03-01", "", ""},
		{"quoted Korean value", "last_updated: \"2025년 3월 1일\"", "", "", "2025-03-01", ""},
		{"date with a time", "effective_date: 2025-03-01T09:00:00+09:00", "", "2025-03-01", "", ""},
		{"unknown keys are not dates", "published: 2025-01-01\nexpires: 2026-01-01\nversion: 2025.03", "", "", "", ""},
		{"more than a date", "effective: 2025-03-01 (초안)", "", "", "", ""},
		{"the body wins", "effective: 2025-03-10", "", "2025-03-15", "", "\n이 방침은 2025년 3월 15일부터 시행합니다."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "---\n" + tt.front + "\n---\n" + body + tt.extra
			doc := Parse(text)
			checkInvariants(t, doc, text)
			checkDate(t, "announced", doc.Announced, tt.announced)
			checkDate(t, "effective", doc.Effective, tt.effective)
			checkDate(t, "revised", doc.Revised, tt.revise)
			for _, s := range doc.Sections {
				for _, b := range append([]string{s.Heading}, s.Body...) {
					if b == "---" || strings.Contains(b, ": 20") {
						t.Errorf("front matter in section %q: %q", s.Title, b)
					}
				}
			}
			if len(doc.Sections) != 3 || doc.Sections[0].Category != CategoryPreamble || doc.Sections[0].Start != len(strings.Split(tt.front, "\n"))+3 {
				t.Errorf("sections %+v", doc.Sections)
			}
		})
	}
	// A rule at the top over a title is no front matter.
	doc := Parse("---\n개인정보 처리방침\n---\n시행일: 2025-03-01\n1. 수집 항목\n이메일")
	checkDate(t, "effective", doc.Effective, "2025-03-01")
}
