package diff

import (
	"slices"

	"github.com/monitord/monitord/internal/policy"
	"strings"
	"testing"
)

func TestParseSectionReadsWhatFormatSectionWrote(t *testing.T) {
	old := doc(sec("보유기간", policy.CategoryRetention, "회원 정보는 탈퇴 후 5년간 보관합니다.", "문의: 02-000-0000"))
	new := doc(sec("보유기간", policy.CategoryRetention, "회원 정보는 탈퇴 후 10년간 보관합니다.", "문의: privacy@example.kr"))
	c := Compare(old, new, Options{})
	if len(c.Sections) == 0 {
		t.Fatal("no changed section")
	}
	s := c.Sections[0]
	text := FormatSection(s, RenderOptions{})
	var before, after []string
	for _, l := range ParseSection(s.Kind, text) {
		if l.Changed() {
			before = append(before, l.Side(true))
			after = append(after, l.Side(false))
		}
	}
	for _, want := range []string{"회원 정보는 탈퇴 후 5년간 보관합니다.", "문의: 02-000-0000"} {
		if !slices.Contains(before, want) {
			t.Errorf("before lines %q lack %q (text %q)", before, want, text)
		}
	}
	for _, want := range []string{"회원 정보는 탈퇴 후 10년간 보관합니다.", "문의: privacy@example.kr"} {
		if !slices.Contains(after, want) {
			t.Errorf("after lines %q lack %q (text %q)", after, want, text)
		}
	}
}

func TestParseSectionMarks(t *testing.T) {
	tests := []struct {
		kind, text string
		want       []Line
	}{
		{KindModified, "보유기간: ~~5년~~ **10년**", []Line{{Spans: []Span{{OpEqual, "보유기간: "}, {OpDelete, "5년"}, {OpInsert, "10년"}}}}},
		{KindModified, "기간 1~~2 (unclosed)", []Line{{Spans: []Span{{OpEqual, "기간 1~~2 (unclosed)"}}}}},
		{KindModified, "**추가된 줄**\n그대로", []Line{{Spans: []Span{{OpInsert, "추가된 줄"}}}, {Spans: []Span{{OpEqual, "그대로"}}}}},
		{KindAdded, "+ 가\n+ 나", []Line{{Spans: []Span{{OpInsert, "가"}}}, {Spans: []Span{{OpInsert, "나"}}}}},
		{KindRemoved, "- 가", []Line{{Spans: []Span{{OpDelete, "가"}}}}},
	}
	for _, tt := range tests {
		got := ParseSection(tt.kind, tt.text)
		if !slices.EqualFunc(got, tt.want, func(a, b Line) bool { return slices.Equal(a.Spans, b.Spans) }) {
			t.Errorf("ParseSection(%s, %q) = %+v, want %+v", tt.kind, tt.text, got, tt.want)
		}
	}
}

func FuzzParseSection(f *testing.F) {
	f.Add("보유기간: ~~5년~~ **10년**")
	f.Add("~~~~****")
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range ParseSection(KindModified, s) {
			for _, sp := range l.Spans {
				if sp.Text == "" {
					t.Fatalf("empty span in %q", s)
				}
			}
			if strings.Contains(l.Side(true)+l.Side(false), "\n") {
				t.Fatalf("a line spans lines in %q", s)
			}
		}
	})
}
