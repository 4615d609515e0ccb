package diff

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/policy"
)

// sec builds a titled section.
func sec(title string, cat policy.Category, body ...string) policy.Section {
	return policy.Section{Level: 1, Title: title, Key: titleKey(title), Category: cat, Body: body}
}

func doc(secs ...policy.Section) *policy.Document { return &policy.Document{Sections: secs} }

func TestMarkerLen(t *testing.T) {
	tests := []struct {
		line string
		want string // the marker part
	}{
		{"1. 회원 가입", "1. "},
		{"1)회원 가입", "1)"},
		{"(1) 회원", "(1) "},
		{"1-2. 회원", "1-2. "},
		{"가. 수집 항목", "가. "},
		{"(가) 수집", "(가) "},
		{"① 이름", "① "},
		{"- 이름", "- "},
		{"• 이름", "• "},
		{"■ 개인정보", "■ "},
		{"o 서비스 제공", "o "},
		{"ㅇ 서비스", "ㅇ "},
		{"※ 다만", "※ "},
		{"제3조(목적)", "제3조"},
		{"제 12 조의2 (목적)", "제 12 조의2 "},
		{"## 1. 목적", "## 1. "},
		{"- 1. 이름", "- 1. "},
		// Not markers.
		{"2024.01.01부터 시행", ""},
		{"2024년 1월 1일", ""},
		{"14세 미만", ""},
		{"가능한 경우", ""},
		{"제공받는 자", ""},
		{"o회원", ""},
		{"-5도", ""},
		{"(주)달빛", ""},
		{"1", ""},
		// One numbering marker at most: what follows it is text.
		{"1. ① 이름", "1. "},
		{"- ① 이름", "- ① "},
		{"제3조 【목적】", "제3조 "},
		{"제3조", "제3조"},
		// Legal references are text.
		{"제15조 제1항 제1호에 따라", ""},
		{"제15조 제1항 | 성명", ""},
		{"제1조 본 방침은", ""},
		{"제15조에 따라", ""},
		// Quantities are text.
		{"1.5 배", ""},
		{"2.1 년간 보관", ""},
		{"1.5 10", ""},
		{"(14) 세 미만", ""},
		{"(14)세", ""},
		{"[3] 년", ""},
		{"3) 개월", ""},
		{"12. %", ""},
		// Words that only start like a unit are not units.
		{"1. 일반 원칙", "1. "},
		{"(1) 회원 관리", "(1) "},
		{"2. 개인정보", "2. "},
		{"1.2 세부 사항", "1.2 "},
	}
	for _, tt := range tests {
		if got := tt.line[:markerLen(tt.line)]; got != tt.want {
			t.Errorf("markerLen(%q) covers %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestCosmeticEquivalence(t *testing.T) {
	z := tokenizer{}
	same := [][2]string{
		{"보유기간: 1년", "보유기간 : 1년"},
		{"보유기간: 1년", "보유기간：１년"},
		{"이름, 이메일", "이름 ,이메일"},
		{"개인정보 처리방침", "개인정보처리방침"},
		{"1. 이름\n2. 이메일", "① 이름\n② 이메일"},
		{"- 이름", "• 이름"},
		{"**보유기간**: 1년", "보유기간: 1년"},
		{"수집ㆍ이용", "수집·이용"},
		{"“동의”", "\"동의\""},
		{"1년 – 3년", "1년 - 3년"},
		{"한 줄\n두 줄", "한 줄 두 줄"},
		{"본문\n---\n다음", "본문\n다음"},
	}
	for _, p := range same {
		a := z.tokenize(normText([]string{p[0]}))
		b := z.tokenize(normText([]string{p[1]}))
		if a.compact(0, len(a.toks)) != b.compact(0, len(b.toks)) {
			t.Errorf("%q and %q should be cosmetically equal", p[0], p[1])
		}
	}
	differ := [][2]string{
		{"보유기간: 1년", "보유기간: 3년"},
		{"이름, 이메일", "이름, 주소"},
		{"제공합니다.", "제공하지 않습니다."},
		{"2024년 1월 1일", "2024년 3월 1일"},
		{"10 년", "1 0년"},
		{"법 제15조 ①항", "법 제15조 ②항"},
		{"A_B", "AB"},
	}
	for _, p := range differ {
		a := z.tokenize(normText([]string{p[0]}))
		b := z.tokenize(normText([]string{p[1]}))
		if a.compact(0, len(a.toks)) == b.compact(0, len(b.toks)) {
			t.Errorf("%q and %q should differ", p[0], p[1])
		}
	}
}

func TestNormLine(t *testing.T) {
	got := normLine("  보유\u00a0기간\u200b:\u3000 1년 \t")
	if got != "보유 기간: 1년" {
		t.Errorf("normLine = %q", got)
	}
	// NFD Hangul (as macOS writes it) becomes NFC.
	if got := normLine("\u1100\u1161"); got != "가" {
		t.Errorf("normLine(NFD) = %q, want 가", got)
	}
}

func TestKoreanWordLevel(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{"회원 정보 보유기간: 1년, 단 법령에 따릅니다.", "회원 정보 보유기간: 3년, 단 법령에 따릅니다.", "보유기간: ~~1년~~ **3년**"},
		{"이름, 이메일을 수집합니다.", "이름, 이메일, 주소를 수집합니다.", "이름, ~~이메일을~~ **이메일, 주소를** 수집합니다."},
		{"제3자에게 제공합니다.", "제3자에게 제공하지 않습니다.", "제3자에게 ~~제공합니다~~ **제공하지 않습니다**."},
	}
	for _, tt := range tests {
		c := Compare(doc(sec("보유기간", policy.CategoryRetention, tt.old)), doc(sec("보유기간", policy.CategoryRetention, tt.new)), Options{})
		if len(c.Sections) != 1 {
			t.Fatalf("%q → %q: %d section changes", tt.old, tt.new, len(c.Sections))
		}
		if got := FormatSection(c.Sections[0], RenderOptions{}); !strings.Contains(got, tt.want) {
			t.Errorf("%q → %q reads %q, want it to contain %q", tt.old, tt.new, got, tt.want)
		}
	}
}

func TestCompareSame(t *testing.T) {
	d := fixtureDoc(t, readFixture(t, "base/old.txt"))
	if c := Compare(d, d, Options{}); !c.Empty() || c.Substantive() || len(c.Categories()) != 0 {
		t.Errorf("Compare(d, d) = %+v, want empty", c)
	}
	if c := Compare(nil, nil, Options{}); !c.Empty() {
		t.Errorf("Compare(nil, nil) = %+v, want empty", c)
	}
}

func TestCompareNil(t *testing.T) {
	d := fixtureDoc(t, readFixture(t, "base/old.txt"))
	c := Compare(nil, d, Options{})
	if c.Counts.Added != len(d.Sections) || len(c.Sections) != len(d.Sections) {
		t.Errorf("Compare(nil, d) counts %+v, want %d added", c.Counts, len(d.Sections))
	}
	checkApply(t, nil, d, c)
	c = Compare(d, nil, Options{})
	if c.Counts.Removed != len(d.Sections) {
		t.Errorf("Compare(d, nil) counts %+v, want %d removed", c.Counts, len(d.Sections))
	}
	checkApply(t, d, &policy.Document{}, c)
}

func TestMovedUsesLIS(t *testing.T) {
	// One section moved from the end to the front: only it is moved, not
	// every section it jumped over.
	names := []string{"가", "나", "다", "라", "마", "바"}
	var olds, news []policy.Section
	for _, n := range names {
		olds = append(olds, sec("제목 "+n, policy.CategoryOther, "본문 "+n+"입니다."))
	}
	news = append(news, olds[5])
	news = append(news, olds[:5]...)
	c := Compare(doc(olds...), doc(news...), Options{})
	if c.Counts != (Counts{Moved: 1}) || c.Sections[0].OldTitle != "제목 바" {
		t.Errorf("counts %+v, sections %+v; want only 제목 바 moved", c.Counts, c.Sections)
	}
	checkApply(t, doc(olds...), doc(news...), c)
}

func TestRenumberingIsNoChange(t *testing.T) {
	old := doc(sec("1. 개인정보의 처리 목적", policy.CategoryPurpose, "회원 관리"), sec("2. 보유 기간", policy.CategoryRetention, "1년"))
	new := doc(sec("제1조 개인정보의 처리목적", policy.CategoryPurpose, "① 회원 관리"), sec("제2조 보유기간", policy.CategoryRetention, "- 1년"))
	if c := Compare(old, new, Options{}); !c.Empty() {
		t.Errorf("renumbered policy: %+v, want empty", c)
	}
}

func TestRenamedAndEdited(t *testing.T) {
	body := []string{"회사는 개인정보 보호책임자를 다음과 같이 지정합니다.", "성명: 김하늘, 연락처: privacy@dalbit.example"}
	old := doc(sec("목적", policy.CategoryPurpose, "회원 관리"), sec("개인정보 보호책임자", policy.CategoryOfficer, body...))
	edited := slices.Clone(body)
	edited[1] = "성명: 이바다, 연락처: privacy@dalbit.example"
	new := doc(sec("목적", policy.CategoryPurpose, "회원 관리"), sec("개인정보 보호책임자 및 담당부서", policy.CategoryOfficer, edited...))
	c := Compare(old, new, Options{})
	if c.Counts != (Counts{Modified: 1, Renamed: 1}) {
		t.Fatalf("counts %+v", c.Counts)
	}
	s := c.Sections[0]
	if !s.Renamed() || len(s.Hunks) != 1 || !strings.Contains(FormatSection(s, RenderOptions{}), "~~김하늘~~ **이바다**") {
		t.Errorf("section %+v reads %q", s, FormatSection(s, RenderOptions{}))
	}
	checkApply(t, old, new, c)
}

func TestPreambleAndEpilogue(t *testing.T) {
	pre := policy.Section{Category: policy.CategoryPreamble, Body: []string{"달빛상점은 개인정보를 소중히 다룹니다."}}
	epi := policy.Section{Category: policy.CategoryOther, Body: []string{"부칙: 이 방침은 공고한 날부터 시행합니다."}}
	old := doc(pre, sec("목적", policy.CategoryPurpose, "회원 관리"))
	pre2 := pre
	pre2.Body = []string{"달빛상점은 이용자의 개인정보를 소중히 다룹니다."}
	new := doc(pre2, sec("목적", policy.CategoryPurpose, "회원 관리"), epi)
	c := Compare(old, new, Options{})
	if c.Counts != (Counts{Modified: 1, Added: 1}) {
		t.Fatalf("counts %+v, want preamble modified and epilogue added", c.Counts)
	}
	var buf bytes.Buffer
	if err := RenderText(&buf, c, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "[수정] (머리말)") || !strings.Contains(buf.String(), "**이용자의**") {
		t.Errorf("text render:\n%s", buf.String())
	}
	checkApply(t, old, new, c)
}

func TestDatesMaskedOnDateLines(t *testing.T) {
	mk := func(ann, eff, effText string) *policy.Document {
		d := doc(sec("처리방침의 변경", policy.CategoryChanges, "공고일자: "+ann, "시행일자: "+effText, "이전 방침: 2020년 1월 1일 ~ 2023년 12월 31일"))
		a, _ := policy.ParseISO(eff)
		d.Effective = &policy.DateRef{Date: a, Text: "시행일자: " + effText, Label: "시행일자"}
		return d
	}
	old := mk("2024. 1. 2.", "2024-01-09", "2024. 1. 9.")
	new := mk("2024. 1. 2.", "2024-02-09", "2024. 2. 9.")
	c := Compare(old, new, Options{})
	if len(c.Dates) != 1 || c.Dates[0].Field != FieldEffective || c.Dates[0].Old.String() != "2024-01-09" || c.Dates[0].New.String() != "2024-02-09" {
		t.Errorf("dates = %+v", c.Dates)
	}
	if c.Substantive() {
		t.Errorf("a date-line change is reported as text: %+v", c.Sections)
	}
	// The range of a past version is a date line too (the parser reads it
	// as history): its dates are not text.
	new2 := mk("2024. 1. 2.", "2024-01-09", "2024. 1. 9.")
	new2.Sections[0].Body[2] = "이전 방침: 2020년 1월 1일 ~ 2023년 12월 30일"
	if c := Compare(old, new2, Options{}); c.Substantive() || len(c.Dates) != 0 {
		t.Errorf("history date change: %+v", c)
	}
	// A date outside the date lines is text: a retention deadline.
	body := func(date string) *policy.Document {
		d := mk("2024. 1. 2.", "2024-01-09", "2024. 1. 9.")
		d.Sections[0].Body = append(d.Sections[0].Body, "이벤트 응모자 정보는 "+date+"까지 보관한 후 파기합니다.")
		return d
	}
	if c := Compare(body("2024년 12월 31일"), body("2025년 12월 31일"), Options{}); !c.Substantive() || len(c.Dates) != 0 {
		t.Errorf("retention date change: %+v", c)
	}
	// A date that appears or disappears.
	none := mk("2024. 1. 2.", "2024-01-09", "2024. 1. 9.")
	none.Effective = nil
	c = Compare(none, old, Options{})
	if len(c.Dates) != 1 || c.Dates[0].Old != nil || c.Dates[0].New == nil {
		t.Errorf("appearing date: %+v", c.Dates)
	}
}

func TestCategories(t *testing.T) {
	old := doc(sec("목적", policy.CategoryPurpose, "회원 관리"), sec("쿠키", policy.CategoryCookies, "쿠키를 씁니다."))
	new := doc(sec("목적", policy.CategoryPurpose, "회원 관리와 마케팅"), sec("쿠키", policy.CategoryOther, "쿠키를 씁니다."), sec("위탁", policy.CategoryOutsourcing, "택배사"))
	c := Compare(old, new, Options{})
	got := c.Categories()
	want := []policy.Category{policy.CategoryPurpose, policy.CategoryOutsourcing}
	if !slices.Equal(got, want) {
		t.Errorf("categories = %v, want %v", got, want)
	}
}

func TestContext(t *testing.T) {
	long := "첫 문장은 상관없는 내용입니다. 회사는 이용자의 동의를 받아 다음 정보를 수집하며 그 보유기간은 1년, 그 뒤에는 지체 없이 파기합니다. 마지막 문장도 상관없습니다."
	c := Compare(doc(sec("기간", policy.CategoryRetention, long)),
		doc(sec("기간", policy.CategoryRetention, strings.Replace(long, "1년", "3년", 1))), Options{Context: 20})
	h := c.Sections[0].Hunks[0]
	if !strings.HasPrefix(h.Before, "…") || strings.Contains(h.Before, "첫 문장") || len([]rune(h.Before)) > 21 {
		t.Errorf("before = %q", h.Before)
	}
	if h.After != ", 그 뒤에는 지체 없이 파기합니다." {
		t.Errorf("after = %q, want the rest of the sentence", h.After)
	}
	c = Compare(doc(sec("기간", policy.CategoryRetention, long)),
		doc(sec("기간", policy.CategoryRetention, strings.Replace(long, "1년", "3년", 1))), Options{Context: -1})
	if h := c.Sections[0].Hunks[0]; h.Before != "" || h.After != "" {
		t.Errorf("negative context gave %q / %q", h.Before, h.After)
	}
}

func TestApplyRejectsWrongDocument(t *testing.T) {
	a := fixtureDoc(t, readFixture(t, "sentence/old.txt"))
	b := fixtureDoc(t, readFixture(t, "sentence/new.txt"))
	c := Compare(a, b, Options{})
	other := fixtureDoc(t, readFixture(t, "paragraphs/old.txt"))
	if _, err := c.Apply(other); err == nil {
		t.Error("applying a change to another document succeeded")
	}
}

func TestRenderHTMLEscapes(t *testing.T) {
	old := doc(sec("<script>alert(1)</script>", policy.CategoryOther, "a < b & \"c\""))
	new := doc(sec("<script>alert(1)</script>", policy.CategoryOther, "a < b & \"d\" <img src=x onerror=alert(1)>"))
	c := Compare(old, new, Options{})
	var buf bytes.Buffer
	if err := RenderHTML(&buf, c, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script>", "<img", "& \""} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML output contains unescaped %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "&lt;img src=x") || !strings.Contains(out, "<ins>") {
		t.Errorf("HTML output lacks the escaped insertion:\n%s", out)
	}
}

func TestRenderJSONFieldNames(t *testing.T) {
	a := fixtureDoc(t, readFixture(t, "sentence/old.txt"))
	b := fixtureDoc(t, readFixture(t, "sentence/new.txt"))
	var buf bytes.Buffer
	if err := RenderJSON(&buf, Compare(a, b, Options{})); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"dates", "sections", "counts"} {
		if _, ok := v[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	s := v["sections"].([]any)[0].(map[string]any)
	for _, k := range []string{"kind", "old_title", "new_title", "key", "category", "old_index", "new_index", "hunks"} {
		if _, ok := s[k]; !ok {
			t.Errorf("JSON section lacks %q", k)
		}
	}
	h := s["hunks"].([]any)[0].(map[string]any)
	for _, k := range []string{"before", "after", "ops", "old_start", "old_end", "new_start", "new_end"} {
		if _, ok := h[k]; !ok {
			t.Errorf("JSON hunk lacks %q", k)
		}
	}
	// An empty change still has arrays, not nulls.
	buf.Reset()
	if err := RenderJSON(&buf, &Change{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"dates": []`) || !strings.Contains(buf.String(), `"sections": []`) {
		t.Errorf("empty change JSON: %s", buf.String())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

var errWrite = &json.UnsupportedValueError{Str: "boom"}

func TestRenderWriteError(t *testing.T) {
	c := &Change{Sections: []SectionChange{{Kind: KindAdded, NewTitle: "x", Hunks: []Hunk{{Ops: []Op{{OpInsert, strings.Repeat("가", 5000)}}}}}}, Counts: Counts{Added: 1}}
	for name, f := range map[string]func() error{
		"text": func() error { return RenderText(failWriter{}, c, RenderOptions{}) },
		"json": func() error { return RenderJSON(failWriter{}, c) },
		"html": func() error { return RenderHTML(failWriter{}, c, RenderOptions{}) },
	} {
		if err := f(); err == nil || !strings.HasPrefix(err.Error(), "diff: ") {
			t.Errorf("%s: err = %v, want a diff: error", name, err)
		}
	}
}

// TestTimeoutStillCorrect: when go-diff's timeout cuts a pathological
// section short, the change is coarser but still right.
func TestTimeoutStillCorrect(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	old := doc(policy.Section{Level: 1, Title: "무작위", Key: "무작위", Body: randomHangul(r, 4, 3000)})
	new := doc(policy.Section{Level: 1, Title: "무작위", Key: "무작위", Body: randomHangul(r, 4, 3000)})
	c := Compare(old, new, Options{Timeout: time.Millisecond})
	if c.Counts != (Counts{Modified: 1}) {
		t.Fatalf("counts %+v", c.Counts)
	}
	checkApply(t, old, new, c)
}

// The middle dots policies write interchangeably (ㆍ · ․ ‧ ∙ ⋅) are one
// punctuation mark to the diff.
func TestMiddleDotVariantsAreCosmetic(t *testing.T) {
	body := func(dot string) *policy.Document {
		return doc(sec("수집 항목", policy.CategoryItems, "이름"+dot+"연락처"+dot+"주소를 수집합니다."))
	}
	for _, dot := range []string{"·", "․", "‧", "∙", "⋅"} {
		if c := Compare(body("ㆍ"), body(dot), Options{}); c.Substantive() {
			t.Errorf("ㆍ → %q reported as a change: %+v", dot, c.Sections)
		}
	}
}
