package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/policy"
)

// FuzzCompare parses two texts and compares them: no panic, a document
// compared with itself is empty, counts add up, and the change applies back.
func FuzzCompare(f *testing.F) {
	// Excerpts of the fixtures: whole fixtures make the fuzzing engine
	// crawl (each execution then costs milliseconds), excerpts keep the
	// shapes that matter.
	excerpt := func(b []byte) string {
		s := string(b)
		if len(s) > 700 {
			s = s[:strings.LastIndexByte(s[:700], '\n')+1]
		}
		return s
	}
	for _, tc := range goldenCases {
		if tc.name == "euckr" {
			continue
		}
		old, err1 := os.ReadFile(filepath.Join("testdata", tc.name, "old.txt"))
		new, err2 := os.ReadFile(filepath.Join("testdata", tc.name, "new.txt"))
		if err1 != nil || err2 != nil {
			f.Fatal(err1, err2)
		}
		// The fixture markup ("# ", "@effective ") reads as plain text.
		f.Add(excerpt(old), excerpt(new))
	}
	f.Add("", "")
	f.Add("1. 목적\n회원 관리", "1. 목적\n회원 관리\n2. 보유기간\n1년")
	f.Add("■ 수집 항목\n- 이름\n- 이메일", "■ 수집항목\n• 이름\n• 주소")
	f.Add("제1조(목적) 회원 관리\n공고일자: 2024년 1월 1일\n시행일자: 2024년 1월 8일", "제1조(목적) 회원 관리\n공고일자: 2024년 2월 1일\n시행일자: 2024년 2월 8일")
	f.Add("a\n\n\nb", "b\n\na")
	f.Add("①②③ ㉠ 2024.1.1. www.example.kr a@b.co", "① ② ③ ㉡ 2024-01-01 http://example.kr/x?y=1 a@b.com")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 20000 || len(b) > 20000 {
			return
		}
		da, db := policy.Parse(a), policy.Parse(b)
		if c := Compare(da, da, Options{}); !c.Empty() {
			t.Fatalf("Compare(a, a) not empty: %+v", c)
		}
		c := Compare(da, db, Options{})
		checkChange(t, c)
		for _, s := range c.Sections {
			for _, h := range s.Hunks {
				for _, op := range h.Ops {
					if !utf8.ValidString(op.Text) {
						t.Fatalf("op text is not UTF-8: %q", op.Text)
					}
				}
			}
		}
		checkApply(t, da, db, c)
		// Swapping sides swaps added and removed.
		r := Compare(db, da, Options{})
		if r.Counts.Added != c.Counts.Removed || r.Counts.Removed != c.Counts.Added {
			t.Fatalf("counts %+v, reversed %+v", c.Counts, r.Counts)
		}
	})
}
