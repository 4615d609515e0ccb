package evidence_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/evidence"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/snapshot/snapshottest"
	"github.com/monitord/monitord/internal/web"
)

var t0 = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// policy builds a policy of about size bytes (at least its articles) whose
// retention article says keep; padding articles make it long.
func policy(announced, effective, keep string, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "주식회사 가나 개인정보 처리방침\n공고일자: %s\n시행일자: %s\n\n", announced, effective)
	b.WriteString("제1조 (개인정보의 처리 목적)\n회사는 회원 관리와 상품 배송을 위하여 개인정보를 처리합니다.\n\n")
	fmt.Fprintf(&b, "제2조 (개인정보의 보유 및 이용기간)\n회원 탈퇴 후 %s 동안 보관한 뒤 파기합니다.\n\n", keep)
	b.WriteString("제3조 (개인정보 처리방침의 변경)\n이 방침을 바꿀 때에는 시행 7일 전부터 공지사항을 통하여 알립니다.\n\n")
	for i := 4; b.Len() < size; i++ {
		fmt.Fprintf(&b, "제%d조 (개인정보의 제3자 제공 %d)\n회사는 이용자의 동의 없이 개인정보를 제3자에게 제공하지 않으며, 법령에 따른 경우에만 제공하고 그 내역을 기록합니다.\n\n", i, i)
	}
	return b.String()
}

func pageOf(text string) []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="https://cdn.example.kr/site.css"><script src="https://cdn.example.kr/app.js"></script></head><body><main>`)
	for line := range strings.SplitSeq(text, "\n") {
		fmt.Fprintf(&b, "<p>%s</p>\n", line)
	}
	b.WriteString(`<img src="https://cdn.example.kr/logo.png"></main></body></html>`)
	return []byte(b.String())
}

// store records a baseline and a change that was announced by a board
// post the day it took effect (late_notice, basis observed).
func store(t testing.TB, size int) (web.Source, *snapshot.Store) {
	t.Helper()
	st := snapshottest.Open(t)
	ctx := context.Background()
	for i, x := range []struct{ text, typ string }{
		{policy("2026-10-01", "2026-10-08", "1년", size), message.TypeBaseline},
		{policy("2026-11-10", "2026-11-11", "5년", size), message.TypeChanged},
	} {
		at := t0.AddDate(0, 0, 9*i)
		obs := snapshot.Observation{Target: "gana", URL: "https://gana.example.kr/privacy", At: at, Status: 200,
			Raw: pageOf(x.text), Text: x.text, MediaType: "text/html", Charset: "utf-8", Rules: "r1",
			Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Server": {"nginx"}}}
		if i == 1 {
			obs.Meta = map[string]string{"violations": "late_notice"}
		}
		_, err := st.Record(ctx, obs, func(o snapshot.Outcome) ([]snapshot.Event, error) {
			ev := message.Event{ID: fmt.Sprintf("evt_gana_%d", i+1), Type: x.typ, Summary: "가나의 개인정보 처리방침이 바뀌었습니다"}
			if i == 1 {
				days := 0
				ev.Violations = []message.Violation{{Rule: "late_notice", RequiredDays: 7, ActualDays: &days, Basis: "observed",
					Detail: "시행 7일 전부터 알린다고 약속했지만 새 방침은 시행일 당일에 처음 보였습니다",
					Evidence: []message.Evidence{
						{Kind: "old_last_seen", At: t0.AddDate(0, 0, 8)},
						{Kind: "new_first_seen", At: at},
						{Kind: "board_post", At: at, URL: "https://gana.example.kr/notice/77", Text: "개인정보 처리방침 변경 안내 (2026-11-11 시행)"},
					}}}
			}
			payload, _ := json.Marshal(ev)
			return []snapshot.Event{{ID: ev.ID, Type: x.typ, Version: o.Version.ID, Payload: payload}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg := &config.Config{Language: "ko"}
	cfg.Notice.Location, _ = time.LoadLocation("Asia/Seoul")
	return web.NewStoreSource(st, func() *config.Config { return cfg }, func() time.Time { return t0.AddDate(0, 0, 20) }), st
}

func build(t testing.TB, src web.Source) *evidence.Bundle {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Seoul")
	b, err := evidence.Build(context.Background(), src.(evidence.Source), evidence.Request{Target: "gana", Lang: i18n.Korean, Location: loc, Now: t0.AddDate(0, 0, 20)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func file(t testing.TB, b *evidence.Bundle, path string) []byte {
	t.Helper()
	for _, f := range b.Files {
		if f.Path == path {
			return f.Data
		}
	}
	t.Fatalf("bundle has no %s", path)
	return nil
}

// The manifest lists every file of the bundle with its hash, and
// SHA256SUMS checks the same way sha256sum -c does.
func TestBundleManifest(t *testing.T) {
	src, st := store(t, 3000)
	b := build(t, src)
	var m evidence.Manifest
	if err := json.Unmarshal(file(t, b, "manifest.json"), &m); err != nil {
		t.Fatal(err)
	}
	if m.Target.Name != "gana" || m.From != 1 || m.To != 2 || m.GeneratedAt != "2026-11-22T09:00:00+09:00" {
		t.Fatalf("manifest head = %+v", m)
	}
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
		sum := sha256.Sum256(file(t, b, f.Path))
		if hex.EncodeToString(sum[:]) != f.SHA256 || len(file(t, b, f.Path)) != f.Bytes {
			t.Fatalf("%s: manifest says %s/%d bytes", f.Path, f.SHA256, f.Bytes)
		}
	}
	for _, f := range b.Files {
		if !listed[f.Path] && f.Path != "manifest.json" && f.Path != "SHA256SUMS" {
			t.Errorf("%s is not in the manifest", f.Path)
		}
	}
	for _, want := range []string{"report.html", "verdict.json", "diff.json", "chain.json", "v1/page.html", "v1/text.txt", "v1/headers.json", "v1/version.json", "v2/page.html", "v2/text.txt"} {
		if !listed[want] {
			t.Errorf("manifest lacks %s", want)
		}
	}
	// The page is the bytes as fetched; the chain links are the store's.
	v2, _ := st.Version("gana", 2)
	raw, _ := st.Raw(v2)
	if !bytes.Equal(file(t, b, "v2/page.html"), raw) {
		t.Fatal("v2/page.html is not the page as fetched")
	}
	recs, hashes, _ := st.Chain("gana")
	if len(m.Chain) != len(recs) || m.Chain[1].SHA256 != hashes[1] || m.Chain[1].Prev != hashes[0] || m.ChainHead.Head != hashes[len(hashes)-1] {
		t.Fatalf("manifest chain = %+v, head %+v; store hashes %v", m.Chain, m.ChainHead, hashes)
	}
	var vdoc struct {
		FirstSeen struct{ KST, UTC string } `json:"first_seen"`
	}
	if err := json.Unmarshal(file(t, b, "v2/version.json"), &vdoc); err != nil || vdoc.FirstSeen.KST != "2026-11-11T09:00:00+09:00" || vdoc.FirstSeen.UTC != "2026-11-11T00:00:00Z" {
		t.Fatalf("v2 first_seen = %+v (%v)", vdoc.FirstSeen, err)
	}
	var hdr struct{ Header map[string][]string }
	if err := json.Unmarshal(file(t, b, "v1/headers.json"), &hdr); err != nil || hdr.Header["Server"][0] != "nginx" {
		t.Fatalf("v1 headers = %+v (%v)", hdr, err)
	}
	var verdict evidence.Verdict
	if err := json.Unmarshal(file(t, b, "verdict.json"), &verdict); err != nil || len(verdict.Violations) != 1 || verdict.Violations[0].Basis != "observed" || len(verdict.Violations[0].Evidence) != 3 {
		t.Fatalf("verdict = %+v (%v)", verdict, err)
	}

	// sha256sum -c semantics: every line "HASH  PATH" matches the file.
	dir := t.TempDir()
	if err := b.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(sums)), "\n")
	if len(lines) != len(m.Files) {
		t.Fatalf("SHA256SUMS has %d lines, manifest %d files", len(lines), len(m.Files))
	}
	for _, line := range lines {
		sum, path, ok := strings.Cut(line, "  ")
		data, err := os.ReadFile(filepath.Join(dir, path))
		got := sha256.Sum256(data)
		if !ok || err != nil || hex.EncodeToString(got[:]) != sum {
			t.Fatalf("SHA256SUMS line %q does not check: %v", line, err)
		}
	}
	if exe, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command(exe, "-c", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sha256sum -c: %v\n%s", err, out)
		}
		// A changed byte is caught.
		if err := os.WriteFile(filepath.Join(dir, "v2", "text.txt"), []byte("고친 본문"), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command(exe, "-c", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "v2/text.txt: FAILED") {
			t.Fatalf("sha256sum -c after an edit: %v\n%s", err, out)
		}
	}
}

// report.html is self-contained: no script, no external reference, the
// changed section, the verdict and the board evidence in Korean.
func TestReportSelfContained(t *testing.T) {
	src, _ := store(t, 3000)
	rep := string(file(t, build(t, src), "report.html"))
	for _, bad := range []string{"<script", "src=", "<link", "@import", "url(", "cdn.example.kr"} {
		if strings.Contains(rep, bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	for _, want := range []string{"사전 고지 지연", "monitord가 관찰하여 확인", "공지사항 게시물", "https://gana.example.kr/notice/77",
		"개인정보의 보유 및 이용기간", "<del>1년</del>", "<ins>5년</ins>", "시행일자: 2026-11-11", "2026-11-11 09:00:00 KST", "sha256sum -c SHA256SUMS"} {
		if !strings.Contains(rep, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// The bundle's size for a 60 KB policy change, and a zip that opens.
func TestBundleSize60KB(t *testing.T) {
	src, _ := store(t, 60<<10)
	b := build(t, src)
	var buf bytes.Buffer
	if err := b.WriteZip(&buf, t0); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil || len(zr.File) != len(b.Files) || !strings.HasPrefix(zr.File[0].Name, "gana-v1-v2/") {
		t.Fatalf("zip: %v, %d files", err, len(zr.File))
	}
	total := 0
	for _, f := range b.Files {
		total += len(f.Data)
	}
	t.Logf("bundle of a 60 KB policy change: %d files, %d bytes unzipped, %d bytes zipped", len(b.Files), total, buf.Len())
}

func TestBuildRange(t *testing.T) {
	src, _ := store(t, 3000)
	for _, tt := range []struct {
		from, to uint64
		ok       bool
	}{{0, 0, true}, {1, 2, true}, {2, 2, true}, {1, 0, true}, {2, 1, false}, {3, 0, false}, {0, 9, false}} {
		_, err := evidence.Build(context.Background(), src.(evidence.Source), evidence.Request{Target: "gana", From: tt.from, To: tt.to})
		if (err == nil) != tt.ok {
			t.Errorf("from %d to %d: %v", tt.from, tt.to, err)
		}
	}
	if _, err := evidence.Build(context.Background(), src.(evidence.Source), evidence.Request{Target: "nosuch"}); err == nil {
		t.Error("an unknown target exported")
	}
}
