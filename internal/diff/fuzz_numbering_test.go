package diff

import (
	"fmt"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/policy"
)

// numberingForms are the numbering markers of the shared grammar
// (policy.NumberingLen), each as a function of a number.
var numberingForms = []func(n int) string{
	func(n int) string { return fmt.Sprintf("%d.", n%1000) },
	func(n int) string { return fmt.Sprintf("%d)", n%1000) },
	func(n int) string { return fmt.Sprintf("%d .", n%100) },
	func(n int) string { return fmt.Sprintf("(%d)", n%1000) },
	func(n int) string { return fmt.Sprintf("[%d]", n%1000) },
	func(n int) string { return fmt.Sprintf("<%d>", n%1000) },
	func(n int) string { return fmt.Sprintf("%d-1.", n%100) },
	func(n int) string { return fmt.Sprintf("1-%d)", n%100) },
	func(n int) string { return fmt.Sprintf("1.%d", n%100) },
	func(n int) string { return fmt.Sprintf("2.%d.", n%100) },
	func(n int) string { return fmt.Sprintf("제%d조", n%1000) },
	func(n int) string { return fmt.Sprintf("제 %d 조", n%1000) },
	func(n int) string { return fmt.Sprintf("제%d조의2", n%1000) },
	func(n int) string { return fmt.Sprintf("제%d장", n%100) },
	func(n int) string { return string(rune('①' + n%20)) },
	func(n int) string { return string(rune('⑴' + n%20)) },
	func(n int) string { return string(rune('㉠' + n%14)) },
	func(n int) string { return string(rune('❶' + n%10)) },
	func(n int) string { return string(rune('Ⅰ'+n%12)) + "." },
	func(n int) string { return string([]rune("가나다라마바사아자차카타파하")[n%14]) + "." },
	func(n int) string { return string([]rune("가나다라마바사아자차카타파하")[n%14]) + ")" },
	func(n int) string {
		return "(" + string([]rune("가나다라마바사아자차카타파하")[n%14]) + ")"
	},
}

// FuzzRenumber checks the numbering grammar as the diff uses it: a line and
// the same line renumbered compare as cosmetic whenever both read as
// numbered; a number the grammar does not read as numbering (a quantity,
// "3) 년") is text, so changing it is substantive; and a line whose body
// changes is never cosmetic.
func FuzzRenumber(f *testing.F) {
	f.Add(uint8(0), uint16(1), uint16(2), "개인정보의 처리 목적", "개인정보의 처리 항목")
	f.Add(uint8(1), uint16(3), uint16(5), "년 보관", "년간 보관")
	f.Add(uint8(3), uint16(14), uint16(19), "세 미만 아동", "세 이상 아동")
	f.Add(uint8(10), uint16(15), uint16(17), "제1항에 따라 처리", "제2항에 따라 처리")
	f.Add(uint8(10), uint16(3), uint16(4), "(목적) 이 방침은", "(목적) 본 방침은")
	f.Add(uint8(8), uint16(5), uint16(7), "배 이내", "배 이상")
	f.Add(uint8(14), uint16(0), uint16(1), "① 이름", "② 이름")
	f.Add(uint8(2), uint16(3), uint16(4), "정보주체의 권리", "정보주체의 의무")
	f.Add(uint8(0), uint16(1), uint16(2), "5 배", "10 배")
	f.Fuzz(func(t *testing.T, form uint8, a, b uint16, body1, body2 string) {
		mark := numberingForms[int(form)%len(numberingForms)]
		z := tokenizer{}
		line1 := normText([]string{mark(int(a)) + " " + body1})
		line2 := normText([]string{mark(int(b)) + " " + body1})
		line3 := normText([]string{mark(int(a)) + " " + body2})
		for _, l := range []string{line1, line2, line3} {
			if strings.Contains(l, "\n") {
				return // one line each
			}
		}
		m1, m2, m3 := policy.NumberingLen(line1, false), policy.NumberingLen(line2, false), policy.NumberingLen(line3, false)
		switch {
		case m1 > 0 && m2 > 0:
			if !equivalent(z, line1, line2) {
				t.Errorf("renumbered line is substantive:\n%q\n%q", line1, line2)
			}
		case m1 == 0 && m2 == 0 && mark(int(a)) != mark(int(b)):
			if equivalent(z, line1, line2) {
				t.Errorf("a number that is text changed, yet cosmetic:\n%q\n%q", line1, line2)
			}
		}
		// Bodies compared as text that follows a marker: "가나 " is a word,
		// not numbering, so what comes after it is tokenized as it is in
		// line1 and line3.
		if m1 > 0 && m3 > 0 {
			k1 := normText([]string{"가나 " + body1})
			k3 := normText([]string{"가나 " + body2})
			if !strings.Contains(k1, "\n") && !strings.Contains(k3, "\n") && !equivalent(z, k1, k3) && equivalent(z, line1, line3) {
				t.Errorf("changed body is cosmetic:\n%q\n%q", line1, line3)
			}
		}
	})
}
