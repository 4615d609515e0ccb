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

		// A target's status, shown by `targets`, the UI's list and chat.
		"status.ok":            {"정상", "OK"},
		"status.changed":       {"변경됨", "changed"},
		"status.violation":     {"위반", "violation"},
		"status.failing":       {"실패 %d회", "failed %d×"},
		"status.board_unknown": {"공지사항 확인 불가", "notice board unreadable"},
		"status.unchecked":     {"확인 전", "not checked yet"},

		// Kinds of versions.
		"kind.observed":  {"관찰", "observed"},
		"kind.cosmetic":  {"표기만 변경", "cosmetic"},
		"kind.technical": {"기술적 변경", "technical"},
		"kind.imported":  {"가져온 과거 버전", "imported"},
		"kind.return":    {"이전 버전으로 복귀", "return to an earlier version"},

		// Section changes.
		"change.added":    {"추가", "added"},
		"change.removed":  {"삭제", "removed"},
		"change.modified": {"수정", "modified"},
		"change.moved":    {"이동", "moved"},

		// Event types.
		"event.policy.baseline":  {"개인정보 처리방침 최초 확인", "Privacy policy first seen"},
		"event.policy.changed":   {"개인정보 처리방침 변경", "Privacy policy changed"},
		"event.policy.announced": {"개인정보 처리방침 변경 예고", "Privacy policy change announced"},
		"event.target.failing":   {"확인 실패", "Check failing"},
		"event.target.recovered": {"확인 복구", "Check recovered"},

		// Delivery states of an alert.
		"delivery.delivered": {"전송됨", "delivered"},
		"delivery.pending":   {"대기 중", "pending"},
		"delivery.expired":   {"만료됨", "expired"},
	})
}
