package monitor

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"
)

// corpusDir is ../shared/corpus/real beside the checkout.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus", "real")

// corpusVersion is one real version of a real policy, with the time its
// author committed it (taken as the time monitord first saw it).
type corpusVersion struct {
	file string
	at   time.Time
}

// provenanceRow matches a row of a PROVENANCE.md table:
// | v01_....md | commit | author date | ...
var provenanceRow = regexp.MustCompile(`^\| (v\d+_[^ |]+) \| [0-9a-f]+ \| ([0-9T:+\-]+) \|`)

// corpusHistory reads a source's versions, oldest first.
func corpusHistory(t *testing.T, name string) []corpusVersion {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, name, "PROVENANCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusVersion
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := provenanceRow.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		at, err := time.Parse(time.RFC3339, m[2])
		if err != nil {
			t.Fatalf("%s: author date %q: %v", name, m[2], err)
		}
		out = append(out, corpusVersion{file: m[1], at: at})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out
}

func mediaTypeOf(file string) string {
	switch filepath.Ext(file) {
	case ".md":
		return "text/markdown; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "text/html"
}

// replay serves a source's versions one after another through the whole
// pipeline, checking once per version at the version's own time, and
// returns one line per check: file, status, rules fired.
func replay(t *testing.T, name string) []string {
	t.Helper()
	hist := corpusHistory(t, name)
	if len(hist) == 0 {
		t.Fatalf("%s: no versions in PROVENANCE.md", name)
	}
	s := newSite(t)
	cfg := testConfig(t, "", map[string]string{name: s.url("/policy")})
	clk := &clock{}
	c, _ := newChecker(t, cfg, clk.now)
	var lines []string
	for _, v := range hist {
		body, err := os.ReadFile(filepath.Join(corpusDir, name, v.file))
		if err != nil {
			t.Fatal(err)
		}
		s.set("/policy", page{body: string(body), contentType: mediaTypeOf(v.file)})
		clk.mu.Lock()
		clk.t = v.at
		clk.mu.Unlock()
		r := mustCheck(t, c, cfg, name)
		checkBasis(t, name+"/"+v.file, r.Violations)
		var rules []string
		for _, x := range r.Violations {
			actual := "-"
			if x.ActualDays != nil {
				actual = fmt.Sprint(*x.ActualDays)
			}
			rules = append(rules, fmt.Sprintf("%s(%d/%s,%s)", x.Rule, x.RequiredDays, actual, x.RequiredBy))
		}
		line := fmt.Sprintf("%s %s v%d %s", v.file, r.Status, r.Version, strings.Join(rules, " "))
		if r.Err != nil {
			line += " ERR " + r.Err.Error()
		}
		lines = append(lines, strings.TrimSpace(line))
	}
	return lines
}

// corpusExpect is what was verified by reading the documents and their
// PROVENANCE.md (commit times in KST): source → file → the check's
// status and rules, as replay prints them.
var corpusExpect = map[string]map[string]string{
	// 시행일 stays 2026-03-24 through three edits (silent changes); v05
	// moves it to 2026-03-29 while v04 was still up on 03-24: 5 days.
	"hancute": {
		"v02_2026-03-24.md": "changed v2 undated_change(7/-,default)",
		"v03_2026-03-24.md": "changed v3 undated_change(7/-,default)",
		"v04_2026-03-24.md": "changed v4 undated_change(7/-,default)",
		"v05_2026-03-29.md": "changed v5 late_notice(7/5,default)",
	},
	// The text promises "시행일 기준 7일 전"; v08's 시행일 2026-04-11 came
	// while v07 was up on 04-10.
	"today-path": {"v08_2026-04-11.md": "changed v7 late_notice(7/1,policy)"},
	// 시행일 2026-06-07 in v03, committed the morning after v02 (06-06 23:37).
	"googogoal": {"v03_2026-06-07.md": "changed v3 late_notice(7/1,default)"},
	// 공고일자 = 시행일자 = 2018-03-01 under a "시행 7일 전부터" promise.
	"binary-podojam-legal-documents": {"v01_2020-06-27.md": "baseline v1 short_notice(7/0,policy)"},
	// v02-v04 change only nav links and the footer ("footer수정").
	"khu-return": {
		"v02_2017-11-24.html": "unchanged v1",
		"v03_2017-11-25.html": "unchanged v1",
		"v04_2017-11-25.html": "unchanged v1",
		"v05_2017-11-25.html": "changed v2 undated_change(7/-,policy)",
	},
	// A machine-translated policy ("개인보호 정책", "개인 정보") is a policy.
	"concode-p3": {"v01_2021-06-28.md": "baseline v1"},
}

// TestCorpusHistories replays every real version history in the corpus
// through fetch, extraction, parsing, diff, the notice rules and the store:
// every real version is accepted as a policy, and the outcomes verified by
// reading are the ones monitord reports.
func TestCorpusHistories(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("the real corpus is not at %s (../shared is absent): %v", corpusDir, err)
	}
	dirs, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			seen[d.Name()] = true
			got := map[string]string{}
			for _, l := range replay(t, d.Name()) {
				t.Log(l)
				file, rest, _ := strings.Cut(l, " ")
				got[file] = rest
				if strings.HasPrefix(rest, "failed") {
					t.Errorf("a real version was not accepted: %s", l)
				}
			}
			for file, want := range corpusExpect[d.Name()] {
				if got[file] != want {
					t.Errorf("%s: got %q, want %q", file, got[file], want)
				}
			}
		})
	}
	for name := range corpusExpect {
		if !seen[name] {
			t.Errorf("expected source %s is not in the corpus", name)
		}
	}
	t.Logf("verdicts by basis: %s", basisReport())
}

// TestSeedsUTF8AndEUCKR serves each of the five seed policies, wrapped in
// page chrome, once as UTF-8 and once as EUC-KR (charset only in <meta>),
// through the whole check: both give the same stored text, and that text
// is the seed's own lines, normalised.
func TestSeedsUTF8AndEUCKR(t *testing.T) {
	seedDir := filepath.Join("..", "..", "..", "shared", "seeds")
	seeds, _ := filepath.Glob(filepath.Join(seedDir, "*.txt"))
	if len(seeds) == 0 {
		t.Skipf("no seeds under %s (../shared is absent)", seedDir)
	}
	enc := korean.EUCKR.NewEncoder()
	for _, path := range seeds {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// EUC-KR cannot hold every character of the seeds (NBSP, a few
			// symbols): replace those in both variants, so the two pages
			// carry the same text.
			var lines []string
			for _, l := range strings.Split(string(raw), "\n") {
				var b strings.Builder
				for _, r := range l {
					if r == '\u00a0' {
						r = ' '
					}
					if _, err := enc.String(string(r)); err != nil {
						r = '?'
					}
					b.WriteRune(r)
				}
				lines = append(lines, b.String())
			}
			var doc strings.Builder
			doc.WriteString(`<html><head><meta charset="%s"><title>개인정보처리방침</title><script>var x = "개인정보";</script></head><body><div id="gnb"><a href="/">홈</a></div><nav>고객센터 | 이용약관</nav><div class="policy">`)
			var want []string
			for _, l := range lines {
				if s := strings.Join(strings.Fields(l), " "); s != "" {
					want = append(want, s)
					fmt.Fprintf(&doc, "<p>%s</p>\n", htmlEscape(l))
				}
			}
			doc.WriteString(`</div><footer>사업자 정보</footer></body></html>`)
			utf8Page := fmt.Sprintf(doc.String(), "utf-8")
			eucPage := fmt.Sprintf(doc.String(), "euc-kr")

			s := newSite(t)
			s.set("/u", page{body: utf8Page, contentType: "text/html"})
			s.set("/e", page{body: eucPage, eucKR: true, contentType: "text/html"})
			cfg := testConfig(t, "", map[string]string{"u": s.url("/u"), "e": s.url("/e")})
			c, st := newChecker(t, cfg, func() time.Time { return time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC) })
			texts := map[string]string{}
			for _, name := range []string{"u", "e"} {
				if r := mustCheck(t, c, cfg, name); r.Err != nil || r.Status != StatusBaseline {
					t.Fatalf("%s: %+v", name, r)
				}
				v, err := st.Current(name)
				if err != nil || v == nil {
					t.Fatalf("%s: current %v, %v", name, v, err)
				}
				if texts[name], err = st.Text(*v); err != nil {
					t.Fatal(err)
				}
			}
			if texts["u"] != texts["e"] {
				t.Fatalf("UTF-8 and EUC-KR pages extracted differently")
			}
			if got := strings.Split(texts["u"], "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("extracted text is not the seed's lines: %d lines, want %d\nfirst got:  %q\nfirst want: %q", len(got), len(want), got[0], want[0])
			}
		})
	}
}
