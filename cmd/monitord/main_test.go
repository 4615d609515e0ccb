package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
	"github.com/monitord/monitord/internal/storage/postgres/pgtest"
)

// TestMain lets the test binary act as a second monitord process: with
// MONITORD_TEST_HOLD set it opens that store for writing, says "held", and
// keeps it until its standard input closes.
func TestMain(m *testing.M) {
	// With MONITORD_TEST_MAIN set the binary is monitord itself, with the
	// arguments after "--".
	if os.Getenv("MONITORD_TEST_MAIN") != "" {
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{"monitord"}, os.Args[i+1:]...)
				break
			}
		}
		main()
		return
	}
	if path := os.Getenv("MONITORD_TEST_HOLD"); path != "" {
		st, err := snapshot.Open(path, snapshot.Options{})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("held")
		bufio.NewReader(os.Stdin).ReadString('\n')
		st.Close()
		os.Exit(0)
	}
	code := m.Run()
	pgtest.Stop() // the PostgreSQL of the tests that started one
	os.Exit(code)
}

// cli runs one command line in-process and returns its exit code and output.
func cli(t *testing.T, hup <-chan os.Signal, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	code := run(context.Background(), args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, hup: hup})
	return code, out.String(), errb.String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// policySite serves a policy page whose body can be swapped.
type policySite struct {
	mu   sync.Mutex
	body string
	srv  *httptest.Server
}

func newPolicySite(t *testing.T, body string) *policySite {
	p := &policySite{body: body}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if r.URL.Path == "/down" {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, p.body)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *policySite) set(body string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.body = body
}

func page(retention, announced, effective string) string {
	return fmt.Sprintf(`<html><body><nav>홈 | 공지사항</nav><article>
<h2>초록상점 개인정보처리방침</h2>
<p>초록상점(이하 "회사")은 이용자의 개인정보를 보호하기 위하여 「개인정보 보호법」을 준수합니다.</p>
<h3>1. 개인정보의 처리 목적</h3><p>회사는 주문 처리와 배송, 고객 상담을 위하여 개인정보를 처리합니다.</p>
<h3>2. 처리하는 개인정보 항목</h3><p>이름, 연락처, 배송지 주소, 결제 기록</p>
<h3>3. 개인정보의 보유 및 이용 기간</h3><p>거래 기록은 전자상거래법에 따라 %s간 보관합니다.</p>
<h3>4. 개인정보 처리방침의 변경</h3><p>이 방침을 변경하는 경우 시행 7일 전부터 홈페이지 공지사항을 통하여 고지합니다.</p>
<p>공고일자: %s</p><p>시행일자: %s</p></article><footer>초록상점</footer></body></html>`, retention, announced, effective)
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func baseConfig(url string) string {
	return fmt.Sprintf(`[storage]
path = "m.db"
[server]
listen = ""
[fetch]
retries = 0
timeout = "5s"
connect_timeout = "2s"
[[target]]
name = "chorok"
url = %q
`, url)
}

func TestUsageAndExitCodes(t *testing.T) {
	if code, out, _ := cli(t, nil); code != exitUsage || !strings.Contains(out, "명령:") {
		t.Fatalf("no args: code %d, out %q", code, out)
	}
	if code, out, _ := cli(t, nil, "-h"); code != exitOK || !strings.Contains(out, "check") {
		t.Fatalf("-h: code %d", code)
	}
	if code, _, errs := cli(t, nil, "frobnicate"); code != exitUsage || !strings.Contains(errs, "알 수 없는 명령") {
		t.Fatalf("unknown command: code %d, %q", code, errs)
	}
	if code, _, errs := cli(t, nil, "check", "-nope"); code != exitUsage || !strings.Contains(errs, "도움말: monitord check -h") {
		t.Fatalf("bad flag: code %d, %q", code, errs)
	}
	if code, _, _ := cli(t, nil, "history", "-h"); code != exitOK {
		t.Fatalf("history -h: code %d", code)
	}
	bad := writeConfig(t, "[notice]\ndays = 7\ncolour = \"red\"\n")
	code, _, errs := cli(t, nil, "check", "-config", bad)
	if code != exitUsage || !strings.Contains(errs, "config.toml:3") || !strings.Contains(errs, "colour") {
		t.Fatalf("bad config: code %d, %q", code, errs)
	}
	if code, _, errs := cli(t, nil, "check", "-config", filepath.Join(t.TempDir(), "missing.toml")); code != exitUsage {
		t.Fatalf("missing config: code %d, %q", code, errs)
	}
}

func TestCheckHistoryShowDiff(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	cfg := writeConfig(t, baseConfig(site.srv.URL+"/p"))

	code, out, errs := cli(t, nil, "check", "-config", cfg)
	if code != exitOK || !strings.Contains(out, "점검 1, 첫 수집 1, 변경 0, 표기만 변경 0, 위반 0, 실패 0") {
		t.Fatalf("first check: code %d\nout: %s\nerr: %s", code, out, errs)
	}
	site.set(page("5년", "2026-10-20", "2026-10-21"))
	code, out, _ = cli(t, nil, "check", "-config", cfg)
	if code != exitOK || !strings.Contains(out, "! 공고 기간 부족") || !strings.Contains(out, "점검 1, 첫 수집 0, 변경 1") {
		t.Fatalf("second check: code %d\n%s", code, out)
	}

	code, out, _ = cli(t, nil, "history", "-config", cfg, "chorok")
	if code != exitOK || !strings.Contains(out, "2026-10-21") || !strings.Contains(out, "공고 기간 부족") || strings.Contains(out, "short_notice") {
		t.Fatalf("history: code %d\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("history has %d lines, want header + 2 versions:\n%s", len(lines), out)
	}

	code, out, _ = cli(t, nil, "show", "-config", cfg, "chorok", "1")
	if code != exitOK || !strings.Contains(out, "3년간 보관") || strings.Contains(out, "5년") {
		t.Fatalf("show v1: code %d\n%s", code, out)
	}
	if !strings.Contains(out, "# 3. 개인정보의 보유 및 이용 기간  ["+categoryText(i18n.Korean, policy.CategoryRetention)+"]") || strings.Contains(out, "# #") {
		t.Fatalf("show v1 headings:\n%s", out)
	}

	code, out, _ = cli(t, nil, "diff", "-config", cfg, "chorok")
	if code != exitOK || !strings.Contains(out, "3년") || !strings.Contains(out, "5년") || !strings.Contains(out, "2026-10-21") {
		t.Fatalf("diff: code %d\n%s", code, out)
	}
	code, out, _ = cli(t, nil, "diff", "-config", cfg, "-format", "json", "chorok", "1", "2")
	if code != exitOK || !strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Fatalf("diff json: code %d\n%s", code, out)
	}

	code, out, _ = cli(t, nil, "targets", "-config", cfg, "-format", "json")
	if code != exitOK || !strings.Contains(out, `"name": "chorok"`) || !strings.Contains(out, `"effective": "2026-10-21"`) {
		t.Fatalf("targets json: code %d\n%s", code, out)
	}
	code, out, _ = cli(t, nil, "alerts", "-config", cfg)
	if code != exitOK || !strings.Contains(out, i18n.Korean.T("event.policy.changed")) || !strings.Contains(out, i18n.Korean.T("event.policy.baseline")) {
		t.Fatalf("alerts: code %d\n%s", code, out)
	}
	if code, _, errs := cli(t, nil, "history", "-config", cfg, "nosuch"); code != exitUsage || !strings.Contains(errs, `"nosuch"라는 대상이 없습니다`) {
		t.Fatalf("unknown target: code %d %q", code, errs)
	}
}

func TestCheckFailedTargetExitsOne(t *testing.T) {
	site := newPolicySite(t, "")
	cfg := writeConfig(t, baseConfig(site.srv.URL+"/down"))
	code, out, errs := cli(t, nil, "check", "-config", cfg)
	if code != exitFailure || !strings.Contains(errs, "대상 1개 실패 (전체 1개)") || !strings.Contains(out, "503") {
		t.Fatalf("code %d\nout: %s\nerr: %s", code, out, errs)
	}
}

func TestSecondProcessGetsStoreInUse(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	cfgPath := writeConfig(t, baseConfig(site.srv.URL+"/p"))
	db := filepath.Join(filepath.Dir(cfgPath), "m.db")

	holder := exec.Command(os.Args[0], "-test.run=^$")
	holder.Env = append(os.Environ(), "MONITORD_TEST_HOLD="+db)
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); holder.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "held" {
		t.Fatalf("holder process: %q, %v", line, err)
	}

	start := time.Now()
	code, _, errs := cli(t, nil, "check", "-config", cfgPath)
	if code != exitFailure || !strings.Contains(errs, "저장소를 다른 monitord가 쓰고 있는데") {
		t.Fatalf("second writer: code %d, %q", code, errs)
	}
	if waited := time.Since(start); waited > 30*time.Second {
		t.Fatalf("second writer hung for %v", waited)
	}
	stdin.Close()
	holder.Wait()
	if code, _, errs := cli(t, nil, "check", "-config", cfgPath); code != exitOK {
		t.Fatalf("after the holder exited: code %d, %q", code, errs)
	}
}

func TestExtractFile(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "p.html")
	if err := os.WriteFile(f, []byte(page("3년", "2026. 10. 1.", "2026. 10. 8.")), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, nil, "extract", f)
	if code != exitOK {
		t.Fatalf("extract: %d %s", code, errs)
	}
	for _, want := range []string{"공고일자  2026-10-01", "시행일자  2026-10-08", categoryText(i18n.Korean, policy.CategoryRetention), "개인정보의 처리 목적", "고지 약속  7일"} {
		if !strings.Contains(out, want) {
			t.Errorf("extract output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = cli(t, nil, "extract", "-format", "json", "-text", f)
	if code != exitOK || !strings.Contains(out, `"effective"`) || !strings.Contains(out, "초록상점") {
		t.Fatalf("extract json: %d\n%s", code, out)
	}
	if code, _, _ := cli(t, nil, "extract", filepath.Join(dir, "none.html")); code != exitUsage {
		t.Fatalf("missing file: code %d", code)
	}
}

func TestRunStopsAndReloadRejectsBadConfig(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	cfgPath := writeConfig(t, baseConfig(site.srv.URL+"/p"))
	hup := make(chan os.Signal, 1)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"run", "-config", cfgPath}, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, hup: hup})
	}()
	waitFor(t, &errb, "scheduler started")

	if err := os.WriteFile(cfgPath, []byte("[storage]\npath = \"m.db\"\nbogus = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hup <- nil
	waitFor(t, &errb, "reload rejected")

	reloaded := strings.Replace(baseConfig(site.srv.URL+"/p"), `timeout = "5s"`, `timeout = "6s"`, 1) +
		"[[target]]\nname = \"second\"\nurl = \"" + site.srv.URL + "/q\"\n"
	if err := os.WriteFile(cfgPath, []byte(reloaded), 0o600); err != nil {
		t.Fatal(err)
	}
	hup <- nil
	waitFor(t, &errb, "configuration reloaded")
	if !strings.Contains(errb.String(), "targets=2") {
		t.Fatalf("reload did not pick up the new target:\n%s", errb.String())
	}
	waitFor(t, &errb, "[fetch] changed: restart monitord to apply it")

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("run exited %d:\n%s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop")
	}
	if !strings.Contains(errb.String(), "monitord stopped") {
		t.Fatalf("no clean stop logged:\n%s", errb.String())
	}
}

func waitFor(t *testing.T, b *syncBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(b.String(), s) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %q in:\n%s", s, b.String())
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestReadersWhileDaemonRuns: the daemon holds the store; reading commands
// answer through its API with the same output, and the status endpoints
// work.
func TestReadersWhileDaemonRuns(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	port := freePort(t)
	body := strings.Replace(baseConfig(site.srv.URL+"/p"), "listen = \"\"", fmt.Sprintf("listen = \"127.0.0.1:%d\"", port), 1)
	cfgPath := writeConfig(t, body)
	if code, _, errs := cli(t, nil, "check", "-config", cfgPath); code != exitOK {
		t.Fatalf("check: %d %s", code, errs)
	}
	site.set(page("5년", "2026-10-01", "2026-10-08"))
	if code, _, errs := cli(t, nil, "check", "-config", cfgPath); code != exitOK {
		t.Fatalf("check: %d %s", code, errs)
	}
	_, wantHistory, _ := cli(t, nil, "history", "-config", cfgPath, "chorok")
	_, wantDiff, _ := cli(t, nil, "diff", "-config", cfgPath, "-format", "json", "chorok")

	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"run", "-config", cfgPath}, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("run did not stop")
		}
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitReady(t, base, &errb)
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metricsBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, name := range []string{"monitord_versions_stored 2", "monitord_targets", "monitord_outbox_pending", "go_goroutines"} {
		if !strings.Contains(string(metricsBody), name) {
			t.Errorf("/metrics lacks %q", name)
		}
	}

	// Readers go through the daemon.
	code, gotHistory, errs := cli(t, nil, "history", "-config", cfgPath, "chorok")
	if code != exitOK || gotHistory != wantHistory {
		t.Fatalf("history through the daemon: code %d %s\ngot:\n%s\nwant:\n%s", code, errs, gotHistory, wantHistory)
	}
	code, gotDiff, errs := cli(t, nil, "diff", "-config", cfgPath, "-format", "json", "chorok")
	if code != exitOK || gotDiff != wantDiff {
		t.Fatalf("diff through the daemon: code %d %s", code, errs)
	}
	if code, out, _ := cli(t, nil, "targets", "-config", cfgPath); code != exitOK || !strings.Contains(out, "chorok") {
		t.Fatalf("targets through the daemon: %d\n%s", code, out)
	}
}

// TestSIGTERMDuringCheck runs monitord as a real process, sends SIGTERM
// while a check waits on a slow page, and checks that it exits 0 after
// draining, with a store that passes bbolt's consistency check and keeps
// the version stored before the signal.
func TestSIGTERMDuringCheck(t *testing.T) {
	var slowHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			slowHits.Add(1)
			select {
			case <-time.After(20 * time.Second):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("3년", "2026-10-01", "2026-10-08"))
	}))
	defer srv.Close()
	cfgPath := writeConfig(t, fmt.Sprintf(`[storage]
path = "m.db"
[server]
listen = ""
[schedule]
default = "@every 1m"
jitter = "0s"
[fetch]
retries = 0
timeout = "30s"
[[target]]
name = "fast"
url = %q
[[target]]
name = "slow"
url = %q
`, srv.URL+"/fast", srv.URL+"/slow"))
	// Seed the fast target's first version so the store has content.
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "check", "-config", cfgPath, "-target", "fast")
	cmd.Env = append(os.Environ(), "MONITORD_TEST_MAIN=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}

	daemon := exec.Command(os.Args[0], "-test.run=^$", "--", "run", "-config", cfgPath, "-drain", "1s")
	daemon.Env = append(os.Environ(), "MONITORD_TEST_MAIN=1")
	var logs syncBuffer
	daemon.Stderr = &logs
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	// The slow target was never checked, so the daemon checks it at start
	// (catch-up); wait until its page is being fetched.
	deadline := time.Now().Add(30 * time.Second)
	for slowHits.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if slowHits.Load() == 0 {
		daemon.Process.Kill()
		daemon.Wait()
		t.Fatalf("the slow check never started:\n%s", logs.String())
	}
	if err := daemon.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- daemon.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("monitord exited with %v:\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		daemon.Process.Kill()
		t.Fatalf("monitord did not stop after SIGTERM:\n%s", logs.String())
	}
	for _, want := range []string{"scheduler stopping", "drain deadline passed", "monitord stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	db := filepath.Join(filepath.Dir(cfgPath), "m.db")
	snapshottest.Check(t, db)
	st, err := snapshot.Open(db, snapshot.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, _ := st.Current("fast"); v == nil {
		t.Fatal("the fast target's version was lost")
	}
	if v, _ := st.Current("slow"); v != nil {
		t.Fatal("the interrupted check stored a version")
	}
}

// TestCheckListsOnlyWhatChanged: an unchanged target is counted in the
// summary but not listed, unless -v.
func TestCheckListsOnlyWhatChanged(t *testing.T) {
	site := newPolicySite(t, page("3년", "2026-10-01", "2026-10-08"))
	cfg := writeConfig(t, baseConfig(site.srv.URL+"/p"))
	if code, out, _ := cli(t, nil, "check", "-config", cfg); code != exitOK || !strings.Contains(out, "chorok") {
		t.Fatalf("first check: %d\n%s", code, out)
	}
	code, out, _ := cli(t, nil, "check", "-config", cfg)
	if code != exitOK || strings.Contains(out, "chorok") || !strings.Contains(out, "점검 1, 첫 수집 0, 변경 0") {
		t.Fatalf("unchanged check: %d\n%s", code, out)
	}
	if _, out, _ := cli(t, nil, "check", "-config", cfg, "-v"); !strings.Contains(out, "chorok") || !strings.Contains(out, "변경 없음") {
		t.Fatalf("-v: %s", out)
	}
	if _, out, _ := cli(t, nil, "check", "-config", cfg, "-q"); out != "" {
		t.Fatalf("-q printed %q", out)
	}
}
