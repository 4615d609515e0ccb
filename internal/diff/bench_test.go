package diff

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/policy"
)

// Word lists for synthetic policies (written for these benchmarks).
var (
	benchSubjects = []string{"회사는", "정보주체는", "수탁자는", "보호책임자는", "이용자는", "담당 부서는"}
	benchObjects  = []string{"개인정보를", "접속 기록을", "결제 정보를", "배송지 주소를", "휴대전화번호를", "쿠키를", "상담 내역을"}
	benchAdverbs  = []string{"지체 없이", "안전하게", "법령에 따라", "동의를 받아", "목적 범위에서", "암호화하여"}
	benchVerbs    = []string{"처리합니다.", "보관합니다.", "파기합니다.", "제공합니다.", "위탁합니다.", "관리합니다."}
)

// benchPolicy returns a synthetic policy of n sections of about 1 KB each.
func benchPolicy(n int, seed uint64) *policy.Document {
	r := rand.New(rand.NewPCG(seed, 7))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	d := &policy.Document{}
	for i := range n {
		var body []string
		for len(strings.Join(body, "\n")) < 1000 {
			var b strings.Builder
			for k := range 3 {
				if k > 0 {
					b.WriteString(" ")
				}
				fmt.Fprintf(&b, "%s %s %s %s", pick(benchSubjects), pick(benchObjects), pick(benchAdverbs), pick(benchVerbs))
			}
			body = append(body, fmt.Sprintf("%d. %s 보유기간은 %d년입니다.", len(body)+1, b.String(), r.IntN(9)+1))
		}
		title := fmt.Sprintf("제%d조 개인정보 처리 사항 %d", i+1, i+1)
		d.Sections = append(d.Sections, policy.Section{Level: 1, Title: title, Key: titleKey(title), Body: body, Category: policy.CategoryOther})
	}
	return d
}

// editSections returns a copy of d with one sentence changed in each of the
// given sections.
func editSections(d *policy.Document, idx ...int) *policy.Document {
	out := &policy.Document{Sections: make([]policy.Section, len(d.Sections))}
	copy(out.Sections, d.Sections)
	for _, i := range idx {
		s := out.Sections[i]
		s.Body = append([]string(nil), s.Body...)
		s.Body[len(s.Body)/2] = strings.Replace(s.Body[len(s.Body)/2], "보유기간은", "보유기간은 최대", 1) + " 다만 이용자가 요청하면 즉시 삭제합니다."
		out.Sections[i] = s
	}
	return out
}

func docBytes(d *policy.Document) int {
	n := 0
	for _, s := range d.Sections {
		for _, l := range s.Body {
			n += len(l) + 1
		}
	}
	return n
}

// BenchmarkCompare60KB3Changed: two ~60 KB policies, three sections changed.
func BenchmarkCompare60KB3Changed(b *testing.B) {
	old := benchPolicy(60, 1)
	new := editSections(old, 5, 30, 55)
	b.SetBytes(int64(docBytes(old)))
	b.ReportAllocs()
	if c := Compare(old, new, Options{}); c.Counts.Modified != 3 || len(c.Sections) != 3 {
		b.Fatalf("counts %+v", c.Counts)
	}
	for b.Loop() {
		Compare(old, new, Options{})
	}
}

// BenchmarkCompare60KBAllChanged: every section changed.
func BenchmarkCompare60KBAllChanged(b *testing.B) {
	old := benchPolicy(60, 1)
	all := make([]int, 60)
	for i := range all {
		all[i] = i
	}
	new := editSections(old, all...)
	b.SetBytes(int64(docBytes(old)))
	b.ReportAllocs()
	for b.Loop() {
		Compare(old, new, Options{})
	}
}

// BenchmarkCompare60KBRewritten: two unrelated policies of the same shape,
// every title different: the similarity pairing does its worst.
func BenchmarkCompare60KBRewritten(b *testing.B) {
	old := benchPolicy(60, 1)
	new := benchPolicy(60, 2)
	for i := range new.Sections {
		new.Sections[i].Title = fmt.Sprintf("새 조항 %d", i)
		new.Sections[i].Key = titleKey(new.Sections[i].Title)
	}
	b.SetBytes(int64(docBytes(old)))
	b.ReportAllocs()
	for b.Loop() {
		Compare(old, new, Options{})
	}
}

// randomHangul returns lines of random Hangul syllables with a space every
// few syllables: many distinct, repeating tokens, the worst case for an O(ND)
// diff.
func randomHangul(r *rand.Rand, lines, runes int) []string {
	out := make([]string, lines)
	for l := range out {
		var b strings.Builder
		for i := range runes {
			if i > 0 && r.IntN(3) == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(rune(0xac00 + r.IntN(40)))
		}
		out[l] = b.String()
	}
	return out
}

// BenchmarkComparePathological: one section of 10 lines × 6,000 random
// syllables on each side; go-diff's timeout keeps it bounded.
func BenchmarkComparePathological(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	old := doc(policy.Section{Level: 1, Title: "무작위", Key: "무작위", Body: randomHangul(r, 10, 6000)})
	new := doc(policy.Section{Level: 1, Title: "무작위", Key: "무작위", Body: randomHangul(r, 10, 6000)})
	b.SetBytes(int64(docBytes(old)))
	b.ReportAllocs()
	for b.Loop() {
		Compare(old, new, Options{})
	}
}

func BenchmarkRenderText(b *testing.B) {
	old := benchPolicy(60, 1)
	c := Compare(old, editSections(old, 5, 30, 55), Options{})
	for b.Loop() {
		RenderText(&strings.Builder{}, c, RenderOptions{})
	}
}
