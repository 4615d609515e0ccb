package board

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/policy"
)

// readAt is the time of every read in these tests: 2026-11-21 10:00 KST.
var readAt = time.Date(2026, 11, 21, 1, 0, 0, 0, time.UTC)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func show(ps []Post) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s | %s | %s\n", p.Posted, p.Title, p.URL)
	}
	return b.String()
}

// TestParseEngines reads list pages written in the styles of the board
// engines Korean sites run: every post with its date and link, nothing else.
func TestParseEngines(t *testing.T) {
	tests := []struct {
		file, url string
		want      string
		next      string
	}{
		{"gnuboard.html", "https://moonlight.example/bbs/board.php?bo_table=notice", `
2026-11-13 | 개인정보처리방침 개정 안내 (2026년 11월 23일 시행) | https://moonlight.example/bbs/board.php?bo_table=notice&wr_id=23
2026-11-02 | 겨울 공방 휴무 일정 안내 | https://moonlight.example/bbs/board.php?bo_table=notice&wr_id=22
2025-12-30 | 배송 지연 안내 | https://moonlight.example/bbs/board.php?bo_table=notice&wr_id=21
`, "https://moonlight.example/bbs/board.php?bo_table=notice&page=2"},
		{"cafe24.html", "https://sosohan.example/board/free/list.html?board_no=1", `
2026-11-10 | [필독] 개인정보 처리방침 변경 안내 | https://sosohan.example/article/notice/1/118/
2026-10-28 | 택배사 변경 안내 | https://sosohan.example/article/notice/1/117/
2026-09-20 | 추석 연휴 배송 안내 | https://sosohan.example/article/notice/1/116/
`, "https://sosohan.example/board/free/list.html?board_no=1&page=2"},
		{"xe.html", "https://hanbit-sw.example/index.php?mid=notice", `
2026-10-20 | 개인정보 취급방침 변경 사전 고지 | https://hanbit-sw.example/notice/3105
2026-10-30 | 정기 점검 안내 (11/05 02:00~06:00) | https://hanbit-sw.example/notice/3090
2026-09-01 | 2027년 신규 채용 공고 | https://hanbit-sw.example/notice/3001
`, "https://hanbit-sw.example/index.php?mid=notice&page=2"},
		{"kboard.html", "https://greengarden.example/notice/", `
2026-11-09 | 개인정보처리방침 개정에 따른 안내 | https://greengarden.example/notice/?uid=45&mod=document&pageid=1
2026-10-15 | 씨앗 나눔 행사 당첨자 발표 (4) | https://greengarden.example/notice/?uid=44&mod=document&pageid=1
`, "https://greengarden.example/notice/?pageid=2"},
		{"imweb.html", "https://harufilm.example/notice", `
2026-11-12 | 공지 개인정보처리방침 변경 예정 안내 | https://harufilm.example/notice/?q=YToxOntzOjEyOiJrZXl3b3JkX3R5cGUiO3M6MzoiYWxsIjt9&bmode=view&idx=17034521&t=board
2026-11-01 | 연말 배송 마감 일정 | https://harufilm.example/notice/?q=YToxOntzOjEyOiJrZXl3b3JkX3R5cGUiO3M6MzoiYWxsIjt9&bmode=view&idx=16900112&t=board
`, "https://harufilm.example/notice/?page=2"},
		{"plain.html", "https://library.example/news.html", `
2026-11-14 | 개인정보 처리방침 개정 예고 | https://library.example/news/2026-11-14-privacy.html
2026-11-01 | 11월 운영 시간 변경 | https://library.example/news/2026-11-01-hours.html
2026-10-20 | 신착 도서 목록 | https://library.example/news/2026-10-20-books.html
`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ls := Parse(tt.url, fixture(t, tt.file), readAt, nil)
			if got, want := show(ls.Posts), strings.TrimPrefix(tt.want, "\n"); got != want {
				t.Errorf("posts:\n%s\nwant:\n%s", got, want)
			}
			if ls.Next != tt.next {
				t.Errorf("next = %q, want %q", ls.Next, tt.next)
			}
		})
	}
}

func TestIsPolicyPost(t *testing.T) {
	yes := []string{"개인정보처리방침 개정 안내 (2026년 11월 23일 시행)", "[필독] 개인정보 처리방침 변경 안내", "개인정보 취급방침 변경 사전 고지", "개인정보처리방침 개정에 따른 안내", "Privacy Policy Update"}
	no := []string{"겨울 공방 휴무 일정 안내", "택배사 변경 안내", "개인정보처리방침", "이용약관 개정 안내", "개인정보 보호 캠페인 당첨자"}
	for _, s := range yes {
		if !IsPolicyPost(s) {
			t.Errorf("IsPolicyPost(%q) = false", s)
		}
	}
	for _, s := range no {
		if IsPolicyPost(s) {
			t.Errorf("IsPolicyPost(%q) = true", s)
		}
	}
}

func TestDiscover(t *testing.T) {
	tests := []struct {
		file, url, want string
	}{
		{"gnuboard.html", "https://moonlight.example/bbs/content.php?co_id=privacy", "https://moonlight.example/bbs/board.php?bo_table=notice"},
		{"cafe24.html", "https://sosohan.example/member/privacy.html", "https://sosohan.example/board/free/list.html?board_no=1"},
		{"xe.html", "https://hanbit-sw.example/index.php?mid=privacy", "https://hanbit-sw.example/index.php?mid=notice"},
		{"kboard.html", "https://greengarden.example/privacy-policy/", "https://greengarden.example/notice/"},
		{"imweb.html", "https://harufilm.example/privacy", "https://harufilm.example/notice"},
		{"plain.html", "https://library.example/privacy.html", "https://library.example/news.html"},
	}
	for _, tt := range tests {
		got := Discover(tt.url, fixture(t, tt.file))
		if len(got) == 0 || got[0] != tt.want {
			t.Errorf("%s: Discover = %v, want %s first", tt.file, got, tt.want)
		}
	}
	// Links to other sites are never a board of this one.
	page := `<a href="https://other.example/notice">공지사항</a><a href="https://blog.moonlight.example/news">News</a>`
	if got := Discover("https://moonlight.example/privacy", page); len(got) != 1 || got[0] != "https://blog.moonlight.example/news" {
		t.Errorf("Discover across sites = %v", got)
	}
}

func TestReadPost(t *testing.T) {
	d := ReadPost(fixture(t, "policy_post.html"))
	if d.Effective.String() != "2026-11-23" || !strings.Contains(d.Line, "2026년 11월 23일") {
		t.Errorf("effective = %s (%q)", d.Effective, d.Line)
	}
	if len(d.Changes) != 2 || d.Changes[0].Before != "회원 탈퇴 시까지" || d.Changes[1].After != "CJ대한통운, 한진택배" {
		t.Errorf("changes = %+v", d.Changes)
	}
	if got := TitleEffective("개인정보처리방침 개정 안내 (2026년 11월 23일 시행)"); got.String() != "2026-11-23" {
		t.Errorf("TitleEffective = %s", got)
	}
	if got := TitleEffective("[필독] 개인정보 처리방침 변경 안내"); !got.IsZero() {
		t.Errorf("TitleEffective without a date = %s", got)
	}
}

func TestDateCell(t *testing.T) {
	today := policy.DateOf(readAt, seoul)
	tests := map[string]string{
		"2026-11-13": "2026-11-13", "2026.11.13": "2026-11-13", "26.11.13": "2026-11-13", "26-11-13": "2026-11-13",
		"11-13": "2026-11-13", "12-30": "2025-12-30", "14:22": "2026-11-21", "등록일 : 2026.11.13": "2026-11-13",
		"2026-11-10 09:31:12": "2026-11-10", "2026년 11월 14일": "2026-11-14", "Nov 14, 2026": "2026-11-14",
		"412": "", "1,204": "", "02-123-4567": "", "정기 점검 안내 (11/05 02:00~06:00)": "", "2026년 신규 채용": "", "": "",
	}
	for in, want := range tests {
		d, ok := dateCell(in, today)
		got := ""
		if ok {
			got = d.String()
		}
		if got != want {
			t.Errorf("dateCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParse: any bytes give posts with a title, an absolute http(s) link
// and a valid date, at most MaxPosts of them, each link once.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"gnuboard.html", "cafe24.html", "xe.html", "kboard.html", "imweb.html", "plain.html"} {
		f.Add(fixture(f, name))
	}
	f.Add(`<table><tr><td><a href="/a">제목 하나</a></td><td>2026-01-01</td></tr></table>`)
	f.Add(`<a href="javascript:void(0)">x</a><time datetime="2026">`)
	f.Fuzz(func(t *testing.T, page string) {
		ls := Parse("https://example.kr/board?bo_table=notice", page, readAt, nil)
		if len(ls.Posts) > MaxPosts {
			t.Fatalf("%d posts", len(ls.Posts))
		}
		seen := map[string]bool{}
		for _, p := range ls.Posts {
			if !isTitle(p.Title) || p.Posted.IsZero() {
				t.Fatalf("bad post %+v", p)
			}
			if !strings.HasPrefix(p.URL, "http://") && !strings.HasPrefix(p.URL, "https://") || strings.Contains(p.URL, "#") {
				t.Fatalf("bad link %q", p.URL)
			}
			if seen[p.URL] {
				t.Fatalf("link twice: %q", p.URL)
			}
			seen[p.URL] = true
		}
		_ = Discover("https://example.kr/privacy", page)
		_ = ReadPost(page)
	})
}
