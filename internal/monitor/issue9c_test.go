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
