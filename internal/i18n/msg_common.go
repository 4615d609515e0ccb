package i18n

// Words shared by every surface: dates, the names of notice rules and of
// verdict bases. Area files add their own (msg_cli.go, msg_ui.go, ...).
func init() {
	register(map[string]Message{
		"date.announced": {"공고일자", "Announced"},
		"date.effective": {"시행일자", "Effective"},
		"date.none":      {"날짜 없음", "no dates"},

		"rule.short_notice":   {"공고 기간 부족", "short notice"},
		"rule.late_notice":    {"사전 고지 지연", "late notice"},
		"rule.undated_change": {"날짜 없는 변경", "undated change"},
		"rule.retroactive":    {"소급 시행", "retroactive"},

		"basis.page":        {"방침 본문의 날짜로 확인", "proven by the page's own dates"},
		"basis.observed":    {"monitord가 관찰하여 확인", "observed by monitord"},
		"basis.unconfirmed": {"정책 페이지만으로 판단(미확인)", "policy page only (unconfirmed)"},

		"days": {"%d일", "%d days"},
	})
}
