package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
	"github.com/monitord/monitord/internal/web"
)

// t0 is the first check of every fixture; later checks move forward by days.
var t0 = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// testToken is long enough for config validation.
const testToken = "0123456789abcdef0123456789abcdef"

const testConfig = `
[storage]
path = "unused.db"

[[target]]
name = "alpha"
url = "https://alpha.example.kr/privacy"

[[target]]
name = "beta"
url = "https://beta.example.kr/privacy"

[[target]]
name = "gamma"
url = "https://gamma.example.kr/privacy"
enabled = false
`

// policy builds a small policy in the usual shape: a title, dates, and
// numbered articles. keep says how long personal data is kept.
func policyText(announced, effective, keep string) string {
	return fmt.Sprintf(`주식회사 알파 개인정보 처리방침
공고일자: %s
시행일자: %s

제1조 (개인정보의 처리 목적)
회사는 회원 관리와 상품 배송을 위하여 개인정보를 처리합니다.

제2조 (처리하는 개인정보의 항목)
이름, 휴대전화번호, 배송지 주소를 처리합니다.

제3조 (개인정보의 보유 및 이용기간)
회원 탈퇴 후 %s 동안 보관한 뒤 파기합니다.

제4조 (개인정보 처리방침의 변경)
이 방침을 바꿀 때에는 시행 7일 전부터 홈페이지에 알립니다.
`, announced, effective, keep)
}

// page wraps text as a site would serve it, with a script that must never
// run in an operator's browser.
func page(text string) []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><script>alert("stored page ran")</script></head><body><main>`)
	for line := range strings.SplitSeq(text, "\n") {
		fmt.Fprintf(&b, "<p>%s</p>\n", line)
	}
	b.WriteString("</main></body></html>")
	return []byte(b.String())
}

// fixture is a store with real records: alpha has three versions with
// events, beta and gamma were never checked, and "old" is stored but no
// longer configured, and failing.
type fixture struct {
	cfg   *config.Config
	store *snapshot.Store
	texts map[uint64]string // alpha's texts by version id
	now   time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig), "test.toml", func(string) string { return "" })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	st := snapshottest.Open(t)
	f := &fixture{cfg: cfg, store: st, texts: map[uint64]string{}, now: t0.AddDate(0, 0, 30)}
	ctx := context.Background()

	texts := []struct {
		text string
		meta map[string]string
	}{
		{policyText("2026-10-01", "2026-10-08", "1년"), map[string]string{"announced": "2026-10-01", "effective": "2026-10-08"}},
		{policyText("2026-11-10", "2026-11-11", "3년"), map[string]string{"announced": "2026-11-10", "effective": "2026-11-11", "violations": "short_notice"}},
		{policyText("2026-11-20", "2026-11-27", "5년"), map[string]string{"announced": "2026-11-20", "effective": "2026-11-27"}},
	}
	for i, x := range texts {
		at := t0.AddDate(0, 0, 10*i)
		obs := snapshot.Observation{
			Target: "alpha", URL: "https://alpha.example.kr/privacy", At: at, Status: 200,
			Raw: page(x.text), Text: x.text, MediaType: "text/html", Charset: "utf-8", Rules: "r1", Meta: x.meta,
		}
		if i == 2 {
			obs.Raw = nil // a version whose page was not kept
		}
		typ := config.EventPolicyChanged
		if i == 0 {
			typ = config.EventPolicyBaseline
		}
		out, err := st.Record(ctx, obs, func(o snapshot.Outcome) ([]snapshot.Event, error) {
			return []snapshot.Event{{
				ID: fmt.Sprintf("evt_alpha_%d", i+1), Type: typ, Version: o.Version.ID,
				Payload: json.RawMessage(`{"summary":"개인정보 처리방침이 바뀌었습니다"}`), Webhooks: []string{"ops", "chat"},
			}}, nil
		})
		if err != nil {
			t.Fatalf("record alpha %d: %v", i+1, err)
		}
		f.texts[out.Version.ID] = x.text
	}
	// The baseline's deliveries went out; the first change failed for good at one webhook.
	for _, hook := range []string{"ops", "chat"} {
		if err := st.MarkDelivered("evt_alpha_1", hook, t0.Add(time.Minute), 200); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.MarkAttemptFailed("evt_alpha_2", "ops", t0.AddDate(0, 0, 10), 410, "410 Gone", time.Time{}, false, true); err != nil {
		t.Fatal(err)
	}

	oldText := policyText("2025-01-01", "2025-01-08", "1년")
	if _, err := st.Record(ctx, snapshot.Observation{Target: "old", URL: "https://old.example.kr/privacy", At: t0, Status: 200, Text: oldText, Rules: "r1"}, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		_, err := st.RecordFailure(ctx, "old", snapshot.Failure{At: t0.Add(time.Duration(i+1) * time.Hour), Status: 503, Error: "503 Service Unavailable"},
			func(s snapshot.TargetState) ([]snapshot.Event, error) {
				if s.ConsecutiveFailures < 3 || s.Failing {
					return nil, nil
				}
				return []snapshot.Event{{ID: "evt_old_failing", Type: snapshot.TypeTargetFailing}}, nil // no webhook
			})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) source() web.Source {
	return web.NewStoreSource(f.store, func() *config.Config { return f.cfg }, func() time.Time { return f.now })
}

// server starts an httptest server for o (Source defaults to the fixture's).
func (f *fixture) server(t *testing.T, o web.Options) (*web.Server, *httptest.Server) {
	t.Helper()
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	if o.Source == nil {
		o.Source = f.source()
	}
	s, err := web.New(o)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// get sends a request with an optional token and returns status, headers and body.
func get(t *testing.T, method, url, token string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// decode unmarshals JSON or fails the test with the body.
func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, b)
	}
	return v
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }
