package i18n

// The command line: help, usage errors, and what the commands print.
func init() {
	register(map[string]Message{
		// Help.
		"cli.root.short": {
			"monitord는 개인정보 처리방침을 지켜보다가, 사전 고지 없이 바뀌면 알립니다.",
			"monitord watches Korean privacy policies and alerts on changes made without notice.",
		},
		"cli.root.example": {
			"monitord demo                          # 인터넷 없이 전체 과정을 봅니다\n" +
				"monitord run -config config.toml       # 데몬 실행\n" +
				"monitord check -target naver           # 한 대상을 지금 확인\n" +
				"monitord diff naver                    # 마지막 두 버전의 차이\n" +
				"monitord history naver -format json    # 스크립트용 JSON",
			"monitord demo                          # see the whole job offline\n" +
				"monitord run -config config.toml       # run the daemon\n" +
				"monitord check -target naver           # check one target now\n" +
				"monitord diff naver                    # what changed between the last two versions\n" +
				"monitord history naver -format json    # JSON for scripts",
		},
		"cli.help.usage":        {"사용법:", "Usage:"},
		"cli.help.root_usage":   {"COMMAND [플래그] [인수]", "COMMAND [flags] [arguments]"},
		"cli.help.commands":     {"명령:", "Commands:"},
		"cli.help.flags":        {"플래그:", "Flags:"},
		"cli.help.examples":     {"예:", "Examples:"},
		"cli.help.default":      {"(기본값 %s)", "(default %s)"},
		"cli.help.command_word": {"명령", "command"},
		"cli.help.flags_word":   {"플래그", "flags"},
		"cli.help.root_footer": {
			"플래그는 줄 어디에나 올 수 있고, -config와 --config는 같습니다.\n" +
				"명령별 플래그와 예: monitord COMMAND -h\n" +
				"종료 상태: 0 완료, 1 대상 또는 명령 실패, 2 잘못된 사용법 또는 설정.",
			"Flags go anywhere on the line; -config and --config are the same.\n" +
				"A command's flags and examples: monitord COMMAND -h\n" +
				"Exit status: 0 done, 1 a target or the command failed, 2 bad usage or configuration.",
		},

		"cli.cmd.help.short":   {"명령의 도움말을 보여줍니다", "show the help of a command"},
		"cli.cmd.help.long":    {"명령의 도움말을 보여줍니다. 'monitord help COMMAND'는 'monitord COMMAND -h'와 같습니다.", "Show the help of a command: 'monitord help COMMAND' is 'monitord COMMAND -h'."},
		"cli.cmd.help.example": {"monitord help check", "monitord help check"},

		"cli.cmd.run.short": {"데몬 실행: 일정에 따른 확인, 알림 전송, 상태 서버", "run the daemon: schedules, alert delivery, status server"},
		"cli.cmd.run.long": {
			"데몬을 실행합니다. 모든 대상을 일정에 따라 확인하고, 알림을 전송하고, 상태 API를 제공합니다.\n" +
				"SIGINT/SIGTERM은 진행 중인 확인을 마친 뒤 깨끗이 멈추고, SIGHUP은 설정을 다시 읽습니다.",
			"Run the daemon: check every target on its schedule, deliver alerts, serve the status API.\n" +
				"SIGINT/SIGTERM stop it cleanly (checks in flight finish first); SIGHUP reloads the configuration.",
		},
		"cli.cmd.run.example": {
			"monitord run -config /etc/monitord/config.toml\n" +
				"monitord run -config config.toml -drain 1m   # 멈출 때 확인을 1분까지 기다림",
			"monitord run -config /etc/monitord/config.toml\n" +
				"monitord run -config config.toml -drain 1m   # let checks finish for up to a minute on stop",
		},

		"cli.cmd.check.short": {"모든 대상(또는 하나)을 지금 확인하고 알림을 보낸 뒤 끝냅니다", "check every target (or one) now, deliver alerts, exit"},
		"cli.cmd.check.long": {
			"사용 중인 모든 대상(또는 -target 하나)을 지금 확인하고, 바뀐 것을 저장하고, 알림을 보낸 뒤 끝냅니다.\n" +
				"monitord run이 저장소를 쓰고 있으면 확인은 실행 중인 데몬이 하고, 이 명령은 그 결과를 보여줍니다.\n" +
				"종료 상태: 0 모두 확인, 1 실패한 대상 있음, 2 잘못된 설정 또는 사용법.",
			"Check every enabled target (or the one of -target) now, store what changed, deliver alerts, and exit.\n" +
				"When monitord run holds the store, the running daemon does the checks and this command shows their results.\n" +
				"Exit status: 0 all checked, 1 some target failed, 2 bad configuration or usage.",
		},
		"cli.cmd.check.example": {
			"monitord check -config config.toml\n" +
				"monitord check -target naver -v        # 바뀌지 않은 대상도 보여줌\n" +
				"monitord check -q && echo ok            # 조용히; 종료 상태만\n" +
				"monitord check -format json",
			"monitord check -config config.toml\n" +
				"monitord check -target naver -v        # list unchanged targets too\n" +
				"monitord check -q && echo ok            # quiet: the exit status only\n" +
				"monitord check -format json",
		},

		"cli.cmd.targets.short": {"대상 목록: 마지막 확인, 상태, 현재 버전", "list targets with their last check and current version"},
		"cli.cmd.targets.long": {
			"설정된 대상을 마지막 확인, 상태, 현재 버전, 공고일자, 시행일자와 함께 보여줍니다.",
			"List the configured targets with their last check, status, current version, 공고일자 and 시행일자.",
		},
		"cli.cmd.targets.example": {
			"monitord targets\nmonitord targets -format json",
			"monitord targets\nmonitord targets -format json",
		},

		"cli.cmd.history.short": {"한 대상의 버전 목록", "list the versions of one target"},
		"cli.cmd.history.long": {
			"NAME 대상의 버전을 오래된 것부터 보여줍니다: 번호, 처음·마지막으로 본 때, 공고일자, 시행일자, 종류, 위반.",
			"List the versions of target NAME, oldest first: id, first and last seen, 공고일자, 시행일자, kind, violations.",
		},
		"cli.cmd.history.example": {
			"monitord history naver\nmonitord history naver -format json",
			"monitord history naver\nmonitord history naver -format json",
		},

		"cli.cmd.show.short": {"한 버전의 본문을 절별로 보여줍니다", "print the text of a version, by section"},
		"cli.cmd.show.long": {
			"한 버전(기본: 현재 버전)의 본문을 절별로 보여줍니다.\n" +
				"VERSION은 버전 번호 또는 날짜(YYYY-MM-DD: 그날 유효했던 버전)입니다.",
			"Print the text of a version (default: the current one), section by section.\n" +
				"VERSION is a version id or a date (YYYY-MM-DD: the version current that day).",
		},
		"cli.cmd.show.example": {
			"monitord show naver\n" +
				"monitord show naver 3\n" +
				"monitord show naver 2024-03-01\n" +
				"monitord show naver 3 -raw > page.html    # 가져온 그대로의 페이지",
			"monitord show naver\n" +
				"monitord show naver 3\n" +
				"monitord show naver 2024-03-01\n" +
				"monitord show naver 3 -raw > page.html    # the page as fetched",
		},

		"cli.cmd.diff.short": {"두 버전 사이에 바뀐 것을 절별로 보여줍니다", "show what changed between two versions, section by section"},
		"cli.cmd.diff.long": {
			"두 버전 사이에 바뀐 것을 절별로 보여줍니다. FROM/TO가 없으면 마지막 두 버전입니다.\n" +
				"FROM과 TO는 버전 번호 또는 날짜(YYYY-MM-DD: 그날 유효했던 버전)이고, TO의 기본값은 현재 버전입니다.",
			"Show what changed between two versions, section by section. Without FROM/TO: the last two versions.\n" +
				"FROM and TO are version ids or dates (YYYY-MM-DD: the version current that day); TO defaults to the current version.",
		},
		"cli.cmd.diff.example": {
			"monitord diff naver\n" +
				"monitord diff naver 2 4\n" +
				"monitord diff naver 2024-01-01          # 그날의 버전과 현재 버전\n" +
				"monitord diff naver -format json",
			"monitord diff naver\n" +
				"monitord diff naver 2 4\n" +
				"monitord diff naver 2024-01-01          # that day's version against the current one\n" +
				"monitord diff naver -format json",
		},

		"cli.cmd.extract.short": {"추출기와 파서가 페이지나 파일에서 읽은 것을 보여줍니다", "show what the extractor and parser see in a page or file"},
		"cli.cmd.extract.long": {
			"추출기와 파서가 페이지에서 읽은 것을 보여줍니다: 절(수준, 제목, 분류, 줄 수), 공고일자·시행일자와\n" +
				"그 날짜를 읽은 줄, 약속한 고지 기간, 그리고 -text이면 추출한 본문. FILE은 HTML, Markdown(.md),\n" +
				"텍스트(.txt)일 수 있고, -는 표준 입력을 읽습니다.",
			"Show what the extractor and parser see in a page: the sections (level, title, category, line count),\n" +
				"the 공고일자/시행일자 with the line each came from, the promised notice period, and, with -text,\n" +
				"the extracted text itself. FILE may be HTML, Markdown (.md) or text (.txt); - reads standard input.",
		},
		"cli.cmd.extract.example": {
			"monitord extract https://example.kr/privacy\n" +
				"monitord extract page.html -selector '#content' -exclude '.banner'\n" +
				"monitord extract -target naver -text   # 설정의 URL과 규칙으로\n" +
				"curl -s https://example.kr/privacy | monitord extract -",
			"monitord extract https://example.kr/privacy\n" +
				"monitord extract page.html -selector '#content' -exclude '.banner'\n" +
				"monitord extract -target naver -text   # with the target's URL and rules\n" +
				"curl -s https://example.kr/privacy | monitord extract -",
		},

		"cli.cmd.alerts.short": {"알림 이벤트와 전송 상태; 'alerts retry ID'는 다시 보냅니다", "list alert events and their delivery; 'alerts retry ID' re-queues one"},
		"cli.cmd.alerts.long": {
			"알림 이벤트를 최신 것부터, 웹훅마다의 전송 상태와 함께 보여줍니다.\n" +
				"'monitord alerts retry ID'는 만료되었거나 실패한 이벤트를 다시 전송 대기열에 넣습니다.",
			"List alert events, newest first, with the delivery state of each webhook.\n" +
				"'monitord alerts retry ID' re-queues an expired or failed event.",
		},
		"cli.cmd.alerts.example": {
			"monitord alerts\n" +
				"monitord alerts -state expired\n" +
				"monitord alerts -target naver -type policy.changed -n 10\n" +
				"monitord alerts retry 01J8Z3K6Q2W4",
			"monitord alerts\n" +
				"monitord alerts -state expired\n" +
				"monitord alerts -target naver -type policy.changed -n 10\n" +
				"monitord alerts retry 01J8Z3K6Q2W4",
		},
		"cli.cmd.alerts.retry.short": {"만료되었거나 실패한 이벤트를 다시 보냅니다", "re-queue an expired or failed event"},
		"cli.cmd.alerts.retry.long": {
			"만료되었거나 실패한 이벤트를 다시 대기열에 넣습니다. 전송은 시도 횟수를 새로 시작하고,\n" +
				"실행 중인 데몬(또는 다음 'monitord check')이 같은 id로 보냅니다.",
			"Re-queue an expired or failed event: its deliveries become pending with attempts reset;\n" +
				"the running daemon (or the next 'monitord check') sends it with the same id.",
		},
		"cli.cmd.alerts.retry.example": {
			"monitord alerts -state expired          # ID 찾기\nmonitord alerts retry 01J8Z3K6Q2W4",
			"monitord alerts -state expired          # find the ID\nmonitord alerts retry 01J8Z3K6Q2W4",
		},

		"cli.cmd.demo.short": {"인터넷 없이 루프백에서 시연합니다", "run an offline demonstration on loopback (no internet needed)"},
		"cli.cmd.demo.long": {
			"인터넷 없이 루프백에서 monitord를 처음부터 끝까지 실행합니다: 예시 방침 두 개를 제공하고, 확인하고,\n" +
				"하나를 공고일자를 앞당겨 바꾼 뒤 다시 확인하고, 버전, 절별 차이, 로컬 웹훅이 받은 알림을 보여줍니다.",
			"Run monitord end to end on loopback, without the internet: serve two sample policies,\n" +
				"check them, change one with a backdated 공고일자, check again, and show the versions,\n" +
				"the section diff and the alert a local webhook received.",
		},
		"cli.cmd.demo.example": {"monitord demo\nmonitord demo -lang en", "monitord demo\nmonitord demo -lang en"},

		"cli.cmd.version.short":   {"버전을 보여줍니다", "print the version"},
		"cli.cmd.version.long":    {"monitord의 버전을 보여줍니다.", "Print the version of monitord."},
		"cli.cmd.version.example": {"monitord version", "monitord version"},

		// Flags.
		"cli.flag.help":            {"이 도움말", "show this help"},
		"cli.flag.config":          {"설정 파일", "configuration file"},
		"cli.flag.config_optional": {"가져오기 설정과 -target을 위한 설정 파일 (없어도 됨)", "configuration file for fetch settings and -target (optional)"},
		"cli.flag.format":          {"출력 형식: text 또는 json", "output format: text or json"},
		"cli.flag.raw":             {"추출한 본문 대신 가져온 그대로의 페이지", "print the page as fetched instead of the extracted text"},
		"cli.flag.no_color":        {"터미널에서도 색을 쓰지 않음", "no colour even on a terminal"},
		"cli.flag.alerts_target":   {"이 대상의 이벤트만", "only events of this target"},
		"cli.flag.alerts_type":     {"이 종류의 이벤트만 (policy.baseline, policy.changed, policy.announced, target.failing, target.recovered)", "only events of this type (policy.baseline, policy.changed, policy.announced, target.failing, target.recovered)"},
		"cli.flag.alerts_state":    {"전송 상태가 이것인 이벤트만 (pending, delivered, expired, failed)", "only events with a delivery in this state (pending, delivered, expired, failed)"},
		"cli.flag.alerts_limit":    {"최대 N개 (0: 전부)", "show at most N events (0: all)"},
		"cli.flag.drain":           {"멈추라는 신호 뒤에 진행 중인 확인을 기다리는 시간", "how long checks in flight may run after a stop signal"},
		"cli.flag.check_target":    {"이 이름의 대상만 확인", "check only the target with this name"},
		"cli.flag.wait":            {"알림 전송을 기다리는 시간; 남은 것은 대기열에 남습니다", "how long to wait for alert delivery; what is left stays queued"},
		"cli.flag.quiet":           {"조용히: 진행 표시와 요약 없이 오류만", "quiet: no progress and no summary line, only errors"},
		"cli.flag.verbose":         {"바뀌지 않은 대상도 보여줌", "list unchanged targets too"},
		"cli.flag.extract_target":  {"이 대상의 URL, selector, exclude 규칙을 씀", "use this target's URL, selector and exclude rules"},
		"cli.flag.selector":        {"방침 본문의 CSS 선택자", "CSS selector of the policy body"},
		"cli.flag.exclude":         {"추출 전에 지울 CSS 선택자 (여러 번 가능)", "CSS selector to remove before extraction (repeatable)"},
		"cli.flag.text":            {"개요 뒤에 추출한 본문도 보여줌", "print the extracted text after the outline"},
		"cli.flag.lang":            {"출력 언어: ko 또는 en", "language of the output: ko or en"},

		// Usage errors: they say what was expected.
		"cli.usage.unknown_command":  {"알 수 없는 명령 %q", "unknown command %q"},
		"cli.usage.missing":          {"%s 인수가 없습니다", "missing argument %s"},
		"cli.usage.no_args":          {"%s 명령은 인수를 받지 않는데 %q가 있습니다", "%s takes no arguments, got %q"},
		"cli.usage.extra":            {"필요 없는 인수 %q: 받는 인수는 %s입니다", "unexpected argument %q: expected %s"},
		"cli.usage.unknown_flag":     {"알 수 없는 플래그 %s", "unknown flag %s"},
		"cli.usage.flag_needs_value": {"플래그 %s 뒤에 값(%s)이 필요합니다", "flag %s needs a value %s"},
		"cli.usage.flag_invalid":     {"값 %q는 %s에 쓸 수 없습니다 (필요한 값: %s)", "invalid value %q for %s (expected %s)"},
		"cli.usage.flag_syntax":      {"플래그를 읽을 수 없습니다: %s", "bad flag syntax: %s"},
		"cli.usage.try":              {"도움말: %s", "Try: %s"},
		"cli.usage.example":          {"예: %s", "Example: %s"},
		"cli.error.config":           {"설정이 올바르지 않습니다:", "invalid configuration:"},
	})
}

// What check prints.
func init() {
	register(map[string]Message{
		"cli.check.status.baseline":  {"첫 수집", "baseline"},
		"cli.check.status.changed":   {"변경됨", "changed"},
		"cli.check.status.cosmetic":  {"표기만 변경", "cosmetic change"},
		"cli.check.status.technical": {"추출 규칙 변경으로 재수집", "re-extracted (rules changed)"},
		"cli.check.status.unchanged": {"변경 없음", "unchanged"},
		"cli.check.status.failed":    {"실패", "failed"},
		"cli.check.summary": {
			"점검 %d, 첫 수집 %d, 변경 %d, 표기만 변경 %d, 위반 %d, 실패 %d, 전송 대기 알림 %d",
			"checked %d, baseline %d, changed %d, cosmetic %d, violations %d, failed %d, alerts pending %d",
		},
		"cli.check.failed":     {"대상 %d개 실패 (전체 %d개)", "%d of %d targets failed"},
		"cli.check.via_daemon": {"저장소를 실행 중인 monitord가 쓰고 있어, 그 데몬이 확인합니다 (%s)", "the running monitord holds the store: it does the checks (%s)"},
		"cli.check.no_api": {
			"저장소를 다른 monitord가 쓰고 있는데(store is in use) 그 데몬은 API를 제공하지 않습니다([server] listen = \"\"): [server] listen을 설정하고 다시 시작하거나, 데몬을 멈추고 확인하세요",
			"the store is in use by another monitord process, which serves no API ([server] listen is \"\"): set [server] listen and restart it, or stop it to check here",
		},
		"cli.error.no_target":    {"%q라는 대상이 없습니다", "no target named %q"},
		"cli.error.no_target_in": {"%q라는 대상이 %s에 없습니다", "no target named %q in %s"},
	})
}

// What the reading commands and extract print.
func init() {
	register(map[string]Message{
		"cli.targets.header":   {"이름\t상태\t마지막 확인\t버전\t공고일자\t시행일자\tURL", "NAME\tSTATUS\tLAST CHECK\tVERSION\tANNOUNCED\tEFFECTIVE\tURL"},
		"cli.targets.version":  {"%d (전체 %d)", "%d (of %d)"},
		"cli.status.disabled":  {"사용 안 함", "disabled"},
		"cli.status.removed":   {"설정에서 빠짐", "removed from config"},
		"cli.history.header":   {"번호\t처음 본 때\t마지막으로 본 때\t공고일자\t시행일자\t종류\t위반", "ID\tFIRST SEEN\tLAST SEEN\tANNOUNCED\tEFFECTIVE\tKIND\tVIOLATIONS"},
		"cli.history.return":   {"v%d로 복귀", "same as v%d"},
		"cli.show.date_line":   {"%s %s  (%d행: %s)", "%s %s  (line %d: %s)"},
		"cli.date.revised":     {"개정일", "Revised"},
		"cli.diff.same":        {"같은 버전입니다.", "Same version."},
		"cli.diff.cosmetic":    {"표기만 바뀌었습니다(띄어쓰기, 문장부호, 글자 폭, 번호 등). 내용은 같아 알림은 없었습니다. 바뀐 줄:", "Only the writing changed (spacing, punctuation, character width, numbering): the content is the same, so no alert was raised. Lines that differ:"},
		"cli.alerts.header":    {"ID\t생성\t종류\t대상\t버전\t전송", "ID\tCREATED\tTYPE\tTARGET\tVERSION\tDELIVERY"},
		"cli.alerts.no_hook":   {"(웹훅 없음)", "(no webhook)"},
		"cli.alerts.attempts":  {"%d회 시도, 다음 %s", "%d attempts, next %s"},
		"cli.alerts.requeued":  {"%s 다시 대기열에 넣었습니다", "%s re-queued"},
		"cli.delivery.failed":  {"실패", "failed"},
		"cli.extract.counts":   {"%d줄, %d자, 절 %d개", "%d lines, %d characters, %d sections"},
		"cli.extract.date":     {"%s  %s  %d행 (%s): %s", "%s  %s  line %d (%s): %s"},
		"cli.extract.no_date":  {"%s  -", "%s  -"},
		"cli.extract.promise":  {"고지 약속  %s  %d행: %s", "promise   %s  line %d: %s"},
		"cli.extract.promise2": {"고지 약속  %s (중요한 변경: %s)  %d행: %s", "promise   %s (important changes: %s)  line %d: %s"},
		"cli.extract.history":  {"이전 버전  %s ~ %s  %d행: %s", "history   %s ~ %s  line %d: %s"},
		"cli.extract.toc":      {"목차  %d개 항목 (절에서 제외)", "contents  %d entries (kept out of the sections)"},
		"cli.extract.header":   {"수준\t줄\t분류\t제목", "LEVEL\tLINES\tCATEGORY\tTITLE"},
		"cli.extract.text":     {"--- 본문 ---", "--- text ---"},

		"cli.error.no_versions":   {"%q 대상에 저장된 버전이 아직 없습니다. 'monitord check -target %s'를 실행하세요", "target %q has no stored version yet; run 'monitord check -target %s'"},
		"cli.error.no_version":    {"버전 %d이 없습니다 (버전은 %d부터 %d까지)", "no version %d (versions are %d to %d)"},
		"cli.error.bad_version":   {"%q는 버전 번호도 날짜(YYYY-MM-DD)도 아닙니다", "%q is neither a version id nor a date (YYYY-MM-DD)"},
		"cli.error.no_version_on": {"%s 또는 그 이전에 본 버전이 없습니다", "no version was seen on or before %s"},
		"cli.error.no_raw":        {"%s 버전 %d의 원본 페이지는 보관되지 않았습니다", "no page was kept for %s version %d"},
		"cli.error.no_event":      {"%q라는 이벤트가 없습니다", "no event %q"},
		"cli.error.no_file":       {"파일이 없습니다: %s", "no such file: %s"},
		"cli.usage.format":        {"-format은 text 또는 json이어야 합니다 (%q가 아님)", "-format must be text or json, not %q"},
		"cli.usage.extract_src":   {"extract는 URL, FILE 또는 - 하나를 받습니다", "extract takes one URL, FILE or -"},
		"cli.usage.lang":          {"-lang은 ko 또는 en이어야 합니다", "-lang must be ko or en"},
	})
}
