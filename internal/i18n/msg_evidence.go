package i18n

// Words of the evidence commands (verify, backup, export) and bundles.
func init() {
	register(map[string]Message{
		"cli.cmd.verify.short": {"저장소 검사: 모든 기록 사슬, 버전, 블롭", "check the store: every chain of records, version and blob"},
		"cli.cmd.verify.long": {
			"저장소 전체(또는 백업 FILE)를 검사합니다: 모든 페이지에 대한 bbolt 일관성 검사, 대상마다의 기록 사슬,\n" +
				"기록과 각 버전의 대조, 모든 블롭의 SHA-256. 대상마다 처음 깨진 기록과 무엇이 다른지 보여줍니다.\n" +
				"'monitord run'이 저장소를 쓰고 있으면 그 API로 일관된 사본을 받아 검사합니다.\n\n" +
				"종료 코드: 0 온전함, 1 깨졌거나 읽을 수 없음, 2 잘못된 사용.",
			"Check the whole store (or FILE, e.g. a backup): bbolt's consistency check over every page,\n" +
				"every target's chain of records, every version against its record, every blob against its\n" +
				"SHA-256. Prints the first broken record of each target and what differs.\n" +
				"While 'monitord run' holds the store, a consistent copy is taken through its API and verified.\n\n" +
				"Exit status: 0 whole, 1 broken or unreadable, 2 bad usage.",
		},
		"cli.cmd.verify.example": {
			"monitord verify -config /etc/monitord/config.toml\nmonitord verify -format json backup.db",
			"monitord verify -config /etc/monitord/config.toml\nmonitord verify -format json backup.db",
		},
		"cli.cmd.backup.short": {"저장소의 일관된 사본을 씁니다 (run 실행 중에도)", "write a consistent copy of the store (also while run holds it)"},
		"cli.cmd.backup.long": {
			"저장소의 일관된 사본을 FILE에 씁니다. 사본은 bbolt 파일이며 모든 읽기 명령과 'monitord verify FILE'이 읽습니다.\n" +
				"'monitord run'이 저장소를 쓰고 있으면 그 API([server] listen, [server] token)를 통해 만듭니다.\n" +
				"사본은 다 쓰고 동기화한 뒤에 FILE 이름으로 바뀌므로, FILE이 반쯤 쓰인 채 남지 않습니다.",
			"Write a consistent copy of the store to FILE (a bbolt file that every reading command and\n" +
				"'monitord verify FILE' accept). While 'monitord run' holds the store, the copy is made\n" +
				"through its API ([server] listen, with [server] token). The copy is renamed to FILE only\n" +
				"once it is complete and synced, so FILE is never a partial copy.",
		},
		"cli.cmd.backup.example": {
			"monitord backup -config /etc/monitord/config.toml /var/backups/monitord.db\nmonitord verify /var/backups/monitord.db",
			"monitord backup -config /etc/monitord/config.toml /var/backups/monitord.db\nmonitord verify /var/backups/monitord.db",
		},
		"cli.flag.verify_verbose": {"대상마다 사슬의 머리(head)를 보여줌", "list every target's chain head"},
		"cli.flag.backup_verbose": {"사본을 어디서 받았고 크기가 얼마인지 알려줌", "say where the copy came from and how large it is"},
	})
}
