package board

import (
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/policy"
)

// maxChanges bounds the before/after rows kept of one post.
const maxChanges = 50

// Change is one row of a post's before/after table (변경 전 / 변경 후).
type Change struct {
	Before string `json:"before"`
	After  string `json:"after"`
}

// Detail is what a policy post says.
type Detail struct {
	// Effective is the 시행일 the post names; zero when it names none.
	Effective policy.Date `json:"effective,omitzero"`
	// Line is the post's line that names it.
	Line string `json:"line,omitempty"`
	// Changes are the rows of its before/after table, if it has one.
	Changes []Change `json:"changes,omitempty"`
}

// ReadPost reads a policy post (HTML, decoded) for the 시행일 it names, the
// same way the policy's own 시행일자 is read, and its before/after table.
func ReadPost(page string) Detail {
	var d Detail
	text, err := extract.HTML(page, extract.Rules{})
	if err == nil {
		d.Effective, d.Line = effectiveIn(text)
	}
	d.Changes = beforeAfter(page)
	return d
}

// effectiveIn finds the 시행일 a text names: the policy grammar's 시행일자,
// else the first date labelled 시행/적용.
func effectiveIn(text string) (policy.Date, string) {
	if doc := policy.Parse(text); doc.Effective != nil {
		return doc.Effective.Date, doc.Effective.Text
	}
	for _, r := range policy.FindDates(text) {
		if strings.Contains(r.Label, "시행") || strings.Contains(r.Label, "적용") || strings.Contains(strings.ToLower(r.Label), "effective") {
			return r.Date, r.Text
		}
	}
	return policy.Date{}, ""
}

// TitleEffective is the 시행일 a post's title names ("2026년 11월 23일 시행
// 개인정보 처리방침 개정 안내"), zero when none.
func TitleEffective(title string) policy.Date {
	d, _ := effectiveIn(title)
	if !d.IsZero() {
		return d
	}
	for _, r := range policy.FindDates(title) {
		if strings.Contains(r.Text, "시행") {
			return r.Date
		}
	}
	return policy.Date{}
}

// beforeAfter reads the first table whose header has a "before" and an
// "after" column (변경 전/변경 후, 개정 전/개정 후, 현행/개정안, 기존/변경).
func beforeAfter(page string) []Change {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return nil
	}
	var out []Change
	doc.Find("table").EachWithBreak(func(_ int, t *goquery.Selection) bool {
		bi, ai := -1, -1
		rows := t.Find("tr")
		if rows.Length() < 2 {
			return true
		}
		rows.First().Find("th,td").Each(func(i int, c *goquery.Selection) {
			h := strings.Join(strings.Fields(c.Text()), "")
			switch {
			case bi < 0 && containsAny(h, "변경전", "개정전", "현행", "기존", "before"):
				bi = i
			case ai < 0 && containsAny(h, "변경후", "개정후", "개정안", "변경내용", "after"):
				ai = i
			}
		})
		if bi < 0 || ai < 0 {
			return true
		}
		rows.Slice(1, goquery.ToEnd).Each(func(_ int, r *goquery.Selection) {
			cells := r.Find("th,td")
			if len(out) >= maxChanges || cells.Length() <= max(bi, ai) {
				return
			}
			b := clip(policy.Normalize(cells.Eq(bi).Text()), maxTitle)
			a := clip(policy.Normalize(cells.Eq(ai).Text()), maxTitle)
			if b != "" || a != "" {
				out = append(out, Change{Before: b, After: a})
			}
		})
		return false
	})
	return out
}

func containsAny(s string, ws ...string) bool {
	s = strings.ToLower(s)
	for _, w := range ws {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
