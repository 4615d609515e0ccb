package snapshot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// t0 is the time of the first check in every test; tests move the clock by hand.
var t0 = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

const rulesV1 = "selector=#policy;exclude=.popup;extractor=1"

// policyText builds a policy-like Korean text of about size bytes. Texts
// with different variants differ in their effective-date line only.
func policyText(variant string, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "개인정보 처리방침\n공고일자: 2026-11-01\n시행일자: 2026-11-%s\n", variant)
	purposes := []string{"회원 가입과 본인 확인", "주문 상품의 배송", "고객 문의 응대", "부정 이용 방지", "서비스 개선을 위한 통계"}
	for i := 1; b.Len() < size; i++ {
		fmt.Fprintf(&b, "제%d조 (개인정보의 처리 목적) 회사는 %s을 위하여 이름, 휴대전화번호, 접속 기록을 처리하며, 목적이 바뀌면 미리 알립니다.\n",
			i, purposes[i%len(purposes)])
	}
	return b.String()
}

// pageOf wraps text in page chrome, as a site would serve it.
func pageOf(text, chrome string) []byte {
	var b strings.Builder
	b.WriteString("<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>개인정보 처리방침</title></head><body>")
	fmt.Fprintf(&b, "<nav>%s</nav><main id=\"policy\">", chrome)
	for line := range strings.SplitSeq(text, "\n") {
		fmt.Fprintf(&b, "<p>%s</p>\n", line)
	}
	b.WriteString("</main><footer>고객센터 1588-0000</footer></body></html>")
	return []byte(b.String())
}

func observation(target, text string, at time.Time) snapshot.Observation {
	return snapshot.Observation{
		Target: target, URL: "https://example.kr/" + target + "/privacy", At: at, Status: 200,
		Raw: pageOf(text, "홈 | 고객센터"), Text: text, MediaType: "text/html", Charset: "utf-8",
		ETag: fmt.Sprintf("%q", at.Format(time.RFC3339)), Rules: rulesV1,
	}
}

func record(t testing.TB, s *snapshot.Store, o snapshot.Observation) snapshot.Outcome {
	t.Helper()
	out, err := s.Record(context.Background(), o, nil)
	if err != nil {
		t.Fatalf("Record(%s at %s): %v", o.Target, o.At.Format(time.RFC3339), err)
	}
	return out
}

func stats(t testing.TB, s *snapshot.Store) snapshot.Stats {
	t.Helper()
	st, err := s.Stats()
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return st
}

func versions(t testing.TB, s *snapshot.Store, target string) []snapshot.Version {
	t.Helper()
	vs, err := s.Versions(target)
	if err != nil {
		t.Fatalf("Versions(%s): %v", target, err)
	}
	return vs
}

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// seeds returns the real policy texts in ../shared/seeds, read in place.
func seeds(t testing.TB) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		t.Skipf("no seed policies in %s (../shared is not beside the repository)", dir)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}
