package monitor

import (
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notify/message"
)

// checkSeq checks target "p" once per page, an hour apart, and returns the
// results and the events raised by the whole sequence.
func checkSeq(t *testing.T, pages ...response) ([]Result, []message.Event, string) {
	t.Helper()
	s := newRawSite(t)
	cfg := testConfig(t, "", map[string]string{"p": s.srv.URL + "/privacy"})
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	ch, st := newChecker(t, cfg, clk.now)
	var rs []Result
	for _, p := range pages {
		s.set(p)
		rs = append(rs, mustCheck(t, ch, cfg, "p"))
		clk.add(time.Hour)
	}
	return rs, events(t, st, "p"), versions(t, st, "p")
}

func eventTypes(evs []message.Event) string {
	var ts []string
	for _, e := range evs {
		ts = append(ts, e.Type)
	}
	return strings.Join(ts, ",")
}

// Case 2: a login wall served on five checks in a row never becomes a
// version: its policy words are only in the footer's links.
func TestLoginWallServedRepeatedlyIsNeverAVersion(t *testing.T) {
	good := response{body: []byte(goodPolicy("아리온통신(주)"))}
	wall := response{body: []byte(wrapPage("로그인", `<h2>로그인</h2><p>회원 서비스는 로그인 후 이용하실 수 있습니다.</p><form><input name="id"><input name="pw" type="password"></form>`))}
	maint := response{body: []byte(wrapPage("점검", `<h2>서비스 점검 중입니다</h2><p>더 나은 서비스를 위해 시스템을 점검하고 있습니다. 점검 중에는 개인정보 수정과 회원가입이 제한됩니다.</p>`))}
	for name, bad := range map[string]response{"login": wall, "maintenance": maint} {
		t.Run(name, func(t *testing.T) {
			rs, evs, vs := checkSeq(t, good, bad, bad, bad, bad, bad, good)
			for i, r := range rs[1:6] {
				if r.Status != StatusFailed {
					t.Errorf("check %d of the %s page: %s, want failed", i+1, name, r.Status)
				}
			}
			if rs[6].Status != StatusUnchanged {
				t.Errorf("good page again: %+v", rs[6])
			}
			if got := eventTypes(evs); strings.Contains(got, message.TypeChanged) {
				t.Errorf("events %s", got)
			}
			if strings.Count(vs, ":") != 1 {
				t.Errorf("versions %s, want only the baseline", vs)
			}
		})
	}
}

// policyWith is goodPolicy with its dates block replaced by dates and the
// retention period set to retention.
func policyWith(retention, dates string) response {
	p := goodPolicy("아리온통신(주)")
	p = strings.Replace(p, "5년간 보유합니다", retention+"간 보유합니다", 1)
	i := strings.Index(p, "<p>공고일자")
	j := strings.Index(p, "</div>\n<div id=\"footer\">")
	return response{body: []byte(p[:i] + dates + p[j:])}
}

// Case 4: a date-only edit in a short-year format is cosmetic: no
// violation, no substantive change; the same as in the long format.
func TestShortYearDateOnlyEditIsNotAChange(t *testing.T) {
	for _, f := range []struct{ old, new string }{
		{"<p>최종 수정일: '24.03.01</p>", "<p>최종 수정일: '24.04.01</p>"},
		{"<p>최종 수정일: 2024.03.01</p>", "<p>최종 수정일: 2024.04.01</p>"},
		{"<p>최종 수정일: ’24. 3. 1.</p>", "<p>최종 수정일: ’24. 4. 1.</p>"},
		{"<p>시행일자: 2026년 12월 4일(금)</p>", "<p>시행일자: 2026년 12월 5일(토)</p>"},
		{"<p>Last updated: March 1, 2024</p>", "<p>Last updated: April 1, 2024</p>"},
	} {
		t.Run(f.old, func(t *testing.T) {
			rs, evs, _ := checkSeq(t, policyWith("5년", f.old), policyWith("5년", f.new))
			if len(rs[1].Violations) != 0 {
				t.Errorf("violations %+v", rs[1].Violations)
			}
			for _, e := range evs[1:] {
				if len(e.Sections) != 0 {
					t.Errorf("%s: sections %+v", e.Type, e.Sections)
				}
			}
		})
	}
}

// Case 5: the dates only in a 개정 이력 table whose header row holds the
// labels; the current row marked 현행, or first.
func TestDatesInTableWithHeaderRow(t *testing.T) {
	cases := map[string]string{
		"marked 현행": `<h3>개정 이력</h3><table><tr><th>차수</th><th>공고일자</th><th>시행일자</th><th>비고</th></tr>
<tr><td>1</td><td>2023. 1. 2.</td><td>2023. 1. 9.</td><td>제정</td></tr>
<tr><td>2</td><td>2026. 9. 15.</td><td>2026. 9. 25.</td><td>현행</td></tr>
<tr><td>3</td><td>2024. 5. 1.</td><td>2024. 5. 8.</td><td>개정</td></tr></table>`,
		"current first": `<table><thead><tr><th>버전</th><th>공고일</th><th>시행일</th></tr></thead>
<tbody><tr><td>v3</td><td>2026-09-15</td><td>2026-09-25</td></tr>
<tr><td>v2</td><td>2025-01-01</td><td>2025-01-08</td></tr>
<tr><td>v1</td><td>2024-01-01</td><td>2024-01-08</td></tr></tbody></table>`,
		"현재 in its own column": `<table><tr><th>공고일자</th><th>시행일자</th><th>상태</th></tr>
<tr><td>2025.01.01</td><td>2025.01.08</td><td>종료</td></tr>
<tr><td>2026.09.15</td><td>2026.09.25</td><td>현재</td></tr></table>`,
	}
	for name, table := range cases {
		t.Run(name, func(t *testing.T) {
			_, evs, _ := checkSeq(t, policyWith("5년", table))
			v := evs[0].Version
			if v.Announced == nil || *v.Announced != "2026-09-15" || v.Effective == nil || *v.Effective != "2026-09-25" {
				t.Errorf("announced %v effective %v, want 2026-09-15 and 2026-09-25", str(v.Announced), str(v.Effective))
			}
		})
	}
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// Case 6: a real change and new date lines at the end of the last section:
// only the real section is reported, the dates as date changes.
func TestDateLinesAreNotAModifiedSection(t *testing.T) {
	for name, dates := range map[string][2]string{
		"labelled lines": {"<p>공고일자 : 2026년 09월 15일</p><p>시행일자 : 2026년 09월 25일</p>", "<p>공고일자 : 2026년 10월 01일</p><p>시행일자 : 2026년 11월 01일</p>"},
		"one line":       {"<p>공고일자 2026.09.15 / 시행일자 2026.09.25</p>", "<p>공고일자 2026.10.01 / 시행일자 2026.11.01</p>"},
		"sentence":       {"<p>이 개인정보처리방침은 2026년 9월 25일부터 적용됩니다.</p>", "<p>이 개인정보처리방침은 2026년 11월 1일부터 적용됩니다.</p>"},
		"with weekday":   {"<p>공고일: 2026. 9. 15.(화)</p><p>시행일: 2026. 9. 25.(금)</p>", "<p>공고일: 2026. 10. 1.(목)</p><p>시행일: 2026. 11. 1.(일)</p>"},
		"short year":     {"<p>공고일자 '26.09.15</p><p>시행일자 '26.09.25</p>", "<p>공고일자 '26.10.01</p><p>시행일자 '26.11.01</p>"},
	} {
		t.Run(name, func(t *testing.T) {
			_, evs, _ := checkSeq(t, policyWith("5년", dates[0]), policyWith("3년", dates[1]))
			if len(evs) != 2 || evs[1].Type != message.TypeChanged {
				t.Fatalf("events %s", eventTypes(evs))
			}
			e := evs[1]
			if len(e.Sections) != 1 || !strings.Contains(e.Sections[0].Title, "보유") {
				var titles []string
				for _, s := range e.Sections {
					titles = append(titles, s.Title+": "+s.Diff)
				}
				t.Errorf("sections %q, want only the retention section", titles)
			}
			if len(e.DateChanges) == 0 {
				t.Errorf("no date changes")
			}
		})
	}
}
