package diff

import (
	"strings"
	"testing"

	"github.com/monitord/monitord/internal/policy"
)

// A list written inline and the same list one item per line compare the
// same: list markers are never compared, wherever the page puts them. A
// changed item is still a change, and numbers that are not a list stay text.
func TestInlineListIsCosmetic(t *testing.T) {
	doc := func(body ...string) *policy.Document {
		return policy.Parse(strings.Join(append([]string{"1. 수집하는 개인정보의 항목"}, body...), "\n"))
	}
	same := []struct {
		name   string
		inline []string
		lines  []string
	}{
		{"after a label", []string{"수집 항목: 1. 이름 2. 휴대전화번호 3. 주소"}, []string{"수집 항목:", "1. 이름", "2. 휴대전화번호", "3. 주소"}},
		{"the line opens the list", []string{"1) 이름 2) 휴대전화번호"}, []string{"1) 이름", "2) 휴대전화번호"}},
		{"bracketed", []string{"필수 (1) 이름 (2) 주소"}, []string{"필수", "(1) 이름", "(2) 주소"}},
		{"Hangul letters", []string{"선택 항목 가. 생년월일 나. 성별"}, []string{"선택 항목", "가. 생년월일", "나. 성별"}},
	}
	for _, tc := range same {
		t.Run(tc.name, func(t *testing.T) {
			if c := Compare(doc(tc.inline...), doc(tc.lines...), Options{}); c.Substantive() {
				t.Errorf("the list written one item per line is a change: %+v", c.Sections)
			}
		})
	}
	changed := []struct{ name, old, new string }{
		{"an item changes", "수집 항목: 1. 이름 2. 휴대전화번호", "수집 항목: 1. 이름 2. 주민등록번호"},
		{"a reference changes", "제3조(목적) 및 제4조(보유)에 따라 ① 이름 ② 주소", "제3조(목적) 및 제5조(보유)에 따라 ① 이름 ② 주소"},
		{"a circled reference changes", "①항 및 ②항에 따라 보관합니다", "①항 및 ③항에 따라 보관합니다"},
		{"a version changes", "앱 버전 2.0 및 3.0 에서 수집합니다", "앱 버전 2.0 및 4.0 에서 수집합니다"},
		{"a lone number changes", "보관 기간은 다음과 같습니다 1. 회원 탈퇴 시", "보관 기간은 다음과 같습니다 2. 회원 탈퇴 시"},
		{"a dotted date changes", "2024. 1. 2. 이후 수집한 정보", "2024. 2. 3. 이후 수집한 정보"},
		{"quantities change", "보유 기간 1) 1년 2) 3년", "보유 기간 1) 1년 2) 5년"},
	}
	for _, tc := range changed {
		t.Run(tc.name, func(t *testing.T) {
			if c := Compare(doc(tc.old), doc(tc.new), Options{}); !c.Substantive() {
				t.Errorf("%q → %q is no change", tc.old, tc.new)
			}
		})
	}
}
