// Package notifytest holds test helpers shared by the notify packages: sample
// events, a recording webhook receiver, golden-file comparison and the
// no-secret-leak assertion. Only tests import it.
package notifytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/notify/message"
)

var kst = time.FixedZone("KST", 9*60*60)

func str(s string) *string { return &s }
func num(n int) *int       { return &n }

// Baseline is a first snapshot that announced and applied on the same day.
func Baseline() message.Event {
	return message.Event{
		ID:         "evt_01JBASE0000000000000000001",
		Type:       message.TypeBaseline,
		Target:     message.Target{Name: "rarelee", URL: "https://example.kr/privacy?lang=ko&v=2"},
		DetectedAt: time.Date(2026, 11, 22, 9, 0, 0, 0, kst),
		Version: &message.Version{ID: "v_7d750a2fdc7bddd1", Announced: str("2024-02-21"), Effective: str("2024-02-21"),
			FirstSeen: time.Date(2026, 11, 22, 9, 0, 0, 0, kst)},
		Violations: []message.Violation{{
			Rule: "short_notice", RequiredDays: 7, RequiredBy: "default", ActualDays: num(0),
			Detail: "공고일자와 시행일자가 같은 날(2024-02-21)이어서 사전 고지 기간이 0일로, 필요한 7일보다 짧습니다. 필요한 고지 기간 7일은 기본 설정([notice] days)에 따른 것입니다.",
			Basis:  "page",
			Evidence: []message.Evidence{{Kind: "page_dates", At: time.Date(2026, 11, 22, 9, 0, 0, 0, kst), URL: "https://example.kr/privacy?lang=ko&v=2",
				SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Text: "공고일자: 2024년 2월 21일 / 시행일자: 2024년 2월 21일"}},
		}},
	}
}

// Changed is a change with a backdated 공고일자, two violations and three
// changed sections, with text that needs escaping in every chat format.
func Changed() message.Event {
	return message.Event{
		ID:         "evt_01JCHNG0000000000000000002",
		Type:       message.TypeChanged,
		Target:     message.Target{Name: "dabit", URL: "https://shop.example.co.kr/policy/privacy"},
		DetectedAt: time.Date(2026, 11, 21, 0, 10, 0, 0, kst),
		Version: &message.Version{ID: "v_b2", Announced: str("2026-11-01"), Effective: str("2026-11-23"),
			FirstSeen: time.Date(2026, 11, 21, 0, 10, 0, 0, kst)},
		Previous: &message.Previous{ID: "v_b1", Announced: str("2025-03-02"), Effective: str("2025-03-09"),
			LastSeen: time.Date(2026, 11, 20, 18, 0, 0, 0, kst)},
		Violations: []message.Violation{{
			Rule: "late_notice", RequiredDays: 30, RequiredBy: "policy", ActualDays: num(3),
			Detail: "새 시행일자는 2026-11-23이지만 이전 본문이 2026-11-20까지 게시되어 있었으므로 실제 고지 기간은 최대 3일로, 필요한 30일보다 짧습니다.",
			Basis:  "observed",
			Evidence: []message.Evidence{
				{Kind: "old_last_seen", At: time.Date(2026, 11, 20, 18, 0, 0, 0, kst), URL: "https://shop.example.co.kr/policy/privacy", SHA256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"},
				{Kind: "new_first_seen", At: time.Date(2026, 11, 21, 0, 10, 0, 0, kst), URL: "https://shop.example.co.kr/policy/privacy", SHA256: "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9"},
				{Kind: "board_checked", At: time.Date(2026, 11, 21, 0, 10, 0, 0, kst), URL: "https://shop.example.co.kr/notice"},
			},
		}},
		Sections: []message.Section{
			{Title: "개인정보의 제3자 제공", Change: message.ChangeModified, Category: "third_party", Diff: "제공받는 자: ~~없음~~ **<배송 대행사> & 결제 대행사**\n**제공 항목: 성명, *휴대전화번호*, 주소**"},
			{Title: "개인정보의 국외 이전", Change: message.ChangeAdded, Diff: "+ 이전되는 국가: 미국 (AWS us-east-1)\n+ 이전 일시 및 방법: 서비스 이용 시 네트워크를 통한 전송"},
			{Title: "개인정보 보호책임자", OldTitle: "개인정보 관리책임자", Change: message.ChangeModified, Diff: "연락처: ~~02-000-0000~~ **privacy@example.co.kr `@everyone`**"},
		},
		DiffURL: "https://monitord.example.kr/targets/dabit/diff?from=v_b1&to=v_b2",
	}
}

// Case is a named sample event for golden tests.
type Case struct {
	Name  string
	Event message.Event
}

// Cases are the events every chat and mail format is rendered for: a
// baseline, a change for each verdict basis (page, observed, unconfirmed), a
// compliant change, a cosmetic one, a return, a failing and a recovered
// target.
func Cases() []Case {
	promise := "필요한 고지 기간 30일은 처리방침이 스스로 약속한 기간입니다(“개인정보 처리방침을 변경하는 경우 변경 사항의 시행 30일 전부터 홈페이지 공지사항을 통하여 고지할 것입니다. 다만, 이용자 권리의 중요한 변경이 있을 경우에는 30일 전에 고지합니다.”)."
	page := Changed()
	page.ID = "evt_01JPAGE0000000000000000004"
	page.Version.Announced, page.Version.Effective = str("2026-11-21"), str("2026-11-21")
	page.DateChanges = []message.DateChange{{Field: "announced", Old: str("2025-03-02"), New: str("2026-11-21")}, {Field: "effective", Old: str("2025-03-09"), New: str("2026-11-21")}}
	page.Sections = page.Sections[:1]
	page.Violations = []message.Violation{
		{Rule: "short_notice", RequiredDays: 30, RequiredBy: "policy", ActualDays: num(0), Basis: "page",
			Detail:   "공고일자와 시행일자가 같은 날(2026-11-21)이어서 사전 고지 기간이 0일로, 필요한 30일보다 짧습니다. " + promise,
			Evidence: []message.Evidence{{Kind: "page_dates", At: page.DetectedAt, URL: page.Target.URL, Text: "공고일자 2026. 11. 21. 시행일자 2026. 11. 21."}}},
		{Rule: "late_notice", RequiredDays: 30, RequiredBy: "policy", ActualDays: num(0), Basis: "observed",
			Detail: "새 시행일자는 2026-11-21이지만 이전 본문이 2026-11-20까지 게시되어 있었으므로 실제 고지 기간은 최대 0일로, 필요한 30일보다 짧습니다. " + promise,
			Evidence: []message.Evidence{
				{Kind: "old_last_seen", At: time.Date(2026, 11, 20, 18, 0, 0, 0, kst), URL: page.Target.URL},
				{Kind: "new_first_seen", At: page.DetectedAt, URL: page.Target.URL}}},
	}
	unconfirmed := Changed()
	unconfirmed.ID = "evt_01JUNCF0000000000000000005"
	unconfirmed.DiffURL = ""
	unconfirmed.Violations[0].Basis = "unconfirmed"
	unconfirmed.Violations[0].Evidence = unconfirmed.Violations[0].Evidence[:2]
	compliant := Changed()
	compliant.ID = "evt_01JCMPL0000000000000000006"
	compliant.Version.Announced, compliant.Version.Effective = str("2026-10-01"), str("2026-11-01")
	compliant.Violations = []message.Violation{}
	compliant.Announcement = &message.Announcement{URL: "https://shop.example.co.kr/notice/812", Title: "[안내] 개인정보 처리방침 개정 안내", Posted: str("2026-10-01"), Effective: str("2026-11-01")}
	cosmetic := Changed()
	cosmetic.ID = "evt_01JCSMT0000000000000000007"
	cosmetic.Violations, cosmetic.Sections = []message.Violation{}, []message.Section{}
	returned := Changed()
	returned.ID = "evt_01JRTRN0000000000000000008"
	returned.Violations, returned.ReturnOf = []message.Violation{}, "3"
	failing := Baseline()
	failing.ID = "evt_01JFAIL0000000000000000009"
	failing.Type, failing.Version, failing.Violations = message.TypeFailing, nil, []message.Violation{}
	failing.Failures, failing.Error = 3, "fetch rarelee: https://example.kr answered 503 Service Unavailable"
	recovered := Baseline()
	recovered.ID = "evt_01JRCVR0000000000000000010"
	recovered.Type, recovered.Violations, recovered.Failures = message.TypeRecovered, []message.Violation{}, 5
	return []Case{
		{"baseline", Baseline()},
		{"changed_page", page},
		{"changed_observed", Changed()},
		{"changed_unconfirmed", unconfirmed},
		{"changed_ok", compliant},
		{"cosmetic", cosmetic},
		{"returned", returned},
		{"failing", failing},
		{"recovered", recovered},
	}
}

// Baselines are first snapshots of several targets, for digests.
func Baselines(n int) []message.Event {
	out := make([]message.Event, n)
	for i := range out {
		e := Baseline()
		e.ID = fmt.Sprintf("evt_01JDGST%019d", i+1)
		e.Target = message.Target{Name: fmt.Sprintf("site-%02d", i+1), URL: fmt.Sprintf("https://site%02d.example.kr/privacy", i+1)}
		if i%3 != 0 {
			e.Violations = []message.Violation{}
			e.Version.Announced = str("2024-01-01")
		}
		out[i] = e
	}
	return out
}

// Huge is a change with far more violations and sections than any chat
// format can show, and very long text, for limit tests.
func Huge() message.Event {
	e := Changed()
	e.ID = "evt_01JHUGE0000000000000000003"
	long := strings.Repeat("이용자의 개인정보를 안전하게 처리하기 위한 조치 🔒 ", 200)
	e.Target.Name = strings.Repeat("아주긴사이트이름", 60)
	for i := range 40 {
		e.Violations = append(e.Violations, message.Violation{Rule: "short_notice", RequiredDays: 7, RequiredBy: "default", ActualDays: num(i % 7), Detail: long})
		e.Sections = append(e.Sections, message.Section{Title: fmt.Sprintf("%d. %s", i, string([]rune(long)[:300])), Change: message.ChangeModified, Diff: long})
	}
	return e
}

// Request is what a Receiver got.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// Receiver is a webhook receiver on an httptest server that records every
// request and answers with Respond.
type Receiver struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
}

// NewReceiver starts a receiver; respond writes the answer (nil means 204).
// The server is closed when the test ends.
func NewReceiver(t testing.TB, respond http.HandlerFunc) *Receiver {
	t.Helper()
	r := &Receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.requests = append(r.requests, Request{Method: req.Method, Path: req.URL.RequestURI(), Header: req.Header.Clone(), Body: b})
		r.mu.Unlock()
		req.Body = io.NopCloser(bytes.NewReader(b)) // respond may read it again
		if respond == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		respond(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

// Requests returns a copy of what was received so far.
func (r *Receiver) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.requests...)
}

// Golden compares got with testdata/name, rewriting the file when update is
// set (the test's -update flag).
func Golden(t testing.TB, name string, got []byte, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("output differs from %s (check, then run go test -update):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// AssertNoLeak fails the test when err's message contains any of secrets
// (webhook URLs, their paths, signing secrets).
func AssertNoLeak(t testing.TB, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("error leaks a secret %q: %s", s, msg)
		}
	}
}

// GoldenCases renders every case of Cases in Korean, and the baseline and
// the observed change in English too, with build, and compares the indented
// JSON (or the text, for a string) with testdata/<case>_<lang>.golden.
func GoldenCases(t *testing.T, update bool, build func(e message.Event, lang string) (any, error)) {
	t.Helper()
	type run struct {
		c    Case
		lang string
	}
	var runs []run
	for _, c := range Cases() {
		runs = append(runs, run{c, "ko"})
		if c.Name == "baseline" || c.Name == "changed_observed" {
			runs = append(runs, run{c, "en"})
		}
	}
	for _, r := range runs {
		t.Run(r.c.Name+"_"+r.lang, func(t *testing.T) {
			p, err := build(r.c.Event, r.lang)
			if err != nil {
				t.Fatal(err)
			}
			var b []byte
			if s, ok := p.(string); ok {
				b = []byte(s)
			} else if b, err = json.MarshalIndent(p, "", "  "); err != nil {
				t.Fatal(err)
			}
			Golden(t, r.c.Name+"_"+r.lang+".golden", append(b, '\n'), update)
		})
	}
}
