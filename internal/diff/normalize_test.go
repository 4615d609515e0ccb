package diff

import (
	"testing"

	"github.com/monitord/monitord/internal/policy"
)

// bodyChange compares two one-section documents that differ only in the body.
func bodyChange(old, new string) *Change {
	return Compare(doc(sec("개인정보의 제3자 제공", policy.CategoryThirdParty, old)),
		doc(sec("개인정보의 제3자 제공", policy.CategoryThirdParty, new)), Options{})
}

// TestSubstantiveNotHidden lists edits that change what a policy says and
// must never be taken for renumbering, emphasis or spacing, in either
// direction.
func TestSubstantiveNotHidden(t *testing.T) {
	tests := []struct {
		name, old, new string
	}{
		{"retention period", "보유기간: 3년", "보유기간: 5년"},
		{"negation", "제3자에게 제공하지 않습니다.", "제3자에게 제공합니다."},
		{"article then verb", "제15조 제1항에 따라 수집합니다.", "제17조 제1항에 따라 제공합니다."},
		{"chained legal basis at line start", "제15조 제1항 제1호에 따라 처리", "제17조 제2항 제1호에 따라 처리"},
		{"only the paragraph of a chain", "제15조 제1항 제1호에 따라 처리", "제15조 제2항 제1호에 따라 처리"},
		{"legal basis in a table's first cell", "제15조 제1항 | 성명, 연락처 | 1년", "제17조 제2항 | 성명, 연락처 | 1년"},
		{"article followed by text", "제1조 본 방침은 2024.08.01.부터 시행됩니다.", "제2조 본 방침은 2024.08.01.부터 시행됩니다."},
		{"circled paragraph inside a line", "법 제15조 ①항에 따라 처리", "법 제15조 ②항에 따라 처리"},
		{"circled after numbering", "1. ① 이름", "1. ② 이름"},
		{"circled digit in a quantity", "만 14세 미만 아동", "만 ⑭세 미만 아동"},
		{"decimal multiplier", "1.5 배", "2.5 배"},
		{"decimal years", "2.1 년간 보관", "3.1 년간 보관"},
		{"decimal percent", "1.5 %", "2.5 %"},
		{"decimal before a number", "1.5 10", "2.5 10"},
		{"age in parentheses", "(14) 세 미만", "(19) 세 미만"},
		{"age in parentheses without space", "(14)세 미만", "(19)세 미만"},
		{"years in square brackets", "[3] 년", "[5] 년"},
		{"months after a closing parenthesis", "3) 개월", "6) 개월"},
		{"number after a bullet", "o 3년", "o 5년"},
		{"number after numbering", "1. 개인정보를 30일 보관", "1. 개인정보를 90일 보관"},
		{"number after a parenthesis marker", "3) 1년", "3) 3년"},
		{"digits split apart", "10 년", "1 0년"},
		{"digits joined", "보관기간 1 0년", "보관기간 10년"},
		{"lone asterisk and underscore", "보관: 1년 *", "보관: 1년 _"},
		{"lone asterisk removed", "보관: 1년 *", "보관: 1년"},
		{"underscore inside a word", "A_B", "AB"},
		{"thousands separator", "1,000원", "1.000원"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bodyChange(tt.old, tt.new).Substantive() {
				t.Errorf("%q → %q is taken for cosmetic", tt.old, tt.new)
			}
			if !bodyChange(tt.new, tt.old).Substantive() {
				t.Errorf("%q → %q is taken for cosmetic", tt.new, tt.old)
			}
		})
	}
}

// TestRenumberingStaysCosmetic lists edits that only renumber, re-bullet,
// re-emphasise or re-space a line: no change, in either direction.
func TestRenumberingStaysCosmetic(t *testing.T) {
	tests := []struct {
		name, old, new string
	}{
		{"list number", "3. 보유기간은 1년입니다.", "4. 보유기간은 1년입니다."},
		{"list number with a number after it", "3. 10일 이내에 파기", "4. 10일 이내에 파기"},
		{"dotted section number", "1.2 수집 항목", "1.3 수집 항목"},
		{"article with its title", "제3조(목적) 회원 관리", "제4조(목적) 회원 관리"},
		{"article, space, title", "제 12 조의2 (목적) 회원 관리", "제 13 조의2 (목적) 회원 관리"},
		{"article with a lenticular title", "제3조 【목적】 회원 관리", "제4조 【목적】 회원 관리"},
		{"article alone on its line", "제3조\n회원 관리", "제4조\n회원 관리"},
		{"Korean letter", "가. 이름, 연락처", "나. 이름, 연락처"},
		{"Korean letter in parentheses", "(가) 이름", "(다) 이름"},
		{"number in parentheses", "(1) 회원 관리", "(2) 회원 관리"},
		{"number in square brackets", "[3] 회원 관리", "[4] 회원 관리"},
		{"number in parentheses before a number", "(1) 3년간 보관", "(2) 3년간 보관"},
		{"circled number at line start", "① 이름\n② 연락처", "② 이름\n③ 연락처"},
		{"circled number after a bullet", "- ① 이름", "- ③ 이름"},
		{"number to circled number", "1. 이름\n2. 이메일", "① 이름\n② 이메일"},
		{"heading mark and number", "## 1. 목적", "## 2. 목적"},
		{"bullet style", "- 이름", "• 이름"},
		{"emphasis", "**보유기간**: 1년", "보유기간: 1년"},
		{"emphasis style", "**보유기간**: 1년", "__보유기간__: 1년"},
		{"code mark", "`보유기간`: 1년", "보유기간: 1년"},
		{"space before a unit", "10년", "10 년"},
		{"space in a decimal quantity", "1.5 배", "1.5배"},
		{"full-width digits", "보유기간: 10년", "보유기간: １０년"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c := bodyChange(tt.old, tt.new); !c.Empty() {
				t.Errorf("%q → %q is a change: %+v", tt.old, tt.new, c.Sections)
			}
			if c := bodyChange(tt.new, tt.old); !c.Empty() {
				t.Errorf("%q → %q is a change: %+v", tt.new, tt.old, c.Sections)
			}
		})
	}
}

// TestHeadingNumbering checks that a heading's number, whatever its form,
// is not part of its title.
func TestHeadingNumbering(t *testing.T) {
	tests := []struct{ a, b string }{
		{"제3조 개인정보의 처리 목적", "제4조 개인정보의 처리 목적"},
		{"제3조(개인정보의 처리 목적)", "3. 개인정보의 처리 목적"},
		{"제1장 제2절 총칙", "총칙"},
		{"Ⅳ. 개인정보의 파기", "제5조 개인정보의 파기"},
	}
	for _, tt := range tests {
		if titleKey(tt.a) != titleKey(tt.b) {
			t.Errorf("titleKey(%q) = %q, titleKey(%q) = %q; want equal", tt.a, titleKey(tt.a), tt.b, titleKey(tt.b))
		}
	}
	if titleKey("제3조 목적") == titleKey("제3조 범위") {
		t.Errorf("titleKey ignores the title itself: %q", titleKey("제3조 목적"))
	}
}
