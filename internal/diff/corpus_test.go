package diff

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/monitord/monitord/internal/policy"
)

// The real material lives outside the repository and is read in place.
var (
	seedsDir  = filepath.Join("..", "..", "..", "shared", "seeds")
	corpusDir = filepath.Join("..", "..", "..", "shared", "corpus", "real")
)

// seedTexts returns the seed policies by file name.
func seedTexts(t testing.TB) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if len(files) == 0 {
		t.Skipf("no seeds in %s (../shared is not beside the repository)", seedsDir)
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = string(b)
	}
	return out
}

// corpusVersions returns, per source folder, the text of each version in order.
func corpusVersions(t testing.TB) map[string][]string {
	t.Helper()
	dirs, _ := os.ReadDir(corpusDir)
	if len(dirs) == 0 {
		t.Skipf("no corpus in %s (../shared is not beside the repository)", corpusDir)
	}
	out := map[string][]string{}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(corpusDir, d.Name(), "v*"))
		slices.Sort(files)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			if strings.HasSuffix(f, ".html") {
				text = htmlText2(t, b)
			}
			out[d.Name()] = append(out[d.Name()], text)
		}
	}
	return out
}

// htmlText2 is a crude stand-in for the extractor: the text of an HTML page,
// one line per block, without scripts and styles.
func htmlText2(t testing.TB, b []byte) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "head", "noscript":
				return
			case "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "section":
				sb.WriteString("\n")
			case "td", "th":
				sb.WriteString(" | ")
			}
		}
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return sb.String()
}

// checkChange asserts the invariants every Change keeps.
func checkChange(t testing.TB, c *Change) {
	t.Helper()
	n := c.Counts
	if n.Added+n.Removed+n.Modified+n.Moved != len(c.Sections) || n.Renamed > n.Modified+n.Moved {
		t.Errorf("counts %+v do not add up to %d sections", n, len(c.Sections))
	}
	if c.Substantive() && c.Empty() {
		t.Error("a substantive change is empty")
	}
	for _, s := range c.Sections {
		if s.Kind == KindModified && !s.Renamed() && len(s.Hunks) == 0 {
			t.Errorf("section %q is modified with no hunk and no new title", s.NewTitle)
		}
		for _, h := range s.Hunks {
			if len(h.Ops) == 0 {
				t.Errorf("section %q has an empty hunk", s.NewTitle)
			}
			edit := false
			for _, op := range h.Ops {
				edit = edit || op.Kind != OpEqual
			}
			if !edit {
				t.Errorf("section %q has a hunk without an edit: %+v", s.NewTitle, h)
			}
		}
	}
	for _, r := range []func() error{
		func() error { return RenderText(&bytes.Buffer{}, c, RenderOptions{}) },
		func() error { return RenderJSON(&bytes.Buffer{}, c) },
		func() error { return RenderHTML(&bytes.Buffer{}, c, RenderOptions{}) },
	} {
		if err := r(); err != nil {
			t.Error(err)
		}
	}
}

func TestSeedsSelfCompareEmpty(t *testing.T) {
	for name, text := range seedTexts(t) {
		t.Run(name, func(t *testing.T) {
			d := policy.Parse(text)
			if c := Compare(d, d, Options{}); !c.Empty() {
				t.Errorf("Compare(seed, seed) not empty: %+v", c.Counts)
			}
			// The same text parsed twice is the same too.
			if c := Compare(d, policy.Parse(text), Options{}); !c.Empty() {
				t.Errorf("Compare(parse, parse) not empty: %+v", c.Counts)
			}
		})
	}
}

// TestSeedsCosmetic: a seed with its spacing disturbed (doubled spaces,
// trailing blanks, NBSP, CRLF) compares empty.
func TestSeedsCosmetic(t *testing.T) {
	for name, text := range seedTexts(t) {
		t.Run(name, func(t *testing.T) {
			noisy := strings.ReplaceAll(text, ", ", " ,  ")
			noisy = strings.ReplaceAll(noisy, "니다.", "니다.\u00a0")
			noisy = strings.ReplaceAll(noisy, "\n", " \r\n")
			c := Compare(policy.Parse(text), policy.Parse(noisy), Options{})
			if !c.Empty() {
				var buf bytes.Buffer
				RenderText(&buf, c, RenderOptions{})
				t.Errorf("cosmetic-only change not empty:\n%s", buf.String())
			}
		})
	}
}

// TestSeedsEdits applies synthetic edits to every seed (a sentence changed,
// a paragraph dropped, two paragraphs swapped) and checks the change
// applies back.
func TestSeedsEdits(t *testing.T) {
	for name, text := range seedTexts(t) {
		lines := strings.Split(text, "\n")
		// Edit lines the parser keeps in a section body (not the table of
		// contents, not a heading).
		inBody := map[string]bool{}
		for _, s := range policy.Parse(text).Sections {
			for _, l := range s.Body {
				inBody[normLine(l)] = true
			}
		}
		var long []int
		for i, l := range lines {
			if len([]rune(l)) > 40 && inBody[normLine(l)] {
				long = append(long, i)
			}
		}
		if len(long) < 4 {
			continue
		}
		edits := map[string]func() []string{
			"sentence": func() []string {
				out := slices.Clone(lines)
				out[long[1]] += " 변경 내용은 반드시 확인하십시오."
				return out
			},
			"drop": func() []string { return slices.Delete(slices.Clone(lines), long[2], long[2]+1) },
			"swap": func() []string {
				out := slices.Clone(lines)
				out[long[1]], out[long[3]] = out[long[3]], out[long[1]]
				return out
			},
			"append": func() []string {
				return append(slices.Clone(lines), "", "부칙: 이 방침은 2030년 1월 1일부터 시행합니다.")
			},
		}
		for ename, edit := range edits {
			t.Run(name+"/"+ename, func(t *testing.T) {
				a := policy.Parse(text)
				b := policy.Parse(strings.Join(edit(), "\n"))
				c := Compare(a, b, Options{})
				checkChange(t, c)
				if !c.Substantive() {
					t.Errorf("edit %s not reported", ename)
				}
				checkApply(t, a, b, c)
				checkApply(t, b, a, Compare(b, a, Options{}))
			})
		}
	}
}

// TestCorpus walks every pair of successive real versions: self-compare is
// empty, counts add up, and applying the change to the older version gives
// the newer one.
func TestCorpus(t *testing.T) {
	for src, versions := range corpusVersions(t) {
		for i, text := range versions {
			a := policy.Parse(text)
			if c := Compare(a, a, Options{}); !c.Empty() {
				t.Errorf("%s v%02d: Compare(a, a) not empty", src, i+1)
			}
			if i == 0 {
				continue
			}
			t.Run(src+"/"+strings.Repeat("0", 0)+itoa2(i)+"-"+itoa2(i+1), func(t *testing.T) {
				prev := policy.Parse(versions[i-1])
				c := Compare(prev, a, Options{})
				checkChange(t, c)
				checkApply(t, prev, a, c)
			})
		}
	}
}

func itoa2(i int) string {
	return string([]byte{'v', byte('0' + i/10), byte('0' + i%10)})
}

// corpusChange compares two versions of a corpus source.
func corpusChange(t *testing.T, src string, from, to int) *Change {
	t.Helper()
	vs := corpusVersions(t)[src]
	if len(vs) < to {
		t.Skipf("corpus source %s has %d versions", src, len(vs))
	}
	return Compare(policy.Parse(vs[from-1]), policy.Parse(vs[to-1]), Options{})
}

// opTexts gathers the text of the ops of one kind.
func opTexts(c *Change, kind string) string {
	var b strings.Builder
	for _, s := range c.Sections {
		for _, h := range s.Hunks {
			for _, op := range h.Ops {
				if op.Kind == kind {
					b.WriteString(op.Text + "\n")
				}
			}
		}
	}
	return b.String()
}

// TestCorpusKnownChanges checks, on pairs read by hand, that the reported
// changes are the real ones.
func TestCorpusKnownChanges(t *testing.T) {
	tests := []struct {
		src      string
		from, to int
		inserted []string // must each appear in an insert op
		deleted  []string // must each appear in a delete op
		noInsert bool     // nothing was added in this revision
		noDelete bool
	}{
		// An editor's fill-in note was taken out; nothing else changed.
		{src: "googogoal", from: 1, to: 2, deleted: []string{"채우기"}, noInsert: true},
		// Two platforms dropped from the list of supported systems.
		{src: "sostonks", from: 1, to: 2, deleted: []string{"macOS", "visionOS"}, noInsert: true},
		// The transfer method column, contacts, ID checks and a new officer mail were added.
		{src: "hancute", from: 1, to: 2,
			inserted: []string{"네트워크를 통한 전송", "신분증 사본", "choir0118@gmail.com"},
			deleted:  []string{"hancute.app@gmail.com"}},
		// Data now stays in a Seoul region; the AI command log is kept 24 hours.
		{src: "todocalendar", from: 2, to: 3,
			inserted: []string{"대한민국(서울) 리전", "24시간이 지나면 자동으로 삭제됩니다"},
			deleted:  []string{"Slack"}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			c := corpusChange(t, tt.src, tt.from, tt.to)
			checkChange(t, c)
			ins, del := opTexts(c, OpInsert), opTexts(c, OpDelete)
			for _, w := range tt.inserted {
				if !strings.Contains(ins, w) {
					t.Errorf("insertions lack %q:\n%s", w, ins)
				}
			}
			for _, w := range tt.deleted {
				if !strings.Contains(del, w) {
					t.Errorf("deletions lack %q:\n%s", w, del)
				}
			}
			if tt.noInsert && strings.TrimSpace(ins) != "" {
				t.Errorf("unexpected insertions:\n%s", ins)
			}
			if tt.noDelete && strings.TrimSpace(del) != "" {
				t.Errorf("unexpected deletions:\n%s", del)
			}
			if c.Counts.Moved != 0 {
				t.Errorf("%d sections reported moved; none was", c.Counts.Moved)
			}
		})
	}
}
