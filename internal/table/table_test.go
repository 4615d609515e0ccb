package table

import (
	"strings"
	"testing"
)

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "위반": 4, "v2 변경됨": 9, "ＡＢ": 4} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestColumnsLineUpWithKorean(t *testing.T) {
	var b strings.Builder
	tb := New(&b)
	tb.Row("번호\t상태\t위반")
	tb.Row("1\tok\t-")
	tb.Row("12\t실패 3회\t공고 기간 부족")
	if err := tb.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := []string{
		"번호  상태      위반",
		"1     ok        -",
		"12    실패 3회  공고 기간 부족",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("table =\n%s\nwant\n%s", b.String(), strings.Join(want, "\n"))
	}
}
