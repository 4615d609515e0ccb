package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/korean"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// goldenCases are the fixture pairs under testdata/<name>/{old,new}.txt, with
// what each must show on top of its golden file.
var goldenCases = []struct {
	name  string
	check func(t *testing.T, c *Change)
}{
	{"sentence", func(t *testing.T, c *Change) {
		wantCounts(t, c, Counts{Modified: 1})
		if got := FormatSection(c.Sections[0], RenderOptions{}); !strings.Contains(got, "보유기간: ~~1년~~ **3년**") {
			t.Errorf("word-level diff reads %q, want it to contain %q", got, "보유기간: ~~1년~~ **3년**")
		}
	}},
	{"inserted", func(t *testing.T, c *Change) {
		wantCounts(t, c, Counts{Added: 1})
		if c.Sections[0].NewTitle != "개인정보의 제3자 제공" || c.Sections[0].NewIndex != 6 {
			t.Errorf("added section = %q at %d", c.Sections[0].NewTitle, c.Sections[0].NewIndex)
		}
	}},
	{"removed", func(t *testing.T, c *Change) {
		wantCounts(t, c, Counts{Removed: 1})
		if c.Sections[0].OldTitle != "개인정보 처리업무의 위탁" {
			t.Errorf("removed section = %q", c.Sections[0].OldTitle)
		}
	}},
	{"swapped", func(t *testing.T, c *Change) { wantCounts(t, c, Counts{Moved: 1}) }},
	{"renamed", func(t *testing.T, c *Change) {
		wantCounts(t, c, Counts{Modified: 1, Renamed: 1})
		if len(c.Sections[0].Hunks) != 0 {
			t.Errorf("renamed section with the same body has hunks: %+v", c.Sections[0].Hunks)
		}
	}},
	{"dates", func(t *testing.T, c *Change) {
		wantCounts(t, c, Counts{})
		if len(c.Dates) != 2 || c.Substantive() || c.Empty() {
			t.Errorf("dates = %+v, substantive %v, empty %v; want 2 date changes only", c.Dates, c.Substantive(), c.Empty())
		}
	}},
	{"cosmetic", func(t *testing.T, c *Change) {
		if !c.Empty() {
			t.Errorf("cosmetic-only change is not empty: %+v", c)
		}
	}},
	{"euckr", func(t *testing.T, c *Change) {
		wantCounts(t, c, Counts{Modified: 2})
	}},
	{"paragraphs", func(t *testing.T, c *Change) {
		wantCounts(t, c, Counts{Added: 1, Modified: 2})
	}},
}

func wantCounts(t *testing.T, c *Change, want Counts) {
	t.Helper()
	if c.Counts != want {
		t.Errorf("counts = %+v, want %+v", c.Counts, want)
	}
	if len(c.Sections) != want.Added+want.Removed+want.Modified+want.Moved {
		t.Errorf("%d section changes, counts say %+v", len(c.Sections), c.Counts)
	}
}

// loadPair reads testdata/<name>/{old,new}.txt; the euckr pair is stored in
// EUC-KR, as a Korean site of a certain age serves it, and decoded first.
func loadPair(t *testing.T, name string) (string, string) {
	t.Helper()
	read := func(f string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name, f))
		if err != nil {
			t.Fatal(err)
		}
		if name == "euckr" {
			u, err := korean.EUCKR.NewDecoder().Bytes(b)
			if err != nil {
				t.Fatalf("decode %s/%s as EUC-KR: %v", name, f, err)
			}
			return string(u)
		}
		return string(b)
	}
	return read("old.txt"), read("new.txt")
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			oldText, newText := loadPair(t, tc.name)
			oldDoc, newDoc := fixtureDoc(t, oldText), fixtureDoc(t, newText)
			c := Compare(oldDoc, newDoc, Options{})
			tc.check(t, c)
			checkApply(t, oldDoc, newDoc, c)

			var buf bytes.Buffer
			buf.WriteString("== text (ko)\n")
			if err := RenderText(&buf, c, RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			buf.WriteString("== text (en, colour)\n")
			if err := RenderText(&buf, c, RenderOptions{Color: true, Lang: "en"}); err != nil {
				t.Fatal(err)
			}
			buf.WriteString("== json\n")
			if err := RenderJSON(&buf, c); err != nil {
				t.Fatal(err)
			}
			buf.WriteString("== html\n")
			if err := RenderHTML(&buf, c, RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Join("testdata", tc.name+".golden"), buf.Bytes())
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after checking it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
