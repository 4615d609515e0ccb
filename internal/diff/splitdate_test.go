package diff

import (
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/policy"
)

// A page that breaks a sentence with <br> can cut its date in two
// ("… 2025년" / "3월 1일부터 시행합니다."). The parser reads the date across
// the break; the diff must treat both halves as that date, so a date-only
// edit lists no section as modified and reports the date change alone.
func TestSplitDateOnlyChange(t *testing.T) {
	doc := func(tail, head string) string {
		return strings.Join([]string{
			"개인정보 처리방침",
			"1. 개인정보의 처리 목적",
			"회사는 회원 관리와 주문 배송을 위하여 개인정보를 처리합니다.",
			"2. 개인정보 처리방침의 변경",
			"이 개인정보 처리방침은 " + tail,
			head + "부터 시행합니다.",
		}, "\n")
	}
	cases := []struct{ name, oldTail, oldHead, newTail, newHead string }{
		{"month and day after the break", "2025년", "3월 1일", "2025년", "4월 1일"},
		{"day after the break", "2025년 3월", "1일", "2025년 3월", "15일"},
		{"year before the break changes", "2025년", "3월 1일", "2026년", "3월 1일"},
		{"dotted", "2025.", "3. 1.", "2025.", "4. 1."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := policy.Parse(doc(tc.oldTail, tc.oldHead)), policy.Parse(doc(tc.newTail, tc.newHead))
			if a.Effective == nil || b.Effective == nil || a.Effective.Date == b.Effective.Date {
				t.Fatalf("the parser does not read the cut dates: old %+v, new %+v", a.Effective, b.Effective)
			}
			c := Compare(a, b, Options{})
			if c.Substantive() {
				t.Errorf("only the cut date changed, yet sections changed: %+v", c.Sections)
			}
			if len(c.Dates) != 1 || c.Dates[0].Field != FieldEffective {
				t.Errorf("date changes %+v; want the 시행일자 alone", c.Dates)
			}
		})
	}
	// A real edit beside the cut date is still a change.
	a := policy.Parse(doc("2025년", "3월 1일"))
	b := policy.Parse(strings.Replace(doc("2025년", "4월 1일"), "주문 배송", "주문 배송과 마케팅", 1))
	if c := Compare(a, b, Options{}); !c.Substantive() {
		t.Error("a changed purpose beside the cut date is no change")
	}
}

// Every date form of the parser's grammar, cut at every space inside it:
// where the parser reads the cut date as the 시행일자, a date-only edit
// changes no section, and neither does moving the date onto one line.
func TestSplitDateEveryForm(t *testing.T) {
	d1, d2 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	doc := func(sentence string) string {
		return "1. 개인정보의 처리 목적\n회사는 회원 관리를 위하여 개인정보를 처리합니다.\n2. 개인정보 처리방침의 변경\n" + sentence
	}
	cut := func(date string, at int) string {
		return "이 개인정보 처리방침은 " + date[:at] + "\n" + date[at+1:] + "부터 시행합니다."
	}
	read := 0
	for fi, form := range dateForms {
		a, b := form(d1), form(d2)
		for at := range len(a) {
			if a[at] != ' ' {
				continue
			}
			bt := strings.IndexByte(b[at:], ' ') // the same cut in the other date, by position of the space
			if n := strings.Count(a[:at], " "); bt < 0 || strings.Count(b, " ") != strings.Count(a, " ") {
				continue
			} else {
				bt = nthSpace(b, n)
			}
			old, cur := policy.Parse(doc(cut(a, at))), policy.Parse(doc(cut(b, bt)))
			if old.Effective == nil || cur.Effective == nil || old.Effective.Date.String() != "2025-03-01" || cur.Effective.Date.String() != "2026-11-24" {
				continue // the parser does not read this cut: nothing to mask
			}
			read++
			if c := Compare(old, cur, Options{}); c.Substantive() {
				t.Errorf("form %d cut at byte %d (%q): date-only edit changed sections: %+v", fi, at, cut(a, at), c.Sections)
			}
			whole := policy.Parse(doc("이 개인정보 처리방침은 " + b + "부터 시행합니다."))
			if c := Compare(old, whole, Options{}); c.Substantive() {
				t.Errorf("form %d cut at byte %d: the date joined onto one line changed sections: %+v", fi, at, c.Sections)
			}
		}
	}
	if read < 10 {
		t.Fatalf("the parser read only %d cut dates; the test exercises too little", read)
	}
	t.Logf("%d cut dates read and masked", read)
}

// nthSpace returns the byte offset of the n-th space (from 0) of s.
func nthSpace(s string, n int) int {
	for i := range len(s) {
		if s[i] == ' ' {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return -1
}
