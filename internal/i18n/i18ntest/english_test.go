package i18ntest

import "testing"

func TestEnglishRuns(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want int
	}{
		{"호스트 nonexistent.invalid을(를) 찾을 수 없습니다(DNS): 대상 주소의 호스트 이름을 확인하세요 (GET http://nonexistent.invalid/privacy)", 0},
		{"서버가 503(으)로 답하며 2s 뒤에 다시 오라고 했습니다(Retry-After)", 0},
		{"config.toml:3: target[1] \"naver\": url: 주소가 없습니다", 0},
		{"호스트를 찾을 수 없습니다 (check the host name in the target URL)", 1},
		{"서버 응답: server answered 404", 1},
		{"fetch.max_body를 늘리세요", 0},
		{"monitord verify 결과", 0},
	} {
		if got := EnglishRuns(tt.s); len(got) != tt.want {
			t.Errorf("EnglishRuns(%q) = %q, want %d runs", tt.s, got, tt.want)
		}
	}
}
