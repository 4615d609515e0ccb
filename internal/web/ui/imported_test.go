package ui_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/monitor"
)

// mallPage is version n of a mall's policy (1..3); the current one (3)
// offers the two before it in a <select>, as mall platforms do. Version 2
// was announced two days before it took effect, short of its own 7 days.
func mallPage(n int, sel string) []byte {
	dates := [][2]string{{"2021-03-02", "2021-03-09"}, {"2022-06-01", "2022-06-03"}, {"2024-05-01", "2024-05-08"}}
	d := dates[n-1]
	return []byte(fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>별빛몰</title></head><body>
<div id="header"><a href="/">별빛몰</a> <a href="/board/notice">공지사항</a></div>
<div class="xans-element- xans-myshop">%s</div>
<div id="policy"><h2>별빛몰 개인정보처리방침</h2>
<p>별빛몰(이하 "몰")은 이용자의 개인정보를 소중히 다루며 관련 법령을 지킵니다.</p>
<h3>1. 수집하는 개인정보 항목</h3><p>이름, 아이디, 휴대전화번호, 배송지 주소를 수집합니다.</p>
<h3>2. 개인정보의 보유 및 이용 기간</h3><p>주문 기록은 %d년간 보유한 뒤 파기합니다.</p>
<h3>3. 개인정보의 제3자 제공</h3><p>몰은 배송을 위하여 택배사에 이름과 주소를 제공합니다.</p>
<h3>4. 처리방침의 변경</h3><p>변경 시 시행 7일 전부터 공지사항으로 알립니다.</p>
<p>공고일자: %s</p><p>시행일자: %s</p></div>
<div id="footer">별빛몰 | 통신판매업 신고 제2020-서울-0000호</div></body></html>`, sel, n+1, d[0], d[1]))
}

// TestTimelineShowsImportedVersions: the first real check of a page with a
// <select> of past versions imports them; the timeline shows them as
// imported (the catalogue's word), before the baseline, with the short
// notice of 2022 as a historical finding, and the target is not in
// violation for it.
func TestTimelineShowsImportedVersions(t *testing.T) {
	s := &site{pages: map[string][]byte{}, types: map[string]string{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	const utf8 = "text/html; charset=utf-8"
	s.set("/privacy", utf8, mallPage(3, `<select onchange="location.href=this.value"><option value="">이전 개인정보처리방침 보기</option>
<option value="/privacy/2022.html">2022. 06. 03 시행</option><option value="/privacy/2021.html">2021. 03. 09 시행</option></select>`))
	s.set("/privacy/2021.html", utf8, mallPage(1, ""))
	s.set("/privacy/2022.html", utf8, mallPage(2, ""))
	cfgText := fmt.Sprintf("[storage]\npath = %q\n[schedule]\njitter = \"0s\"\n[fetch]\nretries = 0\nhost_interval = \"0s\"\n[[target]]\nname = \"mall\"\nurl = \"%s/privacy\"\n",
		t.TempDir()+"/ui.db", srv.URL)
	cfg, err := config.Parse([]byte(cfgText), "ui.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{cfg: cfg, now: day0}
	d, err := monitor.New(monitor.Options{Config: cfg, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	f.d = d
	monitor.CheckAll(context.Background(), d.Checker, cfg.EnabledTargets(), 1, nil)

	h := f.handler(t, "")
	body := mustGet(t, h, "/t/mall")
	for id, kind := range map[int]string{1: "imported", 2: "imported", 3: "observed"} {
		if !strings.Contains(body, fmt.Sprintf(`data-version="%d" data-kind="%s"`, id, kind)) {
			t.Errorf("v%d is not shown as %s:\n%s", id, kind, body)
		}
	}
	read := text(body)
	contains(t, "/t/mall", read, "가져온 과거 버전", "과거 기록: 공고 기간 부족", "2021-03-09", "2022-06-03", "2024-05-08")
	// Newest first: the baseline stands above the past versions it follows.
	if strings.Index(body, `data-version="3"`) > strings.Index(body, `data-version="2"`) ||
		strings.Index(body, `data-version="2"`) > strings.Index(body, `data-version="1"`) {
		t.Error("imported versions are not ordered before the baseline")
	}
	if v := text(mustGet(t, h, "/t/mall/v/2")); !strings.Contains(v, "가져온 과거 버전") {
		t.Errorf("version page of an imported version:\n%s", v)
	}
	// A past finding is never an open violation of the policy in force,
	// and a baseline after imported versions is no change under watch.
	for _, page := range []string{"/", "/t/mall"} {
		if b := mustGet(t, h, page); !strings.Contains(b, `class="status st-ok"`) {
			t.Errorf("%s: mall is not shown 정상 after its first check:\n%s", page, b)
		}
	}
}
