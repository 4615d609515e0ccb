package monitor

import (
	"fmt"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/notice"
)

// Issue 9, item 7: classes of real pages the parser misread, each through
// the whole check against a loopback server, with pages of our own in the
// seeds' style.

// policyPromise is policyWith with the change section's notice sentence
// replaced by promise.
func policyPromise(promise, retention, dates string) response {
	r := policyWith(retention, dates)
	const was = "현 개인정보처리방침 내용의 추가, 삭제 및 수정이 있을 시에는 개정 최소 7일 전부터 홈페이지의 '공지사항'을 통해 고지할 것입니다."
	body := string(r.body)
	if !strings.Contains(body, was) {
		panic("goodPolicy lost its notice sentence")
	}
	r.body = []byte(strings.Replace(body, was, promise, 1))
	return r
}

func violationLine(vs []notice.Violation) string {
	var out []string
	for _, v := range vs {
		a := "-"
		if v.ActualDays != nil {
			a = fmt.Sprint(*v.ActualDays)
		}
		out = append(out, fmt.Sprintf("%s(%d/%s,%s)", v.Rule, v.RequiredDays, a, v.RequiredBy))
	}
	return strings.Join(out, " ")
}

// A 시행 sentence the page broke with <br>, wherever the break falls, gives
// the 시행일자.
func TestEffectiveSentenceBrokenByBr(t *testing.T) {
	for name, dates := range map[string]string{
		"before the date":  "<p>이 개인정보 처리방침은<br>2026년 9월 25일부터 시행됩니다.</p>",
		"after 부터":         "<p>이 개인정보 처리방침은 2026년 9월 25일부터<br>시행됩니다.</p>",
		"inside the date":  "<p>이 개인정보 처리방침은 2026년<br>9월 25일(금)부터 적용됩니다.</p>",
		"dotted, cut late": "<p>본 방침은 2026. 9.<br/>25.부터 시행합니다.</p>",
	} {
		t.Run(name, func(t *testing.T) {
			_, evs, _ := checkSeq(t, policyWith("5년", dates))
			if v := evs[0].Version; v.Effective == nil || *v.Effective != "2026-09-25" {
				t.Errorf("effective %s, want 2026-09-25", str(v.Effective))
			}
		})
	}
}

// A promise counted from the posting ("게시한 날로부터 14일 후부터 효력이
// 발생") is the policy's notice period: a change that takes effect 10 days
// after it was first seen is late against it, not against the default 7.
func TestPromiseCountedFromPosting(t *testing.T) {
	for _, promise := range []string{
		"이 방침을 변경하는 경우 홈페이지에 게시한 날로부터 14일 후부터 효력이 발생합니다.",
		"변경된 방침은 공지한 날로부터 14일이 경과한 날부터 효력을 가집니다.",
		"개정 내용은 공지사항에 고지 후 14일이 지난 날부터 적용됩니다.",
	} {
		t.Run(promise, func(t *testing.T) {
			old := policyPromise(promise, "5년", "<p>시행일자 : 2026년 09월 25일</p>")
			// checkSeq sees the first page on 2026-11-01 and the second an
			// hour later; the new version takes effect ten days on.
			next := policyPromise(promise, "3년", "<p>시행일자 : 2026년 11월 11일</p>")
			rs, _, _ := checkSeq(t, old, next)
			if got, want := violationLine(rs[1].Violations), "late_notice(14/10,policy)"; got != want {
				t.Errorf("violations %q, want %q", got, want)
			}
		})
	}
}

// articlePage is a policy of three sections whose markup is the layout
// under test: layout writes one section from its number, title and body.
func articlePage(layout func(n int, title, body string) string, toc string, retention string) response {
	secs := []struct{ title, body string }{
		{"개인정보의 처리 목적", "늘봄복지관은 이용자 상담과 프로그램 신청 관리를 위하여 개인정보를 처리합니다."},
		{"처리하는 개인정보 항목", "늘봄복지관은 이름, 생년월일, 연락처, 보호자 연락처를 처리합니다."},
		{"개인정보의 보유기간", "늘봄복지관은 프로그램 종료 후 " + retention + "간 개인정보를 보유합니다."},
		{"개인정보 보호책임자", "개인정보 보호책임자는 운영지원팀장이며 연락처는 02-000-0000입니다."},
	}
	var b strings.Builder
	b.WriteString("<h2>늘봄복지관 개인정보 처리방침</h2><p>늘봄복지관은 「개인정보 보호법」에 따라 이용자의 개인정보를 보호합니다.</p>")
	b.WriteString(toc)
	for i, s := range secs {
		b.WriteString(layout(i+1, s.title, s.body))
	}
	b.WriteString("<p>이 개인정보 처리방침은 2026년 9월 25일부터 시행합니다.</p>")
	return response{body: []byte(wrapPage("개인정보 처리방침", b.String()))}
}

// Pages that set headings apart from the grammar's usual layout: each one
// a baseline, then the same page with only the retention period changed.
// The change is the retention section's alone, under its own title.
func TestHeadingLayoutsReportTheRealSection(t *testing.T) {
	const toc = `<p>[ 목 차 ]</p><p>1. 개인정보의 처리 목적 2. 처리하는 개인정보 항목</p><p>3. 개인정보의 보유기간 4. 개인정보 보호책임자</p>`
	for name, tc := range map[string]struct {
		layout func(n int, title, body string) string
		toc    string
	}{
		"articles run into their sentence": {func(n int, title, body string) string {
			return fmt.Sprintf("<p>제%d조(%s) %s</p>", n, title, body)
		}, ""},
		"numbered titles run into their sentence": {func(n int, title, body string) string {
			return fmt.Sprintf("<p>%d. %s %s</p>", n, title, body)
		}, ""},
		"the number in a block of its own": {func(n int, title, body string) string {
			return fmt.Sprintf("<p class=\"no\">%d.</p><p class=\"tit\">%s</p><p>%s</p>", n, title, body)
		}, ""},
		"제N조 over its bracketed title": {func(n int, title, body string) string {
			return fmt.Sprintf("<div class=\"art\"><strong>제%d조</strong><br>(%s)</div><p>%s</p>", n, title, body)
		}, ""},
		"a 목차 two entries to a line over bold headings": {func(n int, title, body string) string {
			return fmt.Sprintf("<p><b>%d. %s</b></p><p>%s</p>", n, title, body)
		}, toc},
	} {
		t.Run(name, func(t *testing.T) {
			rs, evs, _ := checkSeq(t, articlePage(tc.layout, tc.toc, "3년"), articlePage(tc.layout, tc.toc, "1년"))
			if rs[1].Status != StatusChanged || len(evs) != 2 {
				t.Fatalf("second check %s, events %s", rs[1].Status, eventTypes(evs))
			}
			var got []string
			for _, s := range evs[1].Sections {
				got = append(got, s.Change+" "+s.Title)
			}
			if want := "modified 개인정보의 보유기간"; strings.Join(got, "; ") != want {
				t.Errorf("sections %q, want %q", got, want)
			}
		})
	}
}
