package notice

import (
	"strings"
	"testing"
	"time"
)

// boardChange is a change to 시행일자 2026-11-23 first seen on 11-21, the old
// text last seen on 11-20: 3 days of observed notice where 7 are required.
func boardChange(t *testing.T, b *Board) Input {
	in := change(t, "2026-01-01", "2026-01-08", "2026-11-01", "2026-11-23")
	in.PrevLastSeen = kst(t, "2026-11-20T18:00:00+09:00")
	in.FirstSeen = kst(t, "2026-11-21T00:10:00+09:00")
	in.OldPage = Page{URL: "https://example.kr/privacy", SHA256: "old"}
	in.NewPage = Page{URL: "https://example.kr/privacy", SHA256: "new"}
	in.Board = b
	return in
}

func post(t *testing.T, posted, effective, firstSeen, absentAt string) Post {
	p := Post{URL: "https://example.kr/board/12", Title: "개인정보 처리방침 개정 안내", Posted: day(t, posted), FirstSeen: kst(t, firstSeen), SHA256: "post", Line: "시행일: 2026년 11월 23일"}
	if effective != "" {
		p.Effective = day(t, effective)
	}
	if absentAt != "" {
		p.AbsentAt = kst(t, absentAt)
	}
	return p
}

func readBoard(posts ...Post) *Board {
	return &Board{URL: "https://example.kr/board", Read: true, CheckedAt: time0, SHA256: "board", Listed: 15, Posts: posts}
}

var time0 = mustKST("2026-11-21T00:10:00+09:00")

func rules(vs []Violation) string {
	var s []string
	for _, v := range vs {
		s = append(s, v.Rule+"/"+v.Basis)
	}
	return strings.Join(s, ",")
}

func kinds(es []Evidence) string {
	var s []string
	for _, e := range es {
		s = append(s, e.Kind)
	}
	return strings.Join(s, ",")
}

func TestBoardOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		board    *Board
		want     string // rule/basis list
		evidence string // evidence kinds of the late_notice, if any
		timely   bool
	}{
		{"no board known", nil, "late_notice/unconfirmed", "page_dates,page_dates,old_last_seen,new_first_seen", false},
		{"board unreadable", &Board{URL: "https://example.kr/board", Error: "404 Not Found", CheckedAt: time0}, "late_notice/unconfirmed", "page_dates,page_dates,old_last_seen,new_first_seen,board_checked", false},
		{"board read and silent", readBoard(), "late_notice/observed", "page_dates,page_dates,old_last_seen,new_first_seen,board_checked", false},
		{"post 10 days ahead", readBoard(post(t, "2026-11-13", "2026-11-23", "2026-11-13T12:00:00+09:00", "")), "", "", true},
		{"post exactly 7 days ahead", readBoard(post(t, "2026-11-16", "", "2026-11-16T12:00:00+09:00", "")), "", "", true},
		{"post 5 days ahead", readBoard(post(t, "2026-11-18", "2026-11-23", "2026-11-18T12:00:00+09:00", "")), "late_notice/observed", "page_dates,page_dates,old_last_seen,new_first_seen,board_post", false},
		{"backdated post", readBoard(post(t, "2026-11-10", "2026-11-23", "2026-11-20T12:00:00+09:00", "2026-11-19T12:00:00+09:00")), "late_notice/observed", "page_dates,page_dates,old_last_seen,new_first_seen,board_post,board_checked", false},
		{"post found at the first read is not backdated", readBoard(post(t, "2026-11-10", "2026-11-23", "2026-11-20T12:00:00+09:00", "")), "", "", true},
		{"post about a change far ahead", readBoard(post(t, "2026-11-10", "2027-06-01", "2026-11-10T12:00:00+09:00", "")), "late_notice/observed", "page_dates,page_dates,old_last_seen,new_first_seen,board_checked", false},
		{"post whose 시행일 moved by a week", readBoard(post(t, "2026-11-10", "2026-11-30", "2026-11-10T12:00:00+09:00", "")), "", "", true},
		{"post about the previous change", readBoard(post(t, "2025-12-20", "2026-01-08", "2026-11-20T12:00:00+09:00", "")), "late_notice/observed", "page_dates,page_dates,old_last_seen,new_first_seen,board_checked", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := boardChange(t, tt.board)
			got := Evaluate(in)
			if rules(got) != tt.want {
				t.Fatalf("violations = %s, want %s\n%+v", rules(got), tt.want, got)
			}
			for _, v := range got {
				if k := kinds(v.Evidence); k != tt.evidence {
					t.Errorf("evidence = %s, want %s", k, tt.evidence)
				}
				for _, e := range v.Evidence {
					if e.At.IsZero() || e.URL == "" {
						t.Errorf("evidence %s lacks its time or URL: %+v", e.Kind, e)
					}
				}
				if !strings.HasSuffix(v.Detail, ".") || strings.Contains(v.Detail, "%!") {
					t.Errorf("detail is not a finished sentence: %q", v.Detail)
				}
			}
			m := Announcement(in)
			if (m != nil && m.Timely) != tt.timely {
				t.Errorf("Announcement = %+v, timely want %v", m, tt.timely)
			}
		})
	}
}

func TestBoardDetails(t *testing.T) {
	in := boardChange(t, readBoard())
	v := Evaluate(in)
	if len(v) != 1 || !strings.Contains(v[0].Detail, "공지사항 게시판 확인: 사전 공지 없음(2026-11-21 확인).") {
		t.Errorf("silent board detail = %+v", v)
	}
	in = boardChange(t, nil)
	if v := Evaluate(in); len(v) != 1 || !strings.Contains(v[0].Detail, "공지사항 게시판을 확인하지 못함") {
		t.Errorf("no board detail = %+v", v)
	}
	in = boardChange(t, readBoard(post(t, "2026-11-10", "2026-11-23", "2026-11-20T12:00:00+09:00", "2026-11-19T12:00:00+09:00")))
	v = Evaluate(in)
	if len(v) != 1 || !strings.Contains(v[0].Detail, "2026-11-10 작성으로 표시되어 있지만 monitord는 2026-11-20에 처음 확인했습니다(2026-11-19 확인 때에는 없었음)") || *v[0].ActualDays != 4 {
		t.Errorf("backdated detail = %+v", v)
	}
}

// TestBoardAnswersShortNotice: the page's 공고일자 says 2 days, the board 10:
// the promise ("공지사항을 통하여") was kept, and the note says they disagree.
func TestBoardAnswersShortNotice(t *testing.T) {
	in := boardChange(t, readBoard(post(t, "2026-11-13", "2026-11-23", "2026-11-13T12:00:00+09:00", "")))
	in.New = doc(t, "2026-11-21", "2026-11-23", nil)
	if got := Evaluate(in); len(got) != 0 {
		t.Fatalf("violations = %s, want none", rules(got))
	}
	m := Announcement(in)
	if m == nil || !m.Timely || m.Days != 10 || !strings.Contains(m.Note, "공고일자(2026-11-21)는 이와 다릅니다") {
		t.Errorf("Announcement = %+v", m)
	}
	in.Board = nil
	if got := rules(Evaluate(in)); got != "short_notice/page,late_notice/unconfirmed" {
		t.Errorf("without the board: %s", got)
	}
	in.Lang = "en"
	in.Board = readBoard(post(t, "2026-11-13", "2026-11-30", "2026-11-13T12:00:00+09:00", ""))
	if m := Announcement(in); m == nil || !strings.Contains(m.Note, "announced 2026-11-30 as the effective date, but the new text states 2026-11-23") {
		t.Errorf("effective mismatch note: %+v", m)
	}
}

func mustKST(s string) time.Time {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return v
}
