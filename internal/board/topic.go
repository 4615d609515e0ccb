package board

import "strings"

// policyNames are the names of the privacy policy, without spaces.
var policyNames = []string{"개인정보처리방침", "개인정보취급방침", "개인정보보호방침", "privacypolicy", "개인정보보호정책"}

// changeWords say that a post is about a change of it.
var changeWords = []string{"변경", "개정", "안내", "시행", "공지", "고지", "업데이트", "update", "change", "revision", "revised", "amend"}

// IsPolicyPost reports whether a post title is about a change of the
// privacy policy: it names the policy (개인정보 처리방침 / 개인정보처리방침 /
// 개인정보 취급방침, any spacing) and a change (변경·개정·안내·시행·공지).
func IsPolicyPost(title string) bool {
	t := strings.ToLower(strings.Join(strings.Fields(title), ""))
	named := false
	for _, n := range policyNames {
		if strings.Contains(t, n) {
			named = true
			break
		}
	}
	if !named {
		return false
	}
	for _, w := range changeWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}
