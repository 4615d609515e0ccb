package i18n

// The sentences of notice verdicts (internal/notice) and of their evidence.
// Day counts arrive rendered ("7일", "7 days"), so that both languages take
// the same verbs in the same order.
func init() {
	register(map[string]Message{
		"notice.day": {"%d일", "%d day"},

		"notice.short.before": {"시행일자(%s)가 공고일자(%s)보다 %s 앞서 있어 사전 고지가 전혀 없었습니다.",
			"The effective date (%s) precedes the announcement date (%s) by %s, so no advance notice was given."},
		"notice.short.same_day": {"공고일자와 시행일자가 같은 날(%s)이어서 사전 고지 기간이 0일로, 필요한 %s보다 짧습니다.",
			"The policy was announced and took effect on the same day (%s), with no notice where %s are required."},
		"notice.short.days": {"공고일자(%s)부터 시행일자(%s)까지 %s로, 필요한 사전 고지 기간 %s보다 짧습니다.",
			"From the announcement date (%s) to the effective date (%s) there are only %s, less than the required %s of notice."},

		"notice.undated.effective": {"본문 내용이 실질적으로 바뀌었지만 공고일자와 시행일자는 이전 그대로입니다(시행일자 %s).",
			"The text changed in substance but its announcement and effective dates did not (effective %s)."},
		"notice.undated.announced": {"본문 내용이 실질적으로 바뀌었지만 새 시행일자가 적혀 있지 않습니다(공고일자 %s).",
			"The text changed in substance but states no new effective date (announced %s)."},
		"notice.undated.none": {"본문 내용이 실질적으로 바뀌었지만 공고일자나 시행일자가 적혀 있지 않습니다.",
			"The text changed in substance but states no announcement or effective date."},
		"notice.undated.tail": {"변경 사항을 시행 %s 전에 알렸는지 확인할 수 없습니다.",
			"There is no way to tell whether the change was announced %s before it took effect."},

		"notice.late.after": {"새 시행일자는 %s이지만 이전 본문이 %s까지 게시되어 있었으므로, 새 본문은 시행일자보다 %s 이상 늦게 게시되었습니다.",
			"The new effective date is %s, but the previous text was still served on %s, so the new text was posted at least %s after it took effect."},
		"notice.late.days": {"새 시행일자는 %s이지만 이전 본문이 %s까지 게시되어 있었으므로 실제 고지 기간은 최대 %s로, 필요한 %s보다 짧습니다.",
			"The new effective date is %s, but the previous text was still served on %s, so the notice was at most %s, less than the required %s."},
		"notice.late.contradicts": {"페이지에 적힌 공고일자(%s)는 이 관찰 기록과 맞지 않습니다.",
			"The announcement date on the page (%s) contradicts what we observed."},

		"notice.retroactive": {"새 본문은 %s에 처음 확인되었지만 시행일자는 그보다 %s 앞선 날짜(%s)로, 게시되기 전부터 시행된 것으로 적혀 있습니다.",
			"The new text was first seen on %s, but its effective date is %s earlier (%s): it claims to have applied before it was published."},

		"notice.source.config": {"필요한 고지 기간 %s은 이 대상의 설정(notice_days)에 따른 것입니다.",
			"The required %s come from this target's notice_days setting."},
		"notice.source.policy_quote": {"필요한 고지 기간 %s은 처리방침이 스스로 약속한 기간입니다(“%s”).",
			"The required %s are the period the policy itself promises (“%s”)."},
		"notice.source.policy": {"필요한 고지 기간 %s은 처리방침이 스스로 약속한 기간입니다.",
			"The required %s are the period the policy itself promises."},
		"notice.source.default": {"필요한 고지 기간 %s은 기본 설정([notice] days)에 따른 것입니다.",
			"The required %s are the configured default ([notice] days)."},

		// What the notice board showed, appended to late_notice.
		"notice.board.silent": {"공지사항 게시판 확인: 사전 공지 없음(%s 확인).",
			"Notice board checked: no advance notice (checked %s)."},
		"notice.board.none": {"공지사항 게시판을 확인하지 못함: 사전 공지가 다른 곳에 있었을 수 있습니다.",
			"Notice board not checked: the change may have been announced elsewhere."},
		"notice.board.unreadable": {"공지사항 게시판을 확인하지 못함(%s): 사전 공지가 다른 곳에 있었을 수 있습니다.",
			"Notice board not checked (%s): the change may have been announced elsewhere."},
		"notice.board.post_short": {"공지사항 게시물(“%s”)은 %s에 게시되어 시행일자까지 %s로, 필요한 %s보다 짧습니다.",
			"The notice post (“%s”) was posted on %s, %s before the effective date, less than the required %s."},
		"notice.board.backdated": {"공지사항 게시물(“%s”)은 %s 작성으로 표시되어 있지만 monitord는 %s에 처음 확인했습니다(%s 확인 때에는 없었음).",
			"The notice post (“%s”) shows %s, but monitord first saw it on %s (it was not there when checked on %s)."},

		// announcement.note: the board and the page disagree.
		"notice.note.page_date": {"공지사항 게시물(%s)이 시행 %s 전에 공지했으나, 방침 본문의 공고일자(%s)는 이와 다릅니다.",
			"The notice post (%s) announced the change %s ahead, but the page's own announcement date (%s) differs."},
		"notice.note.effective": {"공지사항 게시물은 시행일을 %s로 공지했으나 새 본문의 시행일자는 %s입니다.",
			"The notice post announced %s as the effective date, but the new text states %s."},

		// Evidence lines monitord writes itself (the others quote the page).
		"evidence.board_checked": {"공지사항 게시물 %d건 확인, 개인정보 처리방침 변경 공지 없음",
			"%d notice posts read, none announcing a privacy policy change"},
		"evidence.board_unreadable": {"공지사항 게시판 확인 불가: %s",
			"notice board unreadable: %s"},
	})
}
