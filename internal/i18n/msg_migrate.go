package i18n

// Words of `monitord migrate` (issue 15: a bbolt store into PostgreSQL).
func init() {
	register(map[string]Message{
		"cli.cmd.migrate.short": {"bbolt 저장소를 PostgreSQL로 옮깁니다 (검사 후 양쪽 비교)", "copy a bbolt store into PostgreSQL (verified, both sides compared)"},
		"cli.cmd.migrate.long": {
			"bbolt 저장소 FILE의 모든 기록을 PostgreSQL 데이터베이스로 그대로 복사합니다: 대상 상태, 버전, 블롭, 실패,\n" +
				"공지 게시판, 이벤트와 전송 상태, 기록 사슬. 사슬의 해시가 그대로 남으므로 양쪽의 verify 결과가 같습니다.\n" +
				"데이터베이스는 -dsn 또는 설정의 [storage] dsn입니다. 비어 있어야 하며, 같은 FILE에서 중단된 복사는\n" +
				"다시 실행하면 이어서 복사합니다. 복사 전에 FILE을, 복사 후에 데이터베이스를 검사하고 개수와 사슬 머리를 비교합니다.\n" +
				"'monitord run'이 FILE을 쓰고 있으면 먼저 멈추십시오.\n\n" +
				"종료 코드: 0 복사되고 양쪽이 같음, 1 실패·깨짐·불일치, 2 잘못된 사용.",
			"Copy every record of the bbolt store FILE into a PostgreSQL database verbatim: target states,\n" +
				"versions, blobs, failures, notice boards, events and their delivery states, the chains of\n" +
				"records. Chain hashes are kept, so verify agrees on both sides.\n" +
				"The database is -dsn, or the configuration's [storage] dsn. It must be empty; a copy of the\n" +
				"same FILE that was interrupted resumes when run again. FILE is verified before the copy, the\n" +
				"database after it, and the counts and every chain head are compared.\n" +
				"Stop 'monitord run' on FILE first.\n\n" +
				"Exit status: 0 copied and both sides agree, 1 failed, broken or different, 2 bad usage.",
		},
		"cli.cmd.migrate.example": {
			"monitord migrate -from /var/lib/monitord/monitord.db -to postgres -config /etc/monitord/config.toml\n" +
				"MONITORD_DSN=postgres://monitord@db/monitord monitord migrate -from monitord.db -to postgres -dsn \"$MONITORD_DSN\"",
			"monitord migrate -from /var/lib/monitord/monitord.db -to postgres -config /etc/monitord/config.toml\n" +
				"MONITORD_DSN=postgres://monitord@db/monitord monitord migrate -from monitord.db -to postgres -dsn \"$MONITORD_DSN\"",
		},
		"cli.flag.migrate_from": {"옮길 bbolt 저장소 파일", "the bbolt store file to copy"},
		"cli.flag.migrate_to":   {"옮길 곳의 드라이버: postgres", "the driver to copy into: postgres"},
		"cli.flag.migrate_dsn":  {"PostgreSQL 연결 문자열 (기본: 설정의 [storage] dsn)", "the PostgreSQL connection string (default: the configuration's [storage] dsn)"},

		"cli.migrate.no_from": {"-from FILE이 필요합니다: 옮길 bbolt 저장소", "-from FILE is required: the bbolt store to copy"},
		"cli.migrate.bad_to":  {"-to %q: 옮길 수 있는 곳은 postgres뿐입니다", "-to %q: the only driver to copy into is postgres"},
		"cli.migrate.no_dsn": {"%s에 PostgreSQL이 없습니다: -dsn을 주거나 [storage] driver = \"postgres\"와 dsn을 설정하십시오",
			"%s names no PostgreSQL database: give -dsn, or set [storage] driver = \"postgres\" and dsn"},
		"cli.migrate.in_use": {"%s을(를) 'monitord run'이 쓰고 있습니다: 멈춘 뒤 다시 실행하십시오 (백업 파일을 옮겨도 됩니다: monitord backup FILE)",
			"%s is held by 'monitord run': stop it and run migrate again (or migrate a backup: monitord backup FILE)"},
		"cli.migrate.no_db":     {"데이터베이스를 열 수 없습니다: %v", "cannot open the database: %v"},
		"cli.migrate.verifying": {"검사 중: %s", "verifying %s"},
		"cli.migrate.source_broken": {"%s이(가) 깨져 있어 옮기지 않았습니다: 위의 문제를 보십시오 (monitord verify)",
			"%s is broken, nothing was copied: see the problems above (monitord verify)"},
		"cli.migrate.progress":  {"복사 중: %s", "copying: %s"},
		"cli.migrate.not_empty": {"%v", "%v"},
		"cli.migrate.failed": {"복사 실패: %v; 같은 명령을 다시 실행하면 이어서 복사합니다 (%s)",
			"copy failed: %v; run the same command again to resume (%s)"},
		"cli.migrate.copied":      {"복사함: %s (%v)", "copied: %s (%v)"},
		"cli.migrate.copy_broken": {"%s의 사본이 깨져 있습니다: 위의 문제를 보십시오", "the copy in %s is broken: see the problems above"},
		"cli.migrate.differs":     {"다름: %s", "differs: %s"},
		"cli.migrate.mismatch":    {"%s와(과) %s이(가) 다릅니다", "%s and %s differ"},
		"cli.migrate.done": {"%s → %s: 옮기고 검사함, 양쪽이 같음 (사슬 %d개; %s)",
			"%s → %s: copied and verified, both sides agree (%d chains; %s)"},
		"cli.migrate.kind.blob":     {"블롭 %d", "blobs %d"},
		"cli.migrate.kind.target":   {"대상 %d", "targets %d"},
		"cli.migrate.kind.version":  {"버전 %d", "versions %d"},
		"cli.migrate.kind.failure":  {"실패 %d", "failures %d"},
		"cli.migrate.kind.chain":    {"사슬 기록 %d", "chain records %d"},
		"cli.migrate.kind.board":    {"게시판 %d", "boards %d"},
		"cli.migrate.kind.event":    {"이벤트 %d", "events %d"},
		"cli.migrate.kind.delivery": {"전송 %d", "deliveries %d"},
	})
}
