package render

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/chromium/chromiumtest"
)

// BenchmarkRender renders the React-style page (a script that fetches the
// policy from the same site) once per iteration in one browser, and reports
// the resident memory of the browser's whole process tree after the pages
// (pss-MiB: proportional set size, shared pages counted once) next to the time per page. The browser's start is not timed.
func BenchmarkRender(b *testing.B) {
	exe := chromiumtest.Require(b)
	br := NewBrowser(BrowserOptions{Executable: exe, Concurrency: 1, Timeout: 30 * time.Second})
	defer br.Close()
	mux, _ := jsServer(b, nil)
	job := Job{URL: mux.URL + "/privacy", Body: []byte(shellPage(policyJS))}
	if _, err := br.Render(context.Background(), job); err != nil { // start the browser
		b.Fatal(err)
	}
	var peak int64
	b.ResetTimer()
	for b.Loop() {
		if _, err := br.Render(context.Background(), job); err != nil {
			b.Fatal(err)
		}
		if rss := treeRSS(br.PID()); rss > peak {
			peak = rss
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "pss-MiB")
}

// treeRSS sums the PSS of pid and all its descendants, in bytes (Linux).
func treeRSS(pid int) int64 {
	if pid == 0 {
		return 0
	}
	children := map[int][]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+1:])
		if len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		p, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		children[ppid] = append(children[ppid], p)
	}
	var total int64
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		total += pss(p)
		queue = append(queue, children[p]...)
	}
	return total
}

// pss is the proportional set size of pid in bytes: its resident memory
// with pages shared between Chromium's processes counted once overall
// (summing VmRSS would count the shared libraries once per process).
func pss(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Pss:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
