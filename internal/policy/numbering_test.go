package policy

import (
	"strings"
	"testing"
)

// parserCoveredByGrammar checks one line: when the heading parser reads it
// as a numbered heading, NumberingLen reads the same marker, ending where
// the title (or its bracket) begins.
func parserCoveredByGrammar(t *testing.T, line string) {
	t.Helper()
	if s, hash := stripMarkdown(line); hash > 0 || s != line || strings.HasPrefix(line, "**") || strings.HasPrefix(line, "__") {
		return // the parser reads the marker inside Markdown; the diff strips that first
	}
	c := parseMarker(line)
	if !c.st.kind.numbered() || !c.shaped || c.title == "" {
		return
	}
	n := NumberingLen(line, true)
	if n == 0 {
		t.Errorf("parser reads %q as numbered (%q), NumberingLen reads no marker", line, c.marker)
		return
	}
	i := strings.Index(line[n:], c.title)
	if i < 0 {
		if strings.Contains(line, c.title) {
			t.Errorf("NumberingLen(%q) = %d (%q) reads into the parser's title %q", line, n, line[:n], c.title)
		}
		return // the title was rewritten (emphasis removed)
	}
	if between := line[n : n+i]; strings.Trim(between, " (（[【*_") != "" {
		t.Errorf("NumberingLen(%q) = %d (%q), then %q before the parser's title %q", line, n, line[:n], between, c.title)
	}
}

func TestParserNumberingIsTheGrammar(t *testing.T) {
	for _, line := range []string{
		"1. 개인정보의 처리 목적", "1.개인정보의 처리 목적", "12) 개인정보의 파기", "(1) 수집 항목", "(12) 수집 항목",
		"⑴ 수집 항목", "⒇ 수집 항목", "1.1 수집 항목", "8.2. 수집 항목", "3-1. 수집 항목", "3-1) 수집 항목",
		"3 . 정보주체의 권리", "3 ) 정보주체의 권리", "가. 수집 항목", "하) 수집 항목", "(가) 수집 항목", "① 수집 항목",
		"⑳수집 항목", "Ⅳ. 수집 항목", "Ⅻ 수집 항목", "제1조(목적)", "제 1 조 목적", "제1조. 목적", "제1조 (목적)",
		"제1조【목적】", "제1조（목적）", "제123조 [목적]", "제12조 개인정보의 처리 목적",
	} {
		c := parseMarker(line)
		if !c.st.kind.numbered() || !c.shaped {
			t.Errorf("parseMarker(%q) is not a numbered heading; fix the table", line)
		}
		parserCoveredByGrammar(t, line)
	}
	// What the grammar reads as a quantity or a number is not numbered,
	// so never a numbered heading (the parser read these before).
	for _, line := range []string{"1.5 배", "3) 년 보관", "(14) 세 미만", "2.1 10단계 절차", "1. 년간 보관"} {
		if c := readMarker(line); !c.st.kind.numbered() {
			t.Errorf("readMarker(%q) is not numbered; fix the table", line)
		}
		if c := parseMarker(line); c.st.kind.numbered() {
			t.Errorf("parseMarker(%q) reads a numbered heading %q, but it is a quantity", line, c.marker)
		}
	}
}

func TestNumberingLen(t *testing.T) {
	for _, tt := range []struct {
		line    string
		heading bool
		want    string
	}{
		{"1. 이름", false, "1."},
		{"1. ① 이름", false, "1."},
		{"3 . 정보주체의 권리", false, "3 ."},
		{"1.5 배", false, ""},
		{"(14) 세 미만", false, ""},
		{"3) 년 보관", false, ""},
		{"10% 할인", false, ""},
		{"2024", false, ""},
		{"2.1 10", false, ""},
		{"1234. 이름", false, ""},
		{"제15조 제1항에 따라", false, ""},
		{"제15조 제1항에 따라", true, "제15조"},
		{"제3조(목적)", false, "제3조"},
		{"제3조의2 (목적)", false, "제3조의2"},
		{"제1장. 총칙", true, "제1장."},
		{"제1조（목적）", false, "제1조"},
		{"㉠ 이름", false, "㉠"},
		{"①항에 따라", false, "①"},
		{"Ⅳ. 권리", false, "Ⅳ."},
		{"[3] 년", false, ""},
		{"<2> 항목", false, "<2>"},
		{"파. 항목", false, "파."},
		{"거. 항목", false, ""},
	} {
		if got := tt.line[:NumberingLen(tt.line, tt.heading)]; got != tt.want {
			t.Errorf("NumberingLen(%q, %v) reads %q, want %q", tt.line, tt.heading, got, tt.want)
		}
	}
}

// FuzzNumberingCoversParser checks that every marker the heading parser
// reads as numbering the shared grammar reads too.
func FuzzNumberingCoversParser(f *testing.F) {
	for _, s := range []string{"1. 목적", "3 . 권리", "제1조（목적）", "⑴ 항목", "8.2. 항목", "3-1) 항목", "Ⅻ 항목", "1.5 배"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		line = Normalize(line)
		if strings.Contains(line, "\n") {
			return
		}
		parserCoveredByGrammar(t, line)
	})
}
