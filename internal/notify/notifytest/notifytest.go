// Package notifytest holds test helpers shared by the notify packages: sample
// events, a recording webhook receiver, golden-file comparison and the
// no-secret-leak assertion. Only tests import it.
package notifytest

import (
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
		}},
		Sections: []message.Section{
			{Title: "개인정보의 제3자 제공", Change: message.ChangeModified, Diff: "- 제공받는 자: 없음\n+ 제공받는 자: <배송 대행사> & 결제 대행사\n+ 제공 항목: 성명, *휴대전화번호*, 주소"},
			{Title: "개인정보의 국외 이전", Change: message.ChangeAdded, Diff: "+ 이전되는 국가: 미국 (AWS us-east-1)\n+ 이전 일시 및 방법: 서비스 이용 시 네트워크를 통한 전송"},
			{Title: "개인정보 보호책임자", Change: message.ChangeModified, Diff: "- 연락처: 02-000-0000\n+ 연락처: privacy@example.co.kr `@everyone`"},
		},
	}
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
