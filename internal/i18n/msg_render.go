package i18n

// Messages of page rendering (internal/render): why a page could not be read.
func init() {
	register(map[string]Message{
		"render.need_browser":   {"이 페이지는 브라우저 렌더링이 필요합니다: apt-get install chromium", "this page needs browser rendering: apt-get install chromium"},
		"render.browser_failed": {"브라우저 렌더링 실패: %s", "browser rendering failed: %s"},
		"render.historical":     {"과거 기록: %s", "historical: %s"},
		"render.no_policy":      {"브라우저로 렌더링한 페이지에도 개인정보 처리방침이 없습니다", "the page rendered in the browser holds no privacy policy either"},
	})
}
