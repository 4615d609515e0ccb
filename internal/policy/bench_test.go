package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkParse parses a ~60 KB policy built from the seeds (or, without
// them, from the fixtures).
func BenchmarkParse(b *testing.B) {
	var parts []string
	files, _ := filepath.Glob(filepath.Join(sharedDir, "seeds", "*.txt"))
	if len(files) == 0 {
		files, _ = filepath.Glob(filepath.Join("testdata", "*.txt"))
	}
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			parts = append(parts, string(data))
		}
	}
	if len(parts) == 0 {
		b.Skip("no seeds or fixtures to build the benchmark input from")
	}
	var sb strings.Builder
	for sb.Len() < 60<<10 {
		for _, p := range parts {
			sb.WriteString(p)
			sb.WriteByte('\n')
		}
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Parse(text)
	}
}
