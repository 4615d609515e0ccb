package i18n

// Configuration errors (internal/config): FILE:LINE: key: what is wrong and
// what would be valid. The English of each entry is the very format the
// config package writes (config.cerr finds the key by it), so logs, tests
// and the English rendering say the same. Arguments are values (Msg.Vals):
// %q, %d and %s as in the English; an error argument renders in the
// reader's language.
func init() {
	register(map[string]Message{
		"config.error.at":   {"%s", "%s"},
		"config.error.text": {"%s", "%s"},

		"config.unknown_key":         {"알 수 없는 키 %s", "unknown key %s"},
		"config.unknown_key.suggest": {" (%s을(를) 쓰려던 것인가요?)", " (did you mean %s?)"},
		"config.unknown_key.valid":   {"; 여기에 쓸 수 있는 키: %s", "; valid keys here: %s"},
		"config.toml_syntax":         {"TOML 문법이 올바르지 않습니다(%d열): %s", "invalid TOML at column %d: %s"},

		"config.dup_target": {
			"대상 이름 %q이(가) 중복됩니다. 이미 target[%d](%s)에서 썼습니다: 대상 이름은 서로 달라야 합니다",
			"duplicate target name %q, already used by target[%d] at %s; target names must be unique",
		},
		"config.dup_webhook": {
			"웹훅 이름 %q이(가) 중복됩니다. 이미 webhook[%d](%s)에서 썼습니다: 웹훅 이름은 서로 달라야 합니다",
			"duplicate webhook name %q, already used by webhook[%d] at %s; webhook names must be unique",
		},
		"config.postgres_dsn": {
			`"postgres"에는 [storage] dsn(접속 문자열)이 필요합니다: 예) "env:MONITORD_DSN"과 MONITORD_DSN="postgres://monitord@db.example.kr/monitord"`,
			`"postgres" needs [storage] dsn: the connection string, such as "env:MONITORD_DSN" with MONITORD_DSN="postgres://monitord@db.example.kr/monitord"`,
		},
		"config.path_empty": {"비어 있으면 안 됩니다: bbolt 파일을 적으세요. 예) %q", "must not be empty: give the bbolt file, such as %q"},
		"config.path_nul":   {"NUL 바이트가 들어 있으면 안 됩니다", "must not contain a NUL byte"},
		"config.connect_timeout": {
			"%s은(는) 요청 전체의 한도인 fetch.timeout(%s)보다 깁니다: 더 짧게 하세요",
			"%s is longer than fetch.timeout (%s), which bounds the whole request: make it shorter",
		},
		"config.max_body": {
			`1KiB에서 1GiB 사이여야 하는데 %d바이트입니다: 예) "10MiB"처럼 크기를 적으세요`,
			`must be between 1KiB and 1GiB, got %d bytes; write a size such as "10MiB"`,
		},
		"config.per_host": {"1에서 fetch.concurrency(%d) 사이여야 하는데 %d입니다", "must be between 1 and fetch.concurrency (%d), got %d"},
		"config.user_agent_empty": {
			"비어 있으면 안 됩니다: 사이트가 누가 읽는지 알아야 합니다. 기본값 %q을(를) 쓰려면 키를 지우세요",
			"must not be empty: sites should see who is fetching; remove the key for the default %q",
		},
		"config.user_agent_invalid": {
			"HTTP 헤더에 쓸 수 있는 값이어야 합니다(제어 문자나 줄바꿈 금지)",
			"must be a valid HTTP header value (no control characters or line breaks)",
		},
		"config.browser": {
			"Chromium 실행 파일의 이름(PATH에서 찾음)이나 경로여야 합니다. 기본값 %q을(를) 쓰려면 키를 지우세요",
			"must name the Chromium executable (looked up on PATH) or its path; remove the key for the default %q",
		},
		"config.listen_token": {
			`%q은(는) 루프백 주소가 아니므로 server.token이 필요합니다(예: token = "env:MONITORD_TOKEN"). 아니면 127.0.0.1에서 들으세요`,
			`%q is not a loopback address, so server.token is required (such as token = "env:MONITORD_TOKEN"); or listen on 127.0.0.1`,
		},
		"config.base_url_parse": {
			`%q은(는) 주소가 아닙니다: 웹 화면을 여는 주소를 적으세요. 예) "https://monitord.example.kr"`,
			`%q is not a URL: write the address people open the web UI at, such as "https://monitord.example.kr"`,
		},
		"config.base_url_abs": {
			`%q은(는) http:// 또는 https://로 시작하는 절대 주소여야 합니다. 예) "https://monitord.example.kr"`,
			`%q must be an absolute http:// or https:// URL, such as "https://monitord.example.kr"`,
		},
		"config.base_url_extra": {
			"%q에는 쿼리, 프래그먼트, 사용자 이름이 없어야 합니다: 스킴, 호스트, 그리고 선택적인 경로 접두사만 적으세요",
			"%q must hold no query, fragment or user name: only scheme, host and an optional path prefix",
		},
		"config.token_short": {
			"너무 짧습니다: %d자 이상으로 하세요. 예) `openssl rand -hex 16`의 출력",
			"too short: use at least %d characters, such as the output of `openssl rand -hex 16`",
		},
		"config.token_chars": {
			"공백 없는 인쇄 가능한 ASCII여야 합니다(bearer 토큰으로 보냅니다)",
			"must be printable ASCII without spaces (it is sent as a bearer token)",
		},
		"config.listen_addr": {
			`주소 %q이(가) 올바르지 않습니다: "127.0.0.1:8080"이나 "[::1]:8080"처럼 host:port를 적거나, 서버를 끄려면 ""을 적으세요`,
			`invalid address %q: write host:port such as "127.0.0.1:8080" or "[::1]:8080", or "" to disable the server`,
		},
		"config.listen_port": {
			"%q의 포트 %q이(가) 올바르지 않습니다: 0에서 65535 사이의 숫자여야 합니다",
			"invalid port %q in %q: must be a number from 0 to 65535",
		},
		"config.target_url_missing": {
			"없습니다: [[target]]마다 처리방침 페이지의 http 또는 https 주소가 필요합니다",
			"missing: every [[target]] needs the http or https URL of its policy page",
		},
		"config.url_invalid": {"주소 %q이(가) 올바르지 않습니다: %w", "invalid URL %q: %w"},
		"config.selector_invalid": {
			"CSS 선택자 %q이(가) 올바르지 않습니다: %w",
			"invalid CSS selector %q: %w",
		},
		"config.notice_url_invalid": {
			`주소 %q이(가) 올바르지 않습니다: %w. 게시판을 찾게 하려면 %q, 없으면 ""을 적으세요`,
			`invalid URL %q: %w; or write %q to find the board, "" for none`,
		},
		"config.email_url_missing": {
			"없습니다: 전자우편 [[webhook]]에는 SMTP 서버가 필요합니다. smtp://host:587(STARTTLS) 또는 smtps://host:465(TLS)",
			"missing: an e-mail [[webhook]] needs its SMTP server, smtp://host:587 (STARTTLS) or smtps://host:465 (TLS)",
		},
		"config.webhook_url_missing": {
			"없습니다: [[webhook]]마다 POST로 보낼 http 또는 https 주소가 필요합니다",
			"missing: every [[webhook]] needs the http or https URL to POST to",
		},
		"config.smtp_url_invalid": {
			"SMTP 서버 주소가 올바르지 않습니다(비밀 값이라 보여주지 않음): %w",
			"invalid SMTP server URL (value not shown, it is a secret): %w",
		},
		"config.secret_url_invalid": {
			"주소가 올바르지 않습니다(비밀 값이라 보여주지 않음): %w",
			"invalid URL (value not shown, it is a secret): %w",
		},
		"config.secret_format": {
			"형식 %q만 요청에 서명합니다: secret을 지우거나 format = %q로 하세요",
			"only format %q signs its requests; remove the secret or use format = %q",
		},
		"config.events_empty": {
			"이벤트(%s)를 하나 이상 적거나, 모두 받으려면 키를 지우세요",
			"must list at least one event (%s), or be left out for all",
		},
		"config.event_unknown": {"알 수 없는 이벤트 %q: 다음 중 하나여야 합니다: %s", "unknown event %q: must be one of %s"},
		"config.event_twice":   {"이벤트 %q을(를) 두 번 적었습니다", "event %q is listed twice"},
		"config.target_unknown": {
			"%q(이)라는 [[target]]이 없습니다: 대상의 이름을 쓰거나, 모든 대상이면 targets를 지우세요",
			"no [[target]] is named %q: use the name of a target, or leave targets out for all",
		},
		"config.target_twice": {"대상 %q을(를) 두 번 적었습니다", "target %q is listed twice"},
		"config.url_parse_secret": {
			"주소로 읽을 수 없습니다: http 또는 https로 시작하는 절대 주소를 적으세요",
			"it does not parse as a URL; write an absolute http or https URL",
		},
		"config.url_parse":  {"%w: http 또는 https로 시작하는 절대 주소를 적으세요", "%w; write an absolute http or https URL"},
		"config.url_scheme": {`스킴은 "http" 또는 "https"여야 합니다`, `scheme must be "http" or "https"`},
		"config.url_host": {
			"호스트가 없습니다: 예) https://example.kr/privacy처럼 절대 주소를 적으세요",
			"missing host; write an absolute URL such as https://example.kr/privacy",
		},
		"config.selector_empty": {"선택자가 비어 있습니다", "empty selector"},
		"config.signing_secret": {
			"\"whsec_\" 뒤에 임의의 16바이트 이상을 base64로 적어야 합니다(예: \"whsec_\" + `openssl rand -base64 32`의 출력)",
			"must be \"whsec_\" followed by the base64 of at least 16 random bytes (such as \"whsec_\" + the output of `openssl rand -base64 32`)",
		},
		"config.zone_hint":    {`"Asia/Seoul" 같은 IANA 시간대 이름이어야 합니다`, `must be an IANA time zone name such as "Asia/Seoul"`},
		"config.zone_empty":   {"%q: %s", "%q: %s"},
		"config.zone_unknown": {"알 수 없는 시간대 %q: %s", "unknown time zone %q: %s"},
		"config.name_missing": {
			"없습니다: [[%s]]마다 이름(영문자, 숫자, '.', '_', '-')이 필요합니다",
			"missing: every [[%s]] needs a name (letters, digits, '.', '_', '-')",
		},
		"config.name_invalid": {
			"이름 %q이(가) 올바르지 않습니다: 영문자나 숫자로 시작하는 1~%d자의 영문자, 숫자, '.', '_', '-'를 쓰세요",
			"invalid name %q: use 1 to %d letters, digits, '.', '_' or '-', starting with a letter or digit",
		},
		"config.one_of":         {"값 %q이(가) 올바르지 않습니다: 다음 중 하나여야 합니다: %s", "invalid value %q: must be one of %s"},
		"config.int_range":      {"%d에서 %d 사이여야 하는데 %d입니다", "must be between %d and %d, got %d"},
		"config.duration_range": {"%s에서 %s 사이여야 하는데 %s입니다", "must be between %s and %s, got %s"},
		"config.schedule_help": {
			`"분 시 일 월 요일" 다섯 칸(예: "0 */6 * * *")이나 @hourly, @daily, @weekly, @monthly, @yearly, "@every 1h" 같은 설명자를 쓰세요`,
			`use 5 fields "minute hour day-of-month month day-of-week" such as "0 */6 * * *", or a descriptor: @hourly, @daily, @weekly, @monthly, @yearly, "@every 1h"`,
		},
		"config.schedule_empty": {"일정이 비어 있습니다: %s", "empty schedule: %s"},
		"config.cron_tz": {
			"cron 일정 %q이(가) 올바르지 않습니다: 시간대 접두사는 쓸 수 없고, 일정은 notice.timezone 기준으로 돕니다",
			"invalid cron spec %q: time zone prefixes are not supported, schedules run in notice.timezone",
		},
		"config.cron_parse": {"cron 일정 %q이(가) 올바르지 않습니다: %w. %s", "invalid cron spec %q: %w; %s"},
		"config.cron_interval": {
			"cron 일정 %q이(가) 올바르지 않습니다: 간격은 %s 이상이어야 합니다",
			"invalid cron spec %q: interval must be at least %s",
		},
		"config.cron_never": {
			"cron 일정 %q은(는) 한 번도 돌지 않습니다(없는 날짜). %s",
			"invalid cron spec %q: it never fires (no such date); %s",
		},
		"config.template_format": {
			"template은 채팅과 전자우편 형식에만 씁니다: 형식 %q은(는) 이벤트를 그대로 보냅니다",
			"only chat and e-mail formats take a template; format %q sends the event as is",
		},
		"config.template_parse": {"Go text/template으로 읽을 수 없습니다: %w", "does not parse as a Go text/template: %w"},
		"config.email_only": {
			"형식 %q에만 씁니다: 키를 지우거나 format = %q로 하세요",
			"only applies to format %q; remove it or set format = %q",
		},
		"config.from_missing": {
			`없습니다: 전자우편 웹훅에는 보내는 사람이 필요합니다. 예) "monitord <monitord@example.kr>"`,
			`missing: an e-mail webhook needs a sender, such as "monitord <monitord@example.kr>"`,
		},
		"config.from_invalid": {
			`%q은(는) 전자우편 주소가 아닙니다(%v): 예) "monitord <monitord@example.kr>"처럼 적으세요`,
			`%q is not an e-mail address (%v); write one such as "monitord <monitord@example.kr>"`,
		},
		"config.to_missing": {
			`없습니다: 받는 사람을 적으세요. 예) ["privacy@example.kr"]`,
			`missing: list the recipients, such as ["privacy@example.kr"]`,
		},
		"config.to_invalid": {"%q은(는) 전자우편 주소가 아닙니다(%v)", "%q is not an e-mail address (%v)"},
		"config.smtp_auth": {
			"없습니다: SMTP AUTH에는 username과 password가 둘 다 있거나 둘 다 없어야 합니다",
			"missing: SMTP AUTH needs both username and password, or neither",
		},
		"config.smtp_parse": {
			"주소로 읽을 수 없습니다: smtp://host:587 또는 smtps://host:465를 적으세요",
			"it does not parse as a URL; write smtp://host:587 or smtps://host:465",
		},
		"config.smtp_scheme": {
			`스킴은 "smtp"(STARTTLS 필수) 또는 "smtps"(TLS)여야 합니다`,
			`scheme must be "smtp" (STARTTLS, required) or "smtps" (TLS)`,
		},
		"config.smtp_host": {"호스트가 없습니다: smtp://host:587을 적으세요", "missing host; write smtp://host:587"},
		"config.smtp_userinfo": {
			"인증 정보는 주소가 아니라 username과 password에 적으세요",
			"put the credentials in username and password, not in the URL",
		},
		"config.open": {
			"config: %s을(를) 열 수 없습니다: %w (-config로 config.toml의 경로를 주세요)",
			"config: open %s: %w (pass the path of config.toml with -config)",
		},
		"config.too_big": {
			"config: %s이(가) %d바이트보다 큽니다: 정말 config.toml인가요?",
			"config: %s is larger than %d bytes: is it really config.toml?",
		},
		"config.want_string":  {"문자열이어야 하는데 %s입니다", "must be a string, got %s"},
		"config.int_overflow": {"정수 %d은(는) 범위를 벗어납니다", "integer %d is out of range"},
		"config.want_int":     {"정수여야 하는데 %s입니다", "must be an integer, got %s"},
		"config.want_bool":    {"true 또는 false여야 하는데 %s입니다", "must be true or false, got %s"},
		"config.want_strings": {`["a", "b"] 같은 문자열 배열이어야 하는데 %s입니다`, `must be an array of strings such as ["a", "b"], got %s`},
		"config.duration_invalid": {
			`기간 %q이(가) 올바르지 않습니다: "500ms", "30s", "1h30m"처럼 숫자와 단위(ms, s, m, h)를 적으세요`,
			`invalid duration %q: write a number with a unit (ms, s, m, h), such as "500ms", "30s" or "1h30m"`,
		},
		"config.want_duration": {
			`"30s"나 "10m"처럼 단위가 있는 기간 문자열이어야 하는데 %s입니다`,
			`must be a duration string with a unit, such as "30s" or "10m", got %s`,
		},
		"config.want_size": {
			`바이트 수나 "10MiB" 같은 크기여야 하는데 %s입니다`,
			`must be a number of bytes or a size such as "10MiB", got %s`,
		},
		"config.env_name": {
			`"env:NAME"의 환경 변수 이름 %q이(가) 올바르지 않습니다: 숫자로 시작하지 않는 영문자, 숫자, _를 쓰세요`,
			`invalid environment variable name %q in "env:NAME": use letters, digits and _, not starting with a digit`,
		},
		"config.env_unset": {
			"환경 변수 %s이(가) 없거나 비어 있습니다: monitord를 시작하기 전에 export하거나 값을 여기에 적으세요",
			"environment variable %s is not set or is empty: export it before starting monitord, or write the value here",
		},
		"config.want_secret": {`문자열(또는 "env:NAME")이어야 하는데 %s입니다`, `must be a string (or "env:NAME"), got %s`},
		"config.size_invalid": {
			`크기 %q이(가) 올바르지 않습니다: 바이트 수를 정수로 적거나 정수에 단위(B, KB, KiB, MB, MiB, GB, GiB)를 붙이세요. 예) "10MiB"`,
			`invalid size %q: write an integer number of bytes or an integer with a unit (B, KB, KiB, MB, MiB, GB, GiB), such as "10MiB"`,
		},
		"config.size_large": {"크기 %q이(가) 너무 큽니다", "size %q is too large"},
		"config.want_table": {
			"표여야 합니다: [%s]을(를) 적고 그 아래에 키를 적으세요",
			"must be a table: write [%s] and its keys below it",
		},
		"config.want_schedule_table": {
			"표여야 합니다: [schedule]을 적고 그 아래에 키를 적으세요. 대상 하나의 schedule은 그 [[target]] 안에 적습니다",
			"must be a table: write [schedule] and its keys below it; a target's own schedule goes inside its [[target]]",
		},
		"config.want_array_tables": {
			"표의 배열이어야 합니다: %s마다 그 키들 위에 [[%s]]를 적으세요",
			"must be an array of tables: write [[%s]] above each %s's keys",
		},
		"config.got.string": {"문자열", "a string"},
		"config.got.int":    {"정수(%d)", "an integer (%d)"},
		"config.got.float":  {"실수", "a float"},
		"config.got.bool":   {"참/거짓 값", "a boolean"},
		"config.got.array":  {"배열", "an array"},
		"config.got.table":  {"표", "a table"},
		"config.got.time":   {"날짜나 시각", "a date or time"},
		"config.got.other":  {"%T 값", "a %T"},
	})
}
