package monitor

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/notify"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/snapshot"
)

// boardPolicyPage is policyPage with the footer link to the 공지사항 board
// that Korean sites carry.
func boardPolicyPage(announced, effective string) string {
	return strings.Replace(policyPage("달빛공방", "3년", announced, effective), "</footer>",
		` <a href="/bbs/board.php?bo_table=notice">공지사항</a> <a href="/bbs/board.php?bo_table=qa">질문답변</a></footer>`, 1)
}

type boardRow struct{ id, title, date string }

// gnuboardList writes a gnuboard-style list page (table rows with the title
// link, the writer, hits and the date).
func gnuboardList(rows ...boardRow) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="euc-kr"><title>공지사항 | 달빛공방</title></head><body>
<div id="hd"><a href="/">달빛공방</a><ul class="hd_login"><li><a href="/bbs/login.php">로그인</a></li></ul></div>
<div id="bo_list"><div id="bo_list_total"><span>Total 3건</span> 1 페이지</div>
<table><caption>공지사항 목록</caption><thead><tr><th>번호</th><th>제목</th><th>글쓴이</th><th>조회</th><th>날짜</th></tr></thead><tbody>`)
	for _, r := range rows {
		fmt.Fprintf(&b, `<tr><td class="td_num2">%s</td><td class="td_subject"><div class="bo_tit"><a href="/bbs/board.php?bo_table=notice&amp;wr_id=%s">%s</a></div></td><td class="td_name"><span class="sv_member">관리자</span></td><td class="td_num">12</td><td class="td_datetime">%s</td></tr>`+"\n", r.id, r.id, r.title, r.date)
	}
	b.WriteString(`</tbody></table></div><div id="ft"><a href="/privacy">개인정보처리방침</a></div></body></html>`)
	return b.String()
}

const postPage = `<!doctype html><html><head><meta charset="euc-kr"><title>개인정보처리방침 개정 안내</title></head><body>
<article id="bo_v"><h2 id="bo_v_title">개인정보처리방침 개정 안내</h2><section id="bo_v_info">관리자 작성일 26-11-13 10:02</section>
<div id="bo_v_con"><p>달빛공방 개인정보처리방침이 아래와 같이 개정됩니다.</p><p>시행일자: 2026년 11월 23일</p>
<table><tr><th>구분</th><th>변경 전</th><th>변경 후</th></tr><tr><td>보유기간</td><td>3년</td><td>5년</td></tr></table></div></article></body></html>`

func kstAt(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func eventsOf(t *testing.T, st *snapshot.Store, target, typ string) []notify.Event {
	t.Helper()
	evs, err := st.Events(snapshot.EventFilter{Target: target, Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	var out []notify.Event
	for _, e := range evs {
		var w notify.Event
		if err := json.Unmarshal(e.Payload, &w); err != nil {
			t.Fatal(err)
		}
		out = append(out, w)
	}
	return out
}

func lastChanged(t *testing.T, st *snapshot.Store, target string) notify.Event {
	t.Helper()
	evs := eventsOf(t, st, target, notify.TypeChanged)
	if len(evs) == 0 {
		t.Fatal("no policy.changed event")
	}
	return evs[len(evs)-1]
}

// TestBoardAnnouncedThenChanged: the board (EUC-KR, found from the policy
// page's footer) posts the change 10 days ahead; monitord announces it
// (policy.announced), and when the page changes on the effective day with a
// same-day 공고일자, the change is judged against the board: no violation, and
// the event carries the announcement with a note on the page's date.
func TestBoardAnnouncedThenChanged(t *testing.T) {
	s := newSite(t)
	cfg := testConfig(t, "", map[string]string{"moon": s.url("/privacy")})
	clk := &clock{t: kstAt(t, "2026-11-01T10:00:00+09:00")}
	c, st := newChecker(t, cfg, clk.now)

	s.set("/privacy", page{body: boardPolicyPage("2026-01-01", "2026-01-08")})
	s.set("/bbs/board.php", page{eucKR: true, body: gnuboardList(
		boardRow{"21", "겨울 공방 휴무 일정 안내", "10-30"},
		boardRow{"20", "배송 지연 안내", "26-10-02"})})
	if r := mustCheck(t, c, cfg, "moon"); r.Err != nil || r.Status != StatusBaseline {
		t.Fatalf("baseline: %+v", r)
	}
	if bs, ok, _ := st.Board("moon"); !ok || !strings.HasSuffix(bs.URL, "/bbs/board.php?bo_table=notice") || bs.Listed != 2 || bs.Reason != "" {
		t.Fatalf("board after the first check: %+v", bs)
	}

	// 11-13: the announcement appears on the board.
	clk.add(12 * 24 * time.Hour)
	s.set("/bbs/board.php", page{eucKR: true, body: gnuboardList(
		boardRow{"22", "개인정보처리방침 개정 안내", "11-13"},
		boardRow{"21", "겨울 공방 휴무 일정 안내", "10-30"},
		boardRow{"20", "배송 지연 안내", "26-10-02"})})
	s.set("/bbs/board.php?bo_table=notice&wr_id=22", page{eucKR: true, body: postPage})
	if r := mustCheck(t, c, cfg, "moon"); r.Err != nil || r.Status != StatusUnchanged {
		t.Fatalf("check with the announcement: %+v", r)
	}
	ann := eventsOf(t, st, "moon", message.TypeAnnounced)
	if len(ann) != 1 || ann[0].Announcement == nil || *ann[0].Announcement.Posted != "2026-11-13" || ann[0].Announcement.Effective == nil || *ann[0].Announcement.Effective != "2026-11-23" {
		t.Fatalf("policy.announced = %+v", ann)
	}
	if !strings.Contains(ann[0].Summary, "변경 예고") || !strings.Contains(ann[0].Summary, "시행 2026-11-23") {
		t.Errorf("announced summary = %q", ann[0].Summary)
	}
	// Once per post.
	clk.add(24 * time.Hour)
	mustCheck(t, c, cfg, "moon")
	if n := len(eventsOf(t, st, "moon", message.TypeAnnounced)); n != 1 {
		t.Errorf("%d policy.announced events, want 1", n)
	}

	// 11-23: the page changes, effective today, its 공고일자 the same day.
	clk.t = kstAt(t, "2026-11-23T09:00:00+09:00")
	s.set("/privacy", page{body: strings.Replace(boardPolicyPage("2026-11-23", "2026-11-23"), "3년", "5년", 1)})
	r := mustCheck(t, c, cfg, "moon")
	if r.Err != nil || r.Status != StatusChanged || len(r.Violations) != 0 {
		t.Fatalf("change announced 10 days ahead: %+v", r)
	}
	e := lastChanged(t, st, "moon")
	if e.Announcement == nil || !strings.Contains(e.Announcement.URL, "wr_id=22") || *e.Announcement.Posted != "2026-11-13" {
		t.Fatalf("policy.changed announcement = %+v", e.Announcement)
	}
	if !strings.Contains(e.Announcement.Note, "공고일자(2026-11-23)는 이와 다릅니다") {
		t.Errorf("announcement note = %q", e.Announcement.Note)
	}
}

// lateChange runs a target through a baseline on 11-01 and a change on
// 11-21 10:00 to 시행일자 11-22 (old text still served on 11-21 09:00: one
// day of observed notice where the policy promises seven), and returns the
// change's result and event.
//
// before runs before the 11-21 09:00 re-check, between after it.
func lateChange(t *testing.T, s *site, cfg *config.Config, name string, before, between func()) (Result, notify.Event, *snapshot.Store) {
	t.Helper()
	clk := &clock{t: kstAt(t, "2026-11-01T10:00:00+09:00")}
	c, st := newChecker(t, cfg, clk.now)
	if r := mustCheck(t, c, cfg, name); r.Err != nil || r.Status != StatusBaseline {
		t.Fatalf("baseline: %+v", r)
	}
	if before != nil {
		before()
	}
	clk.t = kstAt(t, "2026-11-21T09:00:00+09:00")
	if r := mustCheck(t, c, cfg, name); r.Err != nil || r.Status != StatusUnchanged {
		t.Fatalf("re-check: %+v", r)
	}
	if between != nil {
		between()
	}
	clk.t = kstAt(t, "2026-11-21T10:00:00+09:00")
	s.set("/privacy", page{body: strings.Replace(boardPolicyPage("2026-11-10", "2026-11-22"), "3년", "5년", 1)})
	r := mustCheck(t, c, cfg, name)
	if r.Err != nil || r.Status != StatusChanged {
		t.Fatalf("change: %+v", r)
	}
	return r, lastChanged(t, st, name), st
}

func lateNotice(t *testing.T, e notify.Event) notify.Violation {
	t.Helper()
	for _, v := range e.Violations {
		if v.Rule == notice.RuleLateNotice {
			return v
		}
	}
	t.Fatalf("no late_notice in %+v", e.Violations)
	return notify.Violation{}
}

func evidenceKinds(v notify.Violation) string {
	var ks []string
	for _, e := range v.Evidence {
		ks = append(ks, e.Kind)
	}
	return strings.Join(ks, ",")
}

// TestBoardSilentIsObserved: the board was read and shows no announcement:
// late_notice stands, observed, with the board read as evidence.
func TestBoardSilentIsObserved(t *testing.T) {
	s := newSite(t)
	s.set("/privacy", page{body: boardPolicyPage("2026-01-01", "2026-01-08")})
	s.set("/bbs/board.php", page{body: gnuboardList(boardRow{"21", "겨울 공방 휴무 일정 안내", "10-30"}, boardRow{"20", "배송 지연 안내", "26-10-02"})})
	cfg := testConfig(t, "", map[string]string{"moon": s.url("/privacy")})
	_, e, _ := lateChange(t, s, cfg, "moon", nil, nil)
	v := lateNotice(t, e)
	if v.Basis != notice.BasisObserved || *v.ActualDays != 1 {
		t.Fatalf("late_notice = %+v", v)
	}
	if got := evidenceKinds(v); got != "page_dates,page_dates,old_last_seen,new_first_seen,board_checked" {
		t.Errorf("evidence = %s", got)
	}
	last := v.Evidence[len(v.Evidence)-1]
	if !strings.Contains(last.URL, "bo_table=notice") || len(last.SHA256) != 64 || last.At.Format(time.RFC3339) != "2026-11-21T10:00:00+09:00" {
		t.Errorf("board_checked evidence = %+v", last)
	}
	if !strings.Contains(v.Detail, "공지사항 게시판 확인: 사전 공지 없음") {
		t.Errorf("detail = %q", v.Detail)
	}
	if e.Announcement != nil {
		t.Errorf("announcement on a silent board: %+v", e.Announcement)
	}
}

// TestBoardNoneIsUnconfirmed: no board on the site (no links, the home page
// 404s): late_notice rests on the policy page alone.
func TestBoardNoneIsUnconfirmed(t *testing.T) {
	s := newSite(t)
	s.set("/privacy", page{body: policyPage("달빛공방", "3년", "2026-01-01", "2026-01-08")})
	cfg := testConfig(t, "", map[string]string{"moon": s.url("/privacy")})
	_, e, st := lateChange(t, s, cfg, "moon", nil, nil)
	v := lateNotice(t, e)
	if v.Basis != notice.BasisUnconfirmed || !strings.Contains(v.Detail, "공지사항 게시판을 확인하지 못함") {
		t.Fatalf("late_notice = %+v", v)
	}
	bs, ok, _ := st.Board("moon")
	if !ok || bs.Reason != "not_found" {
		t.Errorf("board state = %+v", bs)
	}
	if got := BoardStatus(&cfg.Targets[0], bs, ok, "ko"); got != "공지사항: 확인 불가 (게시판을 찾지 못함)" {
		t.Errorf("status = %q", got)
	}
}

// policyPost lists the policy post dated 11-12 on the board and serves it,
// naming 시행일자 2026-11-22.
func policyPost(s *site) {
	s.set("/bbs/board.php", page{body: gnuboardList(
		boardRow{"22", "[안내] 개인정보 처리방침 변경 안내", "2026.11.12"},
		boardRow{"21", "겨울 공방 휴무 일정 안내", "10-30"})})
	s.set("/bbs/board.php?bo_table=notice&wr_id=22", page{body: strings.Replace(postPage, "2026년 11월 23일", "2026년 11월 22일", 1)})
}

// TestBoardPostTenDaysAhead: a post dated 10 days before the 시행일자, which
// no earlier read contradicts, answers late_notice (the old text was served
// until 11-21, one day before): no violation, and the event carries the
// announcement.
func TestBoardPostTenDaysAhead(t *testing.T) {
	s := newSite(t)
	s.set("/privacy", page{body: boardPolicyPage("2026-01-01", "2026-01-08")})
	s.set("/bbs/board.php", page{body: gnuboardList(boardRow{"21", "겨울 공방 휴무 일정 안내", "10-30"})})
	cfg := testConfig(t, "", map[string]string{"moon": s.url("/privacy")})
	r, e, st := lateChange(t, s, cfg, "moon", func() { policyPost(s) }, nil)
	if len(r.Violations) != 0 || len(e.Violations) != 0 {
		t.Fatalf("violations = %+v", e.Violations)
	}
	a := e.Announcement
	if a == nil || *a.Posted != "2026-11-12" || a.Effective == nil || *a.Effective != "2026-11-22" || a.Title != "[안내] 개인정보 처리방침 변경 안내" {
		t.Fatalf("announcement = %+v", a)
	}
	bs, _, _ := st.Board("moon")
	if len(bs.Posts) != 1 || !bs.Posts[0].Followed || len(bs.Posts[0].Changes) != 1 || bs.Posts[0].Event == "" {
		t.Errorf("board posts = %+v", bs.Posts)
	}
	if raw, err := st.Blob(bs.Posts[0].SHA256); err != nil || !strings.Contains(string(raw), "wr_id") && !strings.Contains(string(raw), "bo_v") {
		t.Errorf("the post's page is not stored: %v", err)
	}
}

// TestBoardBackdatedPost: the post shows 11-12, but the 11-21 09:00 read
// did not list it: it is backdated, and late_notice stands, observed, with
// board_post evidence.
func TestBoardBackdatedPost(t *testing.T) {
	s := newSite(t)
	s.set("/privacy", page{body: boardPolicyPage("2026-01-01", "2026-01-08")})
	s.set("/bbs/board.php", page{body: gnuboardList(boardRow{"21", "겨울 공방 휴무 일정 안내", "10-30"})})
	cfg := testConfig(t, "", map[string]string{"moon": s.url("/privacy")})
	_, e, _ := lateChange(t, s, cfg, "moon", nil, func() { policyPost(s) })
	v := lateNotice(t, e)
	if v.Basis != notice.BasisObserved || !strings.Contains(v.Detail, "2026-11-12 작성으로 표시되어 있지만") {
		t.Fatalf("late_notice = %+v", v)
	}
	if got := evidenceKinds(v); got != "page_dates,page_dates,old_last_seen,new_first_seen,board_post,board_checked" {
		t.Errorf("evidence = %s", got)
	}
}

// TestBoardFailuresNeverFailTheCheck: a configured board that 404s, one
// that redirects to a login form, and one that answers 5 MB of garbage:
// every policy check succeeds, the board is recorded as unreadable with
// its reason, and late_notice falls back to unconfirmed.
func TestBoardFailuresNeverFailTheCheck(t *testing.T) {
	junk := strings.Repeat("<div><a href=/x>\x00제목</a><td>2026-1", 5<<20/30)
	mux := http.NewServeMux()
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/members", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/bbs/login.php?url=%2Fmembers", http.StatusFound)
	})
	mux.HandleFunc("/bbs/login.php", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><h1>회원 로그인</h1><form method="post"><input name="mb_id"><input type="password" name="mb_password"><button>로그인</button></form></body></html>`)
	})
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, junk)
	})
	boards := httptest.NewServer(mux)
	t.Cleanup(boards.Close)

	for _, tc := range []struct{ path, reason, status string }{
		{"/missing", "http", "공지사항: 확인 불가 (서버 응답 404)"},
		{"/members", "login", "공지사항: 확인 불가 (로그인이 필요함)"},
		{"/garbage", "no_posts", "공지사항: 확인 불가 (날짜가 있는 게시물을 찾지 못함)"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			s := newSite(t)
			s.set("/privacy", page{body: boardPolicyPage("2026-01-01", "2026-01-08")})
			cfg := boardConfig(t, s.url("/privacy"), boards.URL+tc.path)
			r, e, st := lateChange(t, s, cfg, "moon", nil, nil)
			if r.Err != nil {
				t.Fatalf("the policy check failed: %v", r.Err)
			}
			v := lateNotice(t, e)
			if v.Basis != notice.BasisUnconfirmed || !strings.Contains(v.Detail, "공지사항 게시판을 확인하지 못함") {
				t.Errorf("late_notice = %+v", v)
			}
			bs, ok, _ := st.Board("moon")
			if bs.Reason != tc.reason {
				t.Errorf("reason = %q (%s), want %q", bs.Reason, bs.Error, tc.reason)
			}
			if got := BoardStatus(&cfg.Targets[0], bs, ok, "ko"); got != tc.status {
				t.Errorf("status = %q, want %q", got, tc.status)
			}
		})
	}
}

// boardConfig is a config with one target and its notice_url, with a body
// limit that lets 5 MB through.
func boardConfig(t *testing.T, policyURL, noticeURL string) *config.Config {
	t.Helper()
	toml := fmt.Sprintf(`[storage]
path = %q
[fetch]
timeout = "5s"
connect_timeout = "1s"
retries = 0
host_interval = "0s"
max_body = "10MiB"
[server]
listen = ""
[[target]]
name = "moon"
url = %q
notice_url = %q
`, t.TempDir()+"/m.db", policyURL, noticeURL)
	cfg, err := config.Parse([]byte(toml), "test.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
