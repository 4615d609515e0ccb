package i18n

// The words of alerts as people read them: chat messages (Slack, Discord,
// JANDI, Teams, Dooray!), e-mail, and the one-sentence summary of the webhook
// JSON. Rule, basis, status, change and event names are in msg_common.go.
func init() {
	register(map[string]Message{
		// Headlines: the verdict first, then whose policy and what happened.
		"chat.headline.baseline":           {"%s 개인정보 처리방침 확인 시작 — 고지 의무 위반 없음", "%s: privacy policy first seen — no notice violation"},
		"chat.headline.baseline_violation": {"위반 · %[2]s — %[1]s 개인정보 처리방침 최초 확인", "Violation · %[2]s — %[1]s: privacy policy first seen"},
		"chat.headline.changed":            {"%s 개인정보 처리방침 변경 — 고지 의무 위반 없음", "%s: privacy policy changed — no notice violation"},
		"chat.headline.changed_violation":  {"위반 · %[2]s — %[1]s 개인정보 처리방침 변경", "Violation · %[2]s — %[1]s: privacy policy changed"},
		"chat.headline.returned":           {"%s 개인정보 처리방침이 이전 버전으로 복귀", "%s: privacy policy went back to an earlier version"},
		"chat.headline.cosmetic":           {"%s 개인정보 처리방침 표기만 변경 — 내용 변경 없음", "%s: privacy policy reworded cosmetically — no change in substance"},
		"chat.headline.announced":          {"%s 개인정보 처리방침 변경 예고", "%s: privacy policy change announced"},
		"chat.headline.failing":            {"확인 실패 · %[1]s 처리방침 페이지 %[2]d회 연속 실패", "Check failing · %[1]s: policy page failed %[2]d checks in a row"},
		"chat.headline.recovered":          {"확인 복구 · %s 처리방침 페이지를 다시 읽을 수 있음", "Check recovered · %s: policy page loads again"},
		"chat.headline.digest":             {"개인정보 처리방침 %d곳 확인 시작", "First snapshot of %d privacy policies"},
		"chat.headline.test":               {"monitord 알림 연결 시험", "monitord notification test"},
		"chat.rule_join":                   {", ", ", "},

		// Labels of fields and lines.
		"chat.dates":         {"날짜", "Dates"},
		"chat.dates.ann":     {"공고 %s", "announced %s"},
		"chat.dates.eff":     {"시행 %s", "effective %s"},
		"chat.dates.none":    {"공고일자·시행일자 표시 없음", "no dates stated"},
		"chat.dates.before":  {"이전 %s", "before: %s"},
		"chat.violations":    {"위반 사항", "Violations"},
		"chat.no_violation":  {"고지 의무 위반 없음", "No notice violation"},
		"chat.changes":       {"변경된 조항", "Changed sections"},
		"chat.more_sections": {"… 외 %d개 조항은 변경 내용 비교 페이지에서 볼 수 있습니다", "… %d more sections on the diff page"},
		"chat.more_lines":    {"… 외 %d줄", "… %d more lines"},
		"chat.more":          {"… 외 %d건", "… and %d more"},
		"chat.untitled":      {"(제목 없음)", "(untitled)"},
		"chat.renamed":       {"제목 변경: %s → %s", "renamed: %s → %s"},
		"chat.before":        {"이전", "Before"},
		"chat.after":         {"이후", "After"},
		"chat.line.added":    {"추가", "Added"},
		"chat.line.removed":  {"삭제", "Removed"},
		"chat.basis":         {"근거", "Basis"},
		"chat.promise":       {"고지 기간의 근거", "Where the notice period comes from"},
		"chat.evidence":      {"증거", "Evidence"},
		"chat.detected":      {"감지 시각", "Detected"},
		"chat.event":         {"이벤트", "Event"},
		"chat.error":         {"마지막 오류", "Last error"},
		"chat.failures":      {"연속 실패 %d회", "%d failed checks in a row"},
		"chat.announcement":  {"공지사항", "Notice"},
		"chat.link.diff":     {"변경 내용 비교 보기", "Open the diff"},
		"chat.link.page":     {"처리방침 페이지 열기", "Open the policy page"},
		"chat.link.post":     {"공지사항 게시물 열기", "Open the notice"},
		"chat.return_of":     {"이전 버전 v%s과 같은 본문입니다. 두 버전 사이를 오가는 변경은 더 이상 하나하나 알리지 않습니다.", "Same text as version %s. Further flips between these versions will not be alerted one by one."},
		"chat.cosmetic":      {"띄어쓰기·번호·문장부호 등 표기만 바뀌었습니다.", "Only spacing, numbering or punctuation changed."},
		"chat.test.body":     {"webhook %q(%s)로 보낸 시험 메시지입니다. 이 메시지가 보이면 알림이 도착합니다.", "Test message sent to webhook %q (%s). If you can read this, alerts arrive."},
		"chat.digest.ok":     {"위반 없음", "no violation"},
		"chat.digest.body":   {"처음 확인한 처리방침 %d곳입니다. 이후 변경이 생기면 한 곳씩 알립니다.", "The %d policies first seen. Each later change is alerted on its own."},
		"chat.footer":        {"monitord · 이벤트 %s", "monitord · event %s"},

		// Evidence kinds (notice.Evidence*).
		"chat.evidence.page_dates":     {"방침 본문의 날짜", "the page's own dates"},
		"chat.evidence.old_last_seen":  {"이전 본문 마지막 확인", "previous text last seen"},
		"chat.evidence.new_first_seen": {"새 본문 처음 확인", "new text first seen"},
		"chat.evidence.board_post":     {"공지사항 게시물", "notice-board post"},
		"chat.evidence.board_checked":  {"공지사항 게시판 확인", "notice board checked"},

		// Short phrases naming a violation with its numbers.
		"chat.phrase.short_before": {"시행 %d일 전 공고 의무 위반(공고보다 %s 먼저 시행)", "%d-day advance notice not given (effective %s before announced)"},
		"chat.phrase.short":        {"시행 %d일 전 공고 의무 위반(실제 %s)", "%d-day advance notice not given (actual %s)"},
		"chat.phrase.late_after":   {"사전 고지 지연(시행 %s 뒤에야 게시)", "late notice (posted %s after taking effect)"},
		"chat.phrase.late":         {"사전 고지 지연(관찰 기준 최대 %s, 필요 %d일)", "late notice (at most %s by our observation, %d required)"},
		"chat.phrase.retroactive":  {"소급 시행(처음 확인보다 %s 먼저 시행)", "retroactive (effective %s before first seen)"},
		"chat.phrase.undated":      {"날짜 갱신 없는 내용 변경", "changed without new dates"},
		"chat.day1":                {"1일", "1 day"},

		// The summary sentence of an event (the webhook JSON's "summary" and
		// the chat notification text).
		"chat.summary.baseline":  {"%s의 개인정보 처리방침을 처음 확인했습니다(%s)%s.", "First snapshot of the privacy policy of %s (%s)%s."},
		"chat.summary.changed":   {"%s의 개인정보 처리방침이 변경되었습니다(%s%s)%s.", "The privacy policy of %s changed (%s%s)%s."},
		"chat.summary.returned":  {"%s의 개인정보 처리방침이 이전 버전(v%s)의 내용으로 되돌아갔습니다. 두 버전 사이를 오가는 변경은 더 이상 하나하나 알리지 않습니다.", "The privacy policy of %s went back to the text of version %s. Further flips between these versions will not be alerted one by one."},
		"chat.summary.failing":   {"%s의 개인정보 처리방침 페이지를 %d회 연속 확인하지 못했습니다%s.", "The privacy policy page of %s failed %d checks in a row%s."},
		"chat.summary.recovered": {"%s의 개인정보 처리방침 페이지를 다시 확인할 수 있게 되었습니다.", "The privacy policy page of %s loads again."},
		"chat.summary.other":     {"%s: %s 알림입니다.", "%s: %s event."},
		"chat.summary.site":      {"%s(%s)", "%s at %s"},
		"chat.summary.one":       {"‘%s’ 조항", "section “%s”"},
		"chat.summary.many":      {"‘%s’ 등 %d개 조항", "section “%s” and others (%d sections)"},
		"chat.summary.sep":       {", ", "; "},
		"chat.summary.none":      {": 고지 의무 위반 없음", ": no notice violation"},
		"chat.summary.list":      {": %s", ": %s"},
		"chat.summary.vsep":      {", ", "; "},
		"chat.summary.reason":    {" (%s)", " (%s)"},
	})
}
