package board

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	page := fixture(b, "gnuboard.html")
	for b.Loop() {
		_ = Parse("https://moonlight.example/bbs/board.php?bo_table=notice", page, readAt, nil)
	}
}

// garbage is n bytes of tag soup with dates and links, the worst a board
// URL can answer.
func garbage(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	parts := []string{"<div>", "</div>", "<a href=\"/x", "\">", "</a>", "<td>", "2026-11-0", "제목 ", "<tr>", "<li>", "\x00", "<table>", "&#", ";"}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(parts[r.IntN(len(parts))])
		if r.IntN(4) == 0 {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
	}
	return b.String()
}

func BenchmarkParseGarbage5MB(b *testing.B) {
	page := garbage(5 << 20)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		_ = Parse("https://example.kr/board", page, readAt, nil)
	}
}
