package policy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func addFixtureSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if strings.HasSuffix(name, ".golden") {
			continue
		}
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"시행일자: 2024년 3월 1일", "2024.02.30", "'24.03.01 ~ 24.12.31", "1. a\n2. b\n3. c\n1. a",
		"제 1 조 (목적) 본문", "■\n○\n-", "2024년 2월21일부터 시행", "7일(불리한 경우 30일) 전",
		"이 방침은 2025년\n3월 1일부터 시행", "본 방침은 2025. 3.\n1.부터 적용", "이 방침은 2025-03-01부터\n시행됩니다.",
		"제9조(방침의 변경)\n게시한 날로부터 7일 후부터 효력이 발생", "■ 변경\n공지 후 7일이 지난 날부터 적용",
		"---\neffective: 2025-03-01\n시행일: '25.03.01\nlast_updated: \"2025년 3월 1일\"\n---\n# 제목", "---\n---\n본문", "---\na: 1\n...",
	} {
		f.Add(s)
	}
}

// FuzzFindDates: no panic; every date exists; line numbers are within the input.
func FuzzFindDates(f *testing.F) {
	addFixtureSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Count(text, "\n") + 1
		for _, r := range FindDates(text) {
			if _, ok := NewDate(r.Date.Year, r.Date.Month, r.Date.Day); !ok {
				t.Fatalf("invalid date %+v", r)
			}
			if r.Line < 1 || r.Line > lines {
				t.Fatalf("line %d outside 1..%d", r.Line, lines)
			}
		}
	})
}

// FuzzParse: no panic; sections in order, not overlapping, within the input
// and not longer than it; dates valid; output is valid UTF-8 when input is.
func FuzzParse(f *testing.F) {
	addFixtureSeeds(f)
	for _, s := range []string{
		"# 개인정보처리방침\n## 1. 목적\n본문\n### 가. 세부\n#### \n##\n####### 일곱",
		"### 제1조(목적)\n제2조(항목)\n## 3. 보유\n# 부칙",
		"## 목차\n1. 가\n2. 나\n3. 다\n## 1. 가\n본문",
		"[목차]\n1. 목적 2. 항목\n3. 기간 ··· 3\n- 4. 파기\n1. 목적\n본문", "**목차**\n### 1. 가\n### 2. 나\n## 1. 가\n본문",
		"1.\n개인정보의 처리 목적\n본문\n제2조\n(보유기간)\n## 3.\n파기\n4.\n5.",
		"제1조(목적) 회사는 처리합니다.\n제2조(항목) 회사는 수집합니다.\n1. 수집하는 개인정보 항목 회사는 이름을 수집합니다.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		doc := Parse(text)
		checkInvariants(t, doc, text)
		for _, s := range doc.Sections {
			if s.Heading != "" && s.Level < 1 {
				t.Fatalf("heading %q at level %d", s.Heading, s.Level)
			}
		}
		if utf8.ValidString(text) {
			for _, s := range doc.Sections {
				if !utf8.ValidString(s.Title) || !utf8.ValidString(s.Key) {
					t.Fatalf("invalid UTF-8 in %+v", s)
				}
			}
		}
	})
}

// FuzzLineFacts: the facts the parser finds once per line (in the
// normalizer's pass when the line is plain) are what the tests they stand
// for would say of the normalized line.
func FuzzLineFacts(f *testing.F) {
	// Lines, not whole fixtures: the fuzzer minimises what it finds, and
	// lines keep that quick.
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	seen := map[string]bool{}
	for _, name := range files {
		b, _ := os.ReadFile(name)
		for line := range strings.SplitSeq(string(b), "\n") {
			if line != "" && !seen[line] && len(seen) < 200 {
				seen[line] = true
				f.Add(line)
			}
		}
	}
	for _, s := range []string{"2024.03.01", "1 2 3", "a1b2", "_2_0_24", "**1**", "가1나22", "1\u00a02", " 12 ", "1\uFFFD2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		s, got := normalize(line)
		if s != Normalize(line) {
			t.Fatalf("normalize(%q) = %q, Normalize %q", line, s, Normalize(line))
		}
		if want := factsOf(s); got != want {
			t.Fatalf("facts of %q: %b, factsOf %b", line, got, want)
		}
		if (got&factDigit != 0) != strings.ContainsAny(s, "0123456789") ||
			(got&factDateDigits != 0) != hasDateDigits(s) ||
			(got&factEmphasis != 0) != (dateText(s) != s) {
			t.Fatalf("facts of %q (%q): %b", line, s, got)
		}
	})
}

// FuzzFields: fields splits as strings.FieldsSeq does.
func FuzzFields(f *testing.F) {
	for _, s := range []string{"", " ", "개인정보의 처리 목적", "a\u00a0b\u3000c\u2003d", "가\xeb 나", "\xed\xa0\x80 x", "회사는\t이용자\n", "\xea\xb0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := slices.Collect(fields(s)), slices.Collect(strings.FieldsSeq(s))
		if !slices.Equal(got, want) {
			t.Fatalf("fields(%q) = %q, strings.FieldsSeq %q", s, got, want)
		}
	})
}
