package monitor

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAssess(t *testing.T) {
	policyText := strings.Repeat("회사는 서비스 제공을 위해 필요한 최소한의 개인정보를 수집하며, 보유 기간이 지나면 지체 없이 파기합니다.\n", 5)
	englishText := strings.Repeat("We collect your email address to run the service, retain it until you delete your account, and never sell personal data.\n", 3)
	cases := []struct {
		name      string
		text      string
		curSize   int
		sameRules bool
		ok        bool
	}{
		{"a policy", policyText, 0, true, true},
		{"empty", "", 0, true, false},
		{"near-empty", "개인정보 처리방침\n개인정보", 0, true, false},
		{"maintenance page", strings.Repeat("서비스 점검 중입니다. 잠시 후 다시 이용해 주세요.\n", 20), 0, true, false},
		{"one stray mention", strings.Repeat("로그인이 필요합니다. 아이디와 비밀번호를 입력하세요.\n", 20) + "개인정보처리방침", 0, true, false},
		{"english policy", englishText, 0, true, true},
		{"machine-translated policy", strings.Repeat("이 개인 보호 정책은 귀하의 개인 정보를 수집하고 제 3자에게 제공하지 않습니다.\n", 5), 0, true, true},
		{"english login page", strings.Repeat("Sign in with your email and password. Forgot your password?\n", 5) + "Privacy Policy", 0, true, false},
		{"shrank drastically", policyText, len(policyText) * 3, true, false},
		{"shrank a little", policyText, len(policyText) * 2, true, true},
		{"shrank after a rules change", policyText, len(policyText) * 3, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := assess(c.text, c.curSize, c.sameRules)
			if c.ok && err != nil {
				t.Fatalf("assess: %v, want nil", err)
			}
			if !c.ok && !errors.Is(err, ErrNotPolicy) {
				t.Fatalf("assess: %v, want ErrNotPolicy", err)
			}
		})
	}
}

func TestJitterStableAndBounded(t *testing.T) {
	const limit = 30 * time.Second
	seen := map[time.Duration]bool{}
	for i := range 200 {
		name := "target-" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('0'+i%10))
		d := jitter(name, limit)
		if d < 0 || d >= limit {
			t.Fatalf("jitter(%q) = %v, want in [0, %v)", name, d, limit)
		}
		if jitter(name, limit) != d {
			t.Fatalf("jitter(%q) is not stable", name)
		}
		seen[d] = true
	}
	if len(seen) < 50 {
		t.Fatalf("jitter spread 200 targets over only %d offsets", len(seen))
	}
	if jitter("x", 0) != 0 {
		t.Fatal("jitter with no limit must be 0")
	}
}
