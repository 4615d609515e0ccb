package monitor

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/snapshot"
)

// goodPolicy is a policy page in the style of the seeds: numbered headings
// in <h3>, the officer section near the end, the dates as labelled lines
// after it, a site footer with the usual links.
func goodPolicy(company string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>%[1]s - 개인정보처리방침</title></head>
<body>
<div id="gnb"><a href="/">홈</a> <a href="/login">로그인</a></div>
<div id="content">
<h2>개인정보 처리방침</h2>
<p>%[1]s(이하 '회사')는 고객의 개인정보를 소중히 생각하며 「개인정보 보호법」 등 관련 법령상의 개인정보보호 규정을 준수하고 있습니다.</p>
<p>회사는 개인정보처리방침을 통하여 고객이 제공하는 개인정보가 어떠한 용도와 방식으로 이용되는지 알려드립니다.</p>
`, company)
	sections := []struct{ title, body string }{
		{"수집하는 개인정보의 항목 및 수집방법", "회사는 회원가입, 상담, 서비스 신청을 위해 이름, 휴대전화번호, 이메일 주소를 수집합니다. 서비스 이용 과정에서 접속 로그, 쿠키, 접속 IP 정보가 생성되어 수집될 수 있습니다."},
		{"개인정보의 수집 및 이용목적", "회사는 수집한 개인정보를 회원 관리, 서비스 제공에 관한 계약 이행 및 요금 정산, 신규 서비스 안내를 위하여 이용합니다."},
		{"개인정보의 보유 및 이용기간", "회사는 개인정보 수집 및 이용목적이 달성된 후에는 해당 정보를 지체 없이 파기합니다. 다만 관계 법령에 따라 계약 또는 청약철회 등에 관한 기록은 5년간 보유합니다."},
		{"개인정보 파기절차 및 방법", "이용목적이 달성된 개인정보는 별도의 데이터베이스로 옮겨져 내부 방침에 따라 일정 기간 저장된 후 파기됩니다. 전자적 파일 형태의 정보는 기록을 재생할 수 없는 기술적 방법을 사용하여 삭제합니다."},
		{"개인정보의 제3자 제공", "회사는 이용자의 개인정보를 원칙적으로 외부에 제공하지 않습니다. 다만 이용자가 사전에 동의한 경우와 법령의 규정에 의한 경우에는 예외로 합니다."},
		{"개인정보 처리의 위탁", "회사는 서비스 향상을 위하여 고객 상담 업무를 외부 전문업체에 위탁하고 있으며, 위탁계약 시 개인정보가 안전하게 관리될 수 있도록 필요한 사항을 규정하고 있습니다."},
		{"이용자 및 법정대리인의 권리와 행사방법", "이용자는 언제든지 등록되어 있는 자신의 개인정보를 열람하거나 정정할 수 있으며 개인정보 수집 및 이용에 대한 동의를 철회할 수 있습니다."},
		{"개인정보 보호책임자", "회사는 고객의 개인정보를 보호하고 개인정보와 관련한 불만을 처리하기 위하여 아래와 같이 개인정보 보호책임자를 지정하고 있습니다. 개인정보 보호책임자: 대표이사 02-000-0000"},
		{"고지의 의무", "현 개인정보처리방침 내용의 추가, 삭제 및 수정이 있을 시에는 개정 최소 7일 전부터 홈페이지의 '공지사항'을 통해 고지할 것입니다."},
	}
	for i, s := range sections {
		fmt.Fprintf(&b, "<h3>%d. %s</h3>\n<p>%s</p>\n", i+1, s.title, s.body)
	}
	b.WriteString(`<p>공고일자 : 2026년 09월 15일</p>
<p>시행일자 : 2026년 09월 25일</p>
</div>
<div id="footer"><a href="/privacy">개인정보처리방침</a> | <a href="/terms">이용약관</a> | <a href="/noemail">이메일무단수집거부</a>
<p>개인정보보호책임자 : 홍길동 | 사업자등록번호 000-00-00000 | Copyright (C) 아리온. All rights reserved.</p></div>
</body></html>
`)
	return b.String()
}

// footer is the site chrome that wraps the hostile pages: the links that
// make a login or maintenance page look like a policy to a word count.
const footer = `<div id="footer"><a href="/privacy">개인정보처리방침</a> | <a href="/terms">이용약관</a> | <a href="/noemail">이메일무단수집거부</a> | <a href="/officer">개인정보보호책임자</a>
<p>본 웹사이트에 게시된 이메일 주소가 전자우편 수집 프로그램이나 그 밖의 기술적 장치를 이용하여 무단으로 수집되는 것을 거부합니다.</p>
<p>개인정보보호책임자 : 홍길동 | 사업자등록번호 000-00-00000 | Copyright (C) 아리온. All rights reserved.</p></div>`

// wrapPage puts body into a complete page with the site's chrome.
func wrapPage(title, body string) string {
	return `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>` + title + `</title></head><body>
<div id="gnb"><a href="/">홈</a> <a href="/login">로그인</a> <a href="/privacy">개인정보처리방침</a></div>
<div id="content">` + body + `</div>` + footer + `</body></html>`
}

// response is one way a server answers.
type response struct {
	status      int
	contentType string
	body        []byte
	// http10 answers as HTTP/1.0 without Content-Length and closes the
	// connection after body: a cut page looks complete to the client.
	http10 bool
	// shortBy sends a Content-Length that many bytes larger than body and
	// then closes: an unexpected EOF.
	shortBy int
}

// rawSite serves one response at a time, changeable between checks.
type rawSite struct {
	t   *testing.T
	srv *httptest.Server
	mu  sync.Mutex
	r   response
}

func newRawSite(t *testing.T) *rawSite {
	s := &rawSite{t: t}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *rawSite) set(r response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r = r
}

func (s *rawSite) serve(w http.ResponseWriter, req *http.Request) {
	s.mu.Lock()
	r := s.r
	s.mu.Unlock()
	ct := r.contentType
	if ct == "" {
		ct = "text/html; charset=utf-8"
	}
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	if r.http10 || r.shortBy > 0 {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			s.t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		proto := "HTTP/1.1"
		if r.http10 {
			proto = "HTTP/1.0"
		}
		fmt.Fprintf(buf, "%s %d %s\r\nContent-Type: %s\r\nConnection: close\r\n", proto, status, http.StatusText(status), ct)
		if r.shortBy > 0 {
			fmt.Fprintf(buf, "Content-Length: %d\r\n", len(r.body)+r.shortBy)
		}
		buf.WriteString("\r\n")
		buf.Write(r.body)
		buf.Flush()
		return
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	w.Write(r.body)
}

func eucKR(t *testing.T, s string) []byte {
	t.Helper()
	b, err := korean.EUCKR.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode EUC-KR: %v", err)
	}
	return b
}

// cut returns the first fraction of b.
func cut(b []byte, fraction float64) []byte {
	return bytes.Clone(b[:int(float64(len(b))*fraction)])
}

// afterEach inserts junk after every occurrence of tag in page.
func afterEach(page []byte, tag string, junk []byte) []byte {
	return bytes.ReplaceAll(page, []byte(tag), append([]byte(tag), junk...))
}

// hostileResponses are the broken, hostile and not-a-policy answers a
// site gives. good is the good page (UTF-8) and goodKR the same page
// encoded as EUC-KR.
func hostileResponses(t *testing.T, good, goodKR []byte) []struct {
	name string
	r    response
	kr   bool // the baseline is the EUC-KR page
} {
	html := func(b []byte) response { return response{body: b} }
	fatal := append(cut(good, 0.6), []byte("<br />\n<b>Fatal error</b>:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/html/privacy.php:42\nStack trace:\n#0 {main}\n  thrown in <b>/var/www/html/privacy.php</b> on line <b>42</b><br />\n")...)
	krHeader := "text/html; charset=euc-kr"
	login := wrapPage("로그인", `<h2>로그인</h2><form><p>아이디 <input name="id"></p><p>비밀번호 <input type="password" name="pw"></p><button>로그인</button></form><p>회원 서비스는 로그인 후 이용하실 수 있습니다.</p>`)
	return []struct {
		name string
		r    response
		kr   bool
	}{
		{"http1.0 close at 30%", response{body: cut(good, 0.3), http10: true}, false},
		{"http1.0 close at 50%", response{body: cut(good, 0.5), http10: true}, false},
		{"http1.0 close at 80%", response{body: cut(good, 0.8), http10: true}, false},
		{"http1.0 close at 95%", response{body: cut(good, 0.95), http10: true}, false},
		{"http1.0 close just before </body>", response{body: good[:bytes.LastIndex(good, []byte("</body>"))], http10: true}, false},
		{"content-length short at 50%", response{body: cut(good, 0.5), shortBy: len(good) / 2}, false},
		{"content-length short by one byte", response{body: good[:len(good)-1], shortBy: 1}, false},
		{"euc-kr http1.0 close at 50%", response{body: cut(goodKR, 0.5), http10: true, contentType: krHeader}, true},
		{"euc-kr http1.0 close at 85%", response{body: cut(goodKR, 0.85), http10: true, contentType: krHeader}, true},
		{"php fatal error at 60%", html(fatal), false},
		{"php fatal error at 60% in a closed template", html([]byte(string(fatal) + "</div></body></html>")), false},
		{"php warning atop the page", html(bytes.Replace(good, []byte("<body>"), []byte("<body>\n<b>Warning</b>:  include(/var/www/inc/menu.php): Failed to open stream: No such file or directory in <b>/var/www/html/privacy.php</b> on line <b>7</b><br />"), 1)), false},
		{"java stack trace", html([]byte(wrapPage("Error", "<h1>HTTP Status 500 – Internal Server Error</h1><pre>java.lang.NullPointerException\n\tat com.example.web.PolicyController.show(PolicyController.java:57)\n\tat javax.servlet.http.HttpServlet.service(HttpServlet.java:750)</pre>"))), false},
		{"asp.net server error", html([]byte(wrapPage("Runtime Error", "<h1>Server Error in '/' Application.</h1><h2>Object reference not set to an instance of an object.</h2><p>개인정보 처리방침 페이지를 불러오는 중 오류가 발생했습니다. 개인정보 보호를 위해 잠시 후 다시 시도해 주세요.</p>"))), false},
		{"python traceback", html([]byte(wrapPage("500", "<pre>Traceback (most recent call last):\n  File \"/srv/app/views.py\", line 12, in privacy\n    return render(request, 'privacy.html')\nTemplateDoesNotExist: privacy.html</pre>"))), false},
		{"sql error", html([]byte(wrapPage("오류", "<p>SQLSTATE[HY000] [2002] Connection refused</p><p>개인정보 처리방침을 조회하는 중 데이터베이스 오류가 발생했습니다.</p>"))), false},
		{"login wall", html([]byte(login)), false},
		{"login wall, 503", response{status: 503, body: []byte(login)}, false},
		{"maintenance page", html([]byte(wrapPage("점검 안내", `<h2>시스템 점검 안내</h2><p>보다 나은 서비스 제공을 위하여 시스템 점검을 진행하고 있습니다. 점검 시간: 02:00 ~ 06:00</p><p>이용에 불편을 드려 죄송합니다. 점검 중에는 회원가입과 개인정보 수정이 제한됩니다.</p>`))), false},
		{"captcha", html([]byte(wrapPage("보안 확인", `<h2>자동입력 방지</h2><p>정상적인 접근인지 확인하기 위해 아래 문자를 입력해 주세요.</p><img src="/captcha.png" alt="captcha"><input name="captcha">`))), false},
		{"잘못된 접근", html([]byte(wrapPage("알림", `<script>alert('잘못된 접근입니다.');history.back();</script><p>잘못된 접근입니다.</p>`))), false},
		{"cookie banner over a login wall", html([]byte(strings.Replace(login, "<div id=\"content\">", `<div id="cookie"><p>이 웹사이트는 서비스 개선을 위해 쿠키를 사용합니다. 계속 이용하시면 쿠키 수집 및 개인정보 처리방침에 동의한 것으로 간주합니다.</p></div><div id="content">`, 1))), false},
		{"empty policy container", html([]byte(wrapPage("개인정보처리방침", `<h2>개인정보처리방침</h2><div class="policy-body"></div>`))), false},
		{"policy replaced by a redirect notice", html([]byte(wrapPage("이동 안내", `<meta http-equiv="refresh" content="0;url=/new/privacy"><p>개인정보처리방침 페이지가 이동되었습니다. 잠시 후 새 주소로 이동합니다.</p><p><a href="/new/privacy">개인정보처리방침 바로가기</a></p>`))), false},
		{"empty 200", html(nil), false},
		{"whitespace 200", html([]byte("\n\n   \n")), false},
		{"json error", response{contentType: "application/json", body: []byte(`{"error":"internal server error","privacy":"개인정보"}`)}, false},
		{"404 page", response{status: 404, body: []byte(wrapPage("404", "<p>요청하신 페이지를 찾을 수 없습니다.</p>"))}, false},
		{"invalid utf-8 after every </p>", html(afterEach(good, "</p>", []byte{0xFF, 0xFE, 0xC0, 0x80})), false},
		{"invalid utf-8 after every </h3>", html(afterEach(good, "</h3>", []byte{0xED, 0xA0, 0x80, 0xF8})), false},
		{"invalid euc-kr bytes after every </p>", response{body: afterEach(goodKR, "</p>", []byte{0xFF, 0xFF, 0x80}), contentType: krHeader}, true},
		{"euc-kr page labelled utf-8", response{body: goodKR, contentType: "text/html; charset=utf-8"}, true},
		{"euc-kr page labelled windows-1252", response{body: goodKR, contentType: "text/html; charset=windows-1252"}, true},
		{"utf-8 page labelled euc-kr", response{body: good, contentType: krHeader}, false},
		{"utf-8 page labelled utf-16", response{body: good, contentType: "text/html; charset=utf-16le"}, false},
		{"head only", html(good[:bytes.Index(good, []byte("<body>"))]), false},
	}
}

// TestHostilePagesNeverBecomeVersions serves each hostile response after a
// good baseline and follows it with the good page again: no policy.changed,
// no new version, the store's versions as they were.
func TestHostilePagesNeverBecomeVersions(t *testing.T) {
	good := []byte(goodPolicy("아리온통신(주)"))
	goodKR := eucKR(t, goodPolicy("아리온통신(주)"))
	cases := hostileResponses(t, good, goodKR)
	if len(cases) < 30 {
		t.Fatalf("only %d hostile responses", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newRawSite(t)
			base := response{body: good}
			if c.kr {
				base = response{body: goodKR, contentType: "text/html; charset=euc-kr"}
			}
			cfg := testConfig(t, "", map[string]string{"p": s.srv.URL + "/privacy"})
			clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
			ch, st := newChecker(t, cfg, clk.now)
			s.set(base)
			if r := mustCheck(t, ch, cfg, "p"); r.Status != StatusBaseline {
				t.Fatalf("baseline = %+v", r)
			}
			before := versions(t, st, "p")

			s.set(c.r)
			clk.add(time.Hour)
			r := mustCheck(t, ch, cfg, "p")
			if r.Status != StatusFailed && r.Status != StatusUnchanged {
				t.Errorf("hostile response: status %s (%v), want failed or unchanged", r.Status, r.Err)
			}
			s.set(base)
			clk.add(time.Hour)
			if r := mustCheck(t, ch, cfg, "p"); r.Status != StatusUnchanged {
				t.Errorf("good page again: %+v, want unchanged", r)
			}
			if after := versions(t, st, "p"); after != before {
				t.Errorf("versions changed:\nbefore %s\nafter  %s", before, after)
			}
			for _, e := range events(t, st, "p") {
				if e.Type != message.TypeBaseline {
					t.Errorf("event %s: %s", e.Type, e.Summary)
				}
			}
		})
	}
}

// versions describes a target's versions: ids, text hashes and kinds.
func versions(t *testing.T, st *snapshot.Store, target string) string {
	t.Helper()
	vs, err := st.Versions(target)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(strconv.FormatUint(v.ID, 10) + ":" + v.TextHash[:12] + " ")
	}
	return b.String()
}
