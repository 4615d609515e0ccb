package policy_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/policy"
)

// BenchmarkParseBenchPages parses the policy text of the pages the issue 13
// benchmark serves, extracted as monitord check extracts them (selector
// "#policy", exclude ".popup"). The pages are generated outside the repo
// from ../shared:
//
//	python3 ../shared/bench/gen_corpus.py --seeds ../shared/seeds --out /tmp/corpus --n 20
//	MONITORD_BENCH_PAGES=/tmp/corpus/base go test -run XXX -bench BenchmarkParseBenchPages ./internal/policy/
//
// One op is one page, taken in turn.
func BenchmarkParseBenchPages(b *testing.B) {
	dir := os.Getenv("MONITORD_BENCH_PAGES")
	if dir == "" {
		b.Skip("MONITORD_BENCH_PAGES is not set: generate pages with ../shared/bench/gen_corpus.py (see the comment)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(files) == 0 {
		b.Skipf("no *.html in %s: generate them with ../shared/bench/gen_corpus.py", dir)
	}
	rules := extract.Rules{Selector: "#policy", Exclude: []string{".popup"}}
	var texts []string
	size := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		page, _, err := fetch.Decode(raw, "text/html")
		if err != nil {
			b.Fatalf("decoding %s: %v", f, err)
		}
		text, err := extract.HTML(page, rules)
		if err != nil {
			b.Fatalf("extracting %s: %v", f, err)
		}
		texts = append(texts, text)
		size += len(text)
	}
	b.SetBytes(int64(size / len(texts)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = policy.Parse(texts[i%len(texts)])
		i++
	}
}
