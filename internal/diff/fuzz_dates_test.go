package diff

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/policy"
)

// dateForms are the ways policies write a date, one per grammar form the
// parser reads (policy.ScanDates): the diff must treat each as a date.
var dateForms = []func(d time.Time) string{
	func(d time.Time) string { return fmt.Sprintf("%d년 %d월 %d일", d.Year(), d.Month(), d.Day()) },
	func(d time.Time) string { return fmt.Sprintf("%04d년 %02d월 %02d일", d.Year(), d.Month(), d.Day()) },
	func(d time.Time) string { return fmt.Sprintf("%d. %d. %d.", d.Year(), d.Month(), d.Day()) },
	func(d time.Time) string { return d.Format("2006.01.02") },
	func(d time.Time) string { return d.Format("2006-01-02") },
	func(d time.Time) string { return d.Format("2006/01/02") },
	func(d time.Time) string { return d.Format("'06.01.02") },
	func(d time.Time) string { return fmt.Sprintf("’%02d. %d. %d.", d.Year()%100, d.Month(), d.Day()) },
	func(d time.Time) string { return d.Format("06.01.02") },
	func(d time.Time) string { return d.Format("January 2, 2006") },
	func(d time.Time) string { return d.Format("2 Jan 2006") },
	func(d time.Time) string {
		return fmt.Sprintf("%d년 %d월 %d일(%s)", d.Year(), d.Month(), d.Day(), []string{"일", "월", "화", "수", "목", "금", "토"}[d.Weekday()])
	},
	func(d time.Time) string { return d.Format("2006.01.02 (Mon)") },
}

// dateLineForms are the ways a policy states a date on a line of its own
// or in a sentence: labels, sentence forms, version lists, ranges, table
// rows. {d} is the date.
var dateLineForms = []string{
	"공고일자: {d}", "시행일자 : {d}", "- 시행일: {d}", "개정일 {d}", "최종 수정일: {d}", "적용일자 {d}",
	"이 개인정보처리방침은 {d}부터 시행합니다.", "본 방침은 {d}부터 적용됩니다.", "{d} 시행",
	"Effective date: {d}", "Last updated: {d}", "이전 처리방침: {d} ~ {d}", "{d} 개정",
	"| {d} | {d} | 현행 |",
}

// FuzzDatesOnly: a text that differs only in its dates is never
// substantive. The fuzzer writes a policy around date lines; the old and the
// new text put different dates on those lines, each in a form of the
// parser's date grammar; the diff must find no changed section (the dates
// go to date_changes).
func FuzzDatesOnly(f *testing.F) {
	f.Add("1. 개인정보의 처리 목적\n회원 관리를 위하여 개인정보를 처리합니다.\n2. 개인정보 처리방침의 변경\n{L}\n{L}", uint64(1), uint64(2), uint8(0), uint8(3))
	f.Add("제1조(목적)\n회사는 개인정보를 수집합니다.\n{L}\n제2조(보유)\n1년간 보유합니다.\n{L}", uint64(77), uint64(9), uint8(6), uint8(1))
	f.Add("# Privacy\nWe collect data.\n{L}\n## Changes\n{L}", uint64(5), uint64(1<<40), uint8(9), uint8(10))
	f.Add("{L}", uint64(3), uint64(4), uint8(11), uint8(7))
	f.Add("■ 변경 이력\n{L}\n{L}\n{L}", uint64(12345), uint64(54321), uint8(2), uint8(12))
	f.Fuzz(func(t *testing.T, tmpl string, seedOld, seedNew uint64, form, lineForm uint8) {
		if len(tmpl) > 4000 || strings.Count(tmpl, "{L}") > 20 {
			return
		}
		if !strings.Contains(tmpl, "{L}") {
			tmpl += "\n{L}"
		}
		// The fuzzer's own text must not hold dates or placeholders of
		// its own: only the date lines differ.
		if strings.Contains(strings.ReplaceAll(tmpl, "{L}", ""), "{") || policy.ScanDates(strings.ReplaceAll(tmpl, "{L}", "")) != nil {
			return
		}
		for _, l := range strings.Split(tmpl, "\n") {
			if strings.Contains(l, "{L}") && strings.TrimSpace(l) != "{L}" {
				return // a date line is a line of its own
			}
		}
		build := func(seed uint64) string {
			var b strings.Builder
			k := 0
			parts := strings.Split(tmpl, "{L}")
			for i, p := range parts {
				b.WriteString(p)
				if i == len(parts)-1 {
					break
				}
				d := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int((seed+uint64(k)*7919)%9000))
				lf := dateLineForms[(int(lineForm)+k)%len(dateLineForms)]
				df := dateForms[(int(form)+k)%len(dateForms)]
				b.WriteString(strings.ReplaceAll(lf, "{d}", df(d)))
				k++
			}
			return b.String()
		}
		a, b := build(seedOld), build(seedNew)
		c := Compare(policy.Parse(a), policy.Parse(b), Options{})
		if c.Substantive() {
			t.Fatalf("dates only changed, yet sections changed:\n--- old\n%s\n--- new\n%s\n--- change\n%+v", a, b, c.Sections)
		}
	})
}
