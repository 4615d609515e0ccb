package ui_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/cputime"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
	"github.com/monitord/monitord/internal/web"
	"github.com/monitord/monitord/internal/web/ui"
)

// benchHandler is the web server with the UI over st and cfg.
func benchHandler(b *testing.B, st *snapshot.Store, cfg *config.Config) http.Handler {
	b.Helper()
	now := func() time.Time { return day0.AddDate(0, 0, 10) }
	src := web.NewStoreSource(st, func() *config.Config { return cfg }, now)
	u, err := ui.New(ui.Options{Source: src, Config: func() *config.Config { return cfg }, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	s, err := web.New(web.Options{Listen: "127.0.0.1:0", Source: src, UI: u.Handler()})
	if err != nil {
		b.Fatal(err)
	}
	return s.Handler()
}

// benchGet measures GET path. Besides ns/op (wall time, which a loaded
// machine inflates), it reports cpu-ns/op: the process's user+system CPU
// time per request, what the request costs on an idle machine.
func benchGet(b *testing.B, h http.Handler, path string) {
	b.Helper()
	start := cputime.Process(b)
	defer func() { b.ReportMetric(float64(cputime.Process(b)-start)/float64(b.N), "cpu-ns/op") }()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
}

// BenchmarkTargetsPage renders / over 10,000 stored targets (every tenth
// with a violation, one in twenty changed twice), the first page and a
// filtered one.
func BenchmarkTargetsPage(b *testing.B) {
	const n = 10000
	st := snapshottest.Open(b)
	cfg := &config.Config{}
	ctx := context.Background()
	errs := make(chan error, n)
	sem := make(chan struct{}, 64)
	for i := range n {
		name := fmt.Sprintf("site-%05d", i)
		url := fmt.Sprintf("https://www%d.example.kr/privacy", i)
		cfg.Targets = append(cfg.Targets, config.Target{Name: name, URL: url, Enabled: true})
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			meta := map[string]string{"announced": "2026-10-01", "effective": "2026-10-08"}
			if i%10 == 0 {
				meta["violations"] = "short_notice"
			}
			versions := 1 + 2*btoi(i%20 == 0)
			var err error
			for v := range versions {
				_, err = st.Record(ctx, snapshot.Observation{Target: name, URL: url, At: day0.AddDate(0, 0, v), Status: 200,
					Text: fmt.Sprintf("%s 개인정보 처리방침 %d", name, v), Rules: "r", Meta: meta}, nil)
				if err != nil {
					break
				}
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	// Cold: a new source each time, so every request decodes all 10,000
	// targets and their current versions (as after every write).
	b.Run("cold", func(b *testing.B) {
		start := cputime.Process(b)
		defer func() { b.ReportMetric(float64(cputime.Process(b)-start)/float64(b.N), "cpu-ns/op") }()
		for b.Loop() {
			w := httptest.NewRecorder()
			benchHandler(b, st, cfg).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil))
			if w.Code != http.StatusOK {
				b.Fatal(w.Code)
			}
		}
	})
	// Warm: the same source, nothing written between requests.
	h := benchHandler(b, st, cfg)
	b.Run("first-page", func(b *testing.B) { benchGet(b, h, "/") })
	b.Run("status-violation", func(b *testing.B) { benchGet(b, h, "/?status=violation&page=3") })
	b.Run("search", func(b *testing.B) { benchGet(b, h, "/?q=www77") })
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// benchPolicyText is a synthetic Korean policy of about 60 KB: 60 articles
// of about 1 KB. edit changes one sentence in three of them.
func benchPolicyText(edit bool) string {
	r := rand.New(rand.NewPCG(11, 7))
	subjects := []string{"회사는", "정보주체는", "수탁자는", "보호책임자는", "이용자는"}
	objects := []string{"개인정보를", "접속 기록을", "결제 정보를", "배송지 주소를", "휴대전화번호를", "쿠키를"}
	verbs := []string{"처리합니다.", "보관합니다.", "파기합니다.", "제공합니다.", "위탁합니다."}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	var b strings.Builder
	b.WriteString("주식회사 벤치 개인정보 처리방침\n공고일자: 2026-10-01\n시행일자: 2026-10-08\n\n")
	for i := range 60 {
		fmt.Fprintf(&b, "제%d조 (개인정보 처리 사항 %d)\n", i+1, i+1)
		size := 0
		for line := 1; size < 1000; line++ {
			s := fmt.Sprintf("%d. %s %s %s 보유기간은 %d년입니다.", line, pick(subjects), pick(objects), pick(verbs), r.IntN(9)+1)
			if edit && (i == 5 || i == 30 || i == 55) && line == 3 {
				s += " 다만 이용자가 요청하면 즉시 삭제합니다."
			}
			b.WriteString(s + "\n")
			size += len(s)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// BenchmarkDiffPage renders the side-by-side diff of two 60 KB policies
// with three sections changed: reading both texts, parsing, comparing,
// building the view and rendering it.
func BenchmarkDiffPage(b *testing.B) {
	st := snapshottest.Open(b)
	cfg := &config.Config{Targets: []config.Target{{Name: "big", URL: "https://big.example.kr/privacy", Enabled: true}}}
	old, new := benchPolicyText(false), benchPolicyText(true)
	for i, text := range []string{old, new} {
		if _, err := st.Record(context.Background(), snapshot.Observation{Target: "big", URL: "https://big.example.kr/privacy", At: day0.AddDate(0, 0, i), Status: 200, Text: text, Rules: "r"}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("policies of %d and %d bytes", len(old), len(new))
	h := benchHandler(b, st, cfg)
	benchGet(b, h, "/t/big/diff?from=1&to=2")
}
