package i18n

// The words of notice boards (internal/board, internal/monitor): a target's
// board status, why a board could not be read, and the policy.announced
// summary.
func init() {
	register(map[string]Message{
		"board.column":            {"공지사항", "NOTICE BOARD"},
		"board.status.read":       {"공지사항: 확인함 (%s, 게시물 %d건)", "Notice board: read (%s, %d posts)"},
		"board.status.unreadable": {"공지사항: 확인 불가 (%s)", "Notice board: unreadable (%s)"},
		"board.status.off":        {"공지사항: 확인 안 함", "Notice board: not watched"},
		"board.status.unchecked":  {"공지사항: 확인 전", "Notice board: not read yet"},

		"board.reason.not_found": {"게시판을 찾지 못함", "no notice board found on the site"},
		"board.reason.http":      {"서버 응답 %s", "the server answered %s"},
		"board.reason.fetch":     {"가져오지 못함: %s", "could not be fetched: %s"},
		"board.reason.login":     {"로그인이 필요함", "needs a login"},
		"board.reason.not_html":  {"HTML 페이지가 아님(%s)", "not an HTML page (%s)"},
		"board.reason.no_posts":  {"날짜가 있는 게시물을 찾지 못함", "no dated posts found"},

		"board.summary.announced": {"%s의 공지사항에 개인정보 처리방침 변경 예고가 게시되었습니다(게시 %s, 시행 %s): “%s”.",
			"%s announced a privacy policy change on its notice board (posted %s, effective %s): “%s”."},
		"board.summary.announced_undated": {"%s의 공지사항에 개인정보 처리방침 변경 안내가 게시되었습니다(게시 %s, 시행일 미기재): “%s”.",
			"%s announced a privacy policy change on its notice board (posted %s, no effective date given): “%s”."},
	})
}
