package monitor

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/cputime"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/snapshot"
)

// benchHosts is how many loopback addresses the benchmark's page server
// listens on, so the per-host limit spreads as it would over real sites.
const benchHosts = 16

// benchPage builds a ~60 KB policy page unique to target i: a realistic
// Korean policy with tables and lists, repeated sections, page chrome.
func benchPage(i int) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>개인정보처리방침</title>
<script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}</script>
<style>body{font-family:sans-serif}.popup{display:none}</style></head><body>
<header><nav><ul><li><a href="/">홈</a></li><li><a href="/notice">공지사항</a></li><li><a href="/privacy">개인정보처리방침</a></li></ul></nav></header>
<div class="popup" style="display:none">오늘 하루 보지 않기</div><main id="policy">`)
	fmt.Fprintf(&b, "<h2>주식회사 벤치%04d 개인정보처리방침</h2>\n", i)
	fmt.Fprintf(&b, "<p>주식회사 벤치%04d(이하 &quot;회사&quot;)는 「개인정보 보호법」 제30조에 따라 정보주체의 개인정보를 보호하고 이와 관련한 고충을 신속하고 원활하게 처리할 수 있도록 다음과 같이 개인정보 처리방침을 수립·공개합니다.</p>\n", i)
	topics := []string{"개인정보의 처리 목적", "처리하는 개인정보의 항목", "개인정보의 처리 및 보유 기간", "개인정보의 파기 절차 및 방법", "개인정보의 제3자 제공", "개인정보 처리업무의 위탁", "정보주체의 권리·의무 및 행사방법", "개인정보의 안전성 확보조치", "개인정보 자동 수집 장치의 설치·운영 및 거부", "개인정보 보호책임자"}
	for n := 1; b.Len() < 58_000; n++ {
		t := topics[(n-1)%len(topics)]
		fmt.Fprintf(&b, "<h3>제%d조(%s)</h3>\n", n, t)
		fmt.Fprintf(&b, "<p>① 회사는 %s와 관련하여 다음 각 호의 사항을 준수합니다. 회사는 정보주체의 동의 없이 개인정보를 목적 외로 이용하지 않으며, 이용 목적이 변경되는 경우에는 별도의 동의를 받는 등 필요한 조치를 이행합니다.</p>\n", t)
		b.WriteString("<ol><li>홈페이지 회원 가입 및 관리: 회원 가입의사 확인, 본인 식별·인증, 회원자격 유지·관리</li><li>재화 또는 서비스 제공: 물품배송, 서비스 제공, 계약서·청구서 발송, 콘텐츠 제공</li><li>고충처리: 민원인의 신원 확인, 민원사항 확인, 사실조사를 위한 연락·통지</li></ol>\n")
		b.WriteString("<table><tr><th>수탁업체</th><th>위탁업무</th><th>보유기간</th></tr><tr><td>한빛물류(주)</td><td>상품 배송</td><td>위탁계약 종료 시까지</td></tr><tr><td>누리결제(주)</td><td>결제 처리</td><td>5년</td></tr></table>\n")
		fmt.Fprintf(&b, "<p>② 보유기간: 회원 탈퇴 시까지. 다만 관계 법령에 따라 %d년간 보존합니다.&nbsp;&nbsp;문의: privacy%04d@example.kr</p>\n", 1+n%5, i)
	}
	b.WriteString("<p>이 개인정보처리방침은 시행 7일 전부터 공지사항을 통하여 고지합니다.</p><p>공고일자: 2026년 10월 1일</p><p>시행일자: 2026년 10월 8일</p>")
	b.WriteString(`</main><footer><p>Copyright 벤치 Corp. 사업자등록번호 000-00-00000</p></footer></body></html>`)
	return b.String()
}

// benchSite serves n pages, odd ones encoded as EUC-KR, on benchHosts
// loopback addresses. It returns the page URLs.
func benchSite(b *testing.B, n int) []string {
	b.Helper()
	pages := make([][]byte, n)
	types := make([]string, n)
	for i := range n {
		p := benchPage(i)
		if i%2 == 1 {
			p = strings.Replace(p, `<meta charset="utf-8">`, `<meta charset="euc-kr">`, 1)
			enc, err := korean.EUCKR.NewEncoder().Bytes([]byte(p))
			if err != nil {
				b.Fatal(err)
			}
			pages[i], types[i] = enc, "text/html; charset=EUC-KR"
		} else {
			pages[i], types[i] = []byte(p), "text/html; charset=utf-8"
		}
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/p/%d", &i); err != nil || i < 0 || i >= n {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", types[i])
		w.Write(pages[i])
	})
	var addrs []string
	for k := 1; k <= benchHosts; k++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", k))
		if err != nil {
			b.Skipf("cannot listen on 127.0.0.%d: %v", k, err)
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		b.Cleanup(func() { srv.Close() })
		addrs = append(addrs, ln.Addr().String())
	}
	urls := make([]string, n)
	for i := range n {
		urls[i] = fmt.Sprintf("http://%s/p/%d", addrs[i%len(addrs)], i)
	}
	return urls
}

func benchConfig(b *testing.B, dir string, urls []string) *config.Config {
	b.Helper()
	var sb strings.Builder
	fmt.Fprintf(&sb, "[storage]\npath = %q\n[server]\nlisten = \"\"\n", filepath.Join(dir, "bench.db"))
	sb.WriteString("[fetch]\nconcurrency = 16\nper_host = 2\nhost_interval = \"0s\"\nretries = 0\n")
	for i, u := range urls {
		fmt.Fprintf(&sb, "[[target]]\nname = \"t%04d\"\nurl = %q\n", i, u)
	}
	cfg, err := config.Parse([]byte(sb.String()), "bench.toml", func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// peakHeap samples the heap in use until stop is closed.
func peakHeap(stop <-chan struct{}, peak *atomic.Uint64, wg *sync.WaitGroup) {
	defer wg.Done()
	var ms runtime.MemStats
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak.Load() {
			peak.Store(ms.HeapInuse)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// BenchmarkCheckCycle1000 is one pass over 1,000 targets serving 60 KB
// pages (half EUC-KR) from loopback: "baseline" stores 1,000 first versions
// into an empty store, "unchanged" re-checks them (no ETag: every page is
// fetched, decoded, extracted and hashed; the store only moves last_seen).
// It reports the peak heap in use during the pass (peak-heap-MiB, which
// includes the in-process page server's ~90 MiB of pages) and the pass's
// own growth over the heap in use before it (pass-heap-MiB).
func BenchmarkCheckCycle1000(b *testing.B) {
	const n = 1000
	urls := benchSite(b, n)
	run := func(b *testing.B, c *Checker, st *snapshot.Store, cfg *config.Config) {
		// The page server lives in this process and holds every page: the
		// heap in use before the pass (after a GC) is the site's, not
		// monitord's. Report the total peak and the pass's own growth.
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var peak atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go peakHeap(stop, &peak, &wg)
		before, err := st.Stats()
		if err != nil {
			b.Fatal(err)
		}
		cpu0 := cputime.Process(b)
		rs := CheckAll(context.Background(), c, cfg.EnabledTargets(), cfg.Fetch.Concurrency, nil)
		cpu := cputime.Process(b) - cpu0
		close(stop)
		wg.Wait()
		after, err := st.Stats()
		if err != nil {
			b.Fatal(err)
		}
		// CPU of the whole process (the page server's included) and how
		// many writes each commit carried: what group commit saves.
		b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms/pass")
		if commits := after.Commits - before.Commits; commits > 0 {
			b.ReportMetric(float64(after.Writes-before.Writes)/float64(commits), "writes/commit")
		}
		for _, r := range rs {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.Target, r.Err)
			}
		}
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(peak.Load()-min(base, peak.Load()))/(1<<20), "pass-heap-MiB")
	}
	open := func(b *testing.B, cfg *config.Config) (*Checker, *snapshot.Store) {
		st, err := snapshot.Open(cfg.Storage.Path, snapshot.Options{})
		if err != nil {
			b.Fatal(err)
		}
		return NewChecker(cfg, st, fetch.New(FetchOptions(cfg, nil, nil)), nil, time.Now), st
	}

	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			cfg := benchConfig(b, b.TempDir(), urls)
			c, st := open(b, cfg)
			runtime.GC()
			b.StartTimer()
			run(b, c, st, cfg)
			b.StopTimer()
			// What a new version of a 60 KB page costs the store: its raw
			// page and text, compressed (blobs), and the whole file's data
			// pages (versions, chain, outbox, B+tree overhead).
			if stats, err := st.Stats(); err == nil && stats.Versions > 0 {
				b.ReportMetric(float64(stats.BlobBytes)/float64(stats.Versions), "blob-B/version")
				b.ReportMetric(float64(stats.BlobContentBytes)/float64(stats.Versions), "content-B/version")
				b.ReportMetric(float64(stats.DataSize)/float64(stats.Versions), "data-B/version")
			}
			st.Close()
			b.StartTimer()
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		cfg := benchConfig(b, b.TempDir(), urls)
		c, st := open(b, cfg)
		defer st.Close()
		run(b, c, st, cfg)
		before, err := st.Stats()
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		for b.Loop() {
			run(b, c, st, cfg)
		}
		after, err := st.Stats()
		if err != nil {
			b.Fatal(err)
		}
		if after.Versions != before.Versions || after.BlobBytes != before.BlobBytes {
			b.Fatalf("unchanged re-check stored content: %+v → %+v", before, after)
		}
	})
}
