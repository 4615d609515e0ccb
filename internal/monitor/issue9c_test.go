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

// A policy of paragraphs without headings, served again with its lines
// broken elsewhere (a paragraph split in two, two joined, blank lines), is
// the same policy: stored as cosmetic, no policy.changed.
func TestLineBreakOnlyEditIsCosmetic(t *testing.T) {
	paras := []string{
		"별빛천문대 개인정보 처리방침",
		"별빛천문대는 관측 프로그램 예약을 위하여 이름과 휴대전화번호를 수집합니다. 수집한 정보는 예약 확인과 안내 문자 발송에만 이용합니다.",
		"예약 정보는 관측일로부터 6개월간 보관한 뒤 지체 없이 파기하며, 법령이 정한 경우에는 그 기간 동안 보관합니다.",
		"별빛천문대는 이용자의 동의 없이 개인정보를 제3자에게 제공하지 않으며, 수집한 개인정보의 처리를 외부에 위탁하지 않습니다.",
		"개인정보 보호책임자는 운영팀장이며, 개인정보와 관련한 문의는 천문대 사무실(000-000-0000)로 하여 주시기 바랍니다.",
		"이 개인정보 처리방침은 2026년 9월 25일부터 시행합니다.",
	}
	md := func(text string) response {
		return response{contentType: "text/markdown; charset=utf-8", body: []byte(text)}
	}
	base := strings.Join(paras, "\n\n") + "\n"
	split := strings.Replace(base, "수집합니다. 수집한", "수집합니다.\n\n수집한", 1)
	joined := strings.Replace(base, "이용합니다.\n\n예약", "이용합니다. 예약", 1)
	blank := strings.ReplaceAll(base, "\n\n", "\n\n\n\n")
	rs, evs, _ := checkSeq(t, md(base), md(split), md(joined), md(blank))
	for i, r := range rs[1:] {
		if r.Status != StatusCosmetic && r.Status != StatusUnchanged {
			t.Errorf("check %d: %s %v, want cosmetic", i+2, r.Status, r.Err)
		}
	}
	if got := eventTypes(evs); strings.Contains(got, "policy.changed") {
		t.Errorf("events %s", got)
	}
}

// A Markdown policy that states its 시행일 only in its front matter: the
// date is read, the front matter is no section, and a later version that
// moves only that date is a date change with no changed section.
func TestFrontMatterDateOnly(t *testing.T) {
	page := func(effective, retention string) response {
		return response{contentType: "text/markdown; charset=utf-8", body: []byte("---\nlayout: legal\ntitle: 달빛메모 개인정보처리방침\npermalink: /privacy/\neffective_date: " + effective + "\n---\n\n" +
			"# 달빛메모 개인정보처리방침\n\n달빛메모(이하 '서비스')는 이용자의 개인정보를 소중히 다룹니다.\n\n" +
			"## 1. 수집하는 개인정보 항목\n\n서비스는 로그인을 위해 이메일 주소를 수집하며, 메모 내용은 기기에만 저장합니다.\n\n" +
			"## 2. 개인정보의 보유 및 파기\n\n수집한 개인정보는 탈퇴 후 " + retention + " 이내에 지체 없이 파기합니다.\n\n" +
			"## 3. 개인정보의 제3자 제공\n\n서비스는 이용자의 개인정보를 제3자에게 제공하지 않습니다.\n")}
	}
	rs, evs, _ := checkSeq(t, page("2026-09-25", "30일"), page("2026-11-20", "30일"), page("2026-11-20", "7일"))
	if v := evs[0].Version; v.Effective == nil || *v.Effective != "2026-09-25" {
		t.Fatalf("effective %s, want 2026-09-25", str(v.Effective))
	}
	if len(evs) != 3 || rs[1].Status != StatusChanged {
		t.Fatalf("second check %s, events %s", rs[1].Status, eventTypes(evs))
	}
	if e := evs[1]; len(e.Sections) != 0 || len(e.DateChanges) != 1 {
		t.Errorf("a date-only edit of the front matter: sections %+v, date changes %+v", e.Sections, e.DateChanges)
	}
	last := evs[2]
	if len(last.Sections) != 1 || !strings.Contains(last.Sections[0].Title, "파기") {
		t.Errorf("last change sections %+v, want only the retention section", last.Sections)
	}
	for _, s := range last.Sections {
		if strings.Contains(s.Diff, "effective_date") || strings.Contains(s.Diff, "---") {
			t.Errorf("front matter in a section's diff: %q", s.Diff)
		}
	}
}
