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
		"evidence.report.title":          {"%s 개인정보 처리방침 변경 증거 (v%d → v%d)", "%s privacy policy change: evidence (v%d → v%d)"},
		"evidence.report.compared":       {"v%d (처음 확인 %s) → v%d (처음 확인 %s)", "v%d (first seen %s) → v%d (first seen %s)"},
		"evidence.report.compared_label": {"비교한 버전", "Versions compared"},
		"evidence.report.target":         {"대상", "Target"},
		"evidence.report.url":            {"주소", "URL"},
		"evidence.report.generated":      {"작성 시각", "Generated"},
		"evidence.report.verdict":        {"판정", "Verdict"},
		"evidence.report.evidence":       {"근거", "Evidence"},
		"evidence.report.kind":           {"종류", "Kind"},
		"evidence.report.at":             {"시각", "Time"},
		"evidence.report.what":           {"내용", "What"},
		"evidence.report.noviolation":    {"이 변경에서 고지 규칙 위반은 발견되지 않았습니다.", "No notice rule was broken by this change."},
		"evidence.report.datelines":      {"방침 본문의 날짜", "Dates on the page"},
		"evidence.report.version":        {"버전", "Version"},
		"evidence.report.field":          {"항목", "Field"},
		"evidence.report.date":           {"날짜", "Date"},
		"evidence.report.line":           {"본문의 줄", "Line on the page"},
		"evidence.report.nodateline":     {"본문에 없음", "not on the page"},
		"evidence.report.revised":        {"개정일", "Revised"},
		"evidence.report.board":          {"공지사항 증거", "Notice board evidence"},
		"evidence.report.posted":         {"게시", "posted"},
		"evidence.report.effective_on":   {"시행", "effective"},
		"evidence.report.noboard":        {"이 변경에 대해 기록된 공지사항 게시물이나 확인 기록이 없습니다.", "No notice board post or check was recorded for this change."},
		"evidence.report.diff":           {"변경 내용 (조항별 비교)", "What changed, section by section"},
		"evidence.report.observations":   {"관찰 기록", "Observations"},
		"evidence.report.first_seen":     {"처음 확인", "First seen"},
		"evidence.report.last_seen":      {"마지막 확인", "Last seen"},
		"evidence.report.response":       {"응답", "Response"},
		"evidence.report.page":           {"받은 페이지", "Page as fetched"},
		"evidence.report.nopage":         {"보관하지 않음", "not kept"},
		"evidence.report.text":           {"추출한 본문", "Extracted text"},
		"evidence.report.record":         {"사슬 기록", "Chain record"},
		"evidence.report.chain":          {"기록 사슬", "Chain of records"},
		"evidence.report.chain_about": {
			"각 기록은 앞 기록의 SHA-256을 담고 있어, 어느 기록을 고치거나 지우거나 순서를 바꾸면 그 뒤의 연결이 모두 맞지 않게 됩니다. 마지막 기록의 해시(head)를 따로 적어 두면 그 앞의 기록이 바뀌지 않았음을 나중에 증명할 수 있습니다.",
			"Each record holds the SHA-256 of the one before it: editing, deleting or reordering any record breaks every link after it. Whoever writes down the last record's hash (the head) can later prove that nothing before it changed.",
		},
		"evidence.report.prev":  {"앞 기록의 SHA-256", "Previous record's SHA-256"},
		"evidence.report.trust": {"기록 1–%d은 사슬 도입 전의 기록을 저장소 업그레이드 때 연결한 것입니다. 사슬이 증명하는 것은 기록 %d부터입니다.", "Records 1–%d link history stored before the chain existed (chained when the store was upgraded); the chain proves history from record %d on."},
		"evidence.report.howto": {"검증 방법", "How to check this bundle"},
		"evidence.report.howto_text": {
			"1. 파일: 묶음의 폴더에서 'sha256sum -c SHA256SUMS'를 실행하면 모든 파일의 SHA-256을 manifest.json과 같은 값으로 확인합니다.\n" +
				"2. 사슬: chain.json의 각 기록의 SHA-256은 다음 기록의 prev와 같아야 합니다. manifest.json의 chain_head를 따로 기록해 둔 값과 비교하십시오.\n" +
				"3. 저장소: monitord를 운영하는 쪽에서 'monitord verify'로 저장소 전체를 검사할 수 있습니다.",
			"1. Files: in the bundle's folder, 'sha256sum -c SHA256SUMS' checks every file against the SHA-256 in manifest.json.\n" +
				"2. Chain: each record's SHA-256 in chain.json equals the next record's prev. Compare manifest.json's chain_head with a head recorded elsewhere.\n" +
				"3. Store: whoever runs monitord can check the whole store with 'monitord verify'.",
		},
		"evidence.kind.version":    {"새 버전", "new version"},
		"evidence.kind.failure":    {"실패한 확인", "failed check"},
		"evidence.kind.checkpoint": {"계속 확인됨", "still seen"},
		"cli.cmd.export.short":     {"변경 하나의 증거 묶음(zip)을 만듭니다", "write the evidence bundle of a change (zip)"},
		"cli.cmd.export.long": {
			"대상의 변경 하나를 증거 묶음으로 씁니다: 받은 그대로의 페이지, 추출한 본문, 응답 헤더, 시각(KST와 RFC 3339),\n" +
				"모든 SHA-256과 사슬 연결을 담은 manifest.json과 SHA256SUMS, 근거가 붙은 판정, 그리고 조항별 비교와\n" +
				"본문의 날짜, 공지사항 증거를 담은 report.html(외부 자원 없음, 인쇄용). FROM, TO가 없으면 마지막 변경\n" +
				"(마지막 두 버전)을, FROM만 있으면 FROM부터 최신 버전까지를 씁니다.",
			"Write one change of a target as an evidence bundle: the pages as fetched, the extracted texts, the\n" +
				"response headers, timestamps (KST and RFC 3339), a manifest.json and SHA256SUMS with every SHA-256\n" +
				"and the chain links, the verdict with its basis and evidence, and a self-contained report.html\n" +
				"(no external assets; prints well) with the side-by-side section diff, the page's date lines and\n" +
				"the notice-board evidence. Without FROM and TO: the latest change (the last two versions); with\n" +
				"FROM only: FROM up to the latest version.",
		},
		"cli.cmd.export.example": {
			"monitord export naver -o naver.zip\nmonitord export naver 3 4 -o naver-v3-v4.zip\nmonitord export naver -format dir -o naver-evidence/\ncd naver-evidence && sha256sum -c SHA256SUMS",
			"monitord export naver -o naver.zip\nmonitord export naver 3 4 -o naver-v3-v4.zip\nmonitord export naver -format dir -o naver-evidence/\ncd naver-evidence && sha256sum -c SHA256SUMS",
		},
		"cli.flag.export_output":  {"쓸 파일(zip) 또는 폴더(dir); zip은 '-'이면 표준 출력 (기본값 NAME-evidence.zip)", "file (zip) or folder (dir) to write; '-' writes the zip to stdout (default NAME-evidence.zip)"},
		"cli.flag.export_format":  {"묶음 형식: zip 또는 dir", "bundle format: zip or dir"},
		"cli.flag.export_verbose": {"어디에 얼마나 썼는지 알려줌", "say what was written and how large it is"},
		"cli.flag.verify_verbose": {"대상마다 사슬의 머리(head)를 보여줌", "list every target's chain head"},
		"cli.flag.backup_verbose": {"사본을 어디서 받았고 크기가 얼마인지 알려줌", "say where the copy came from and how large it is"},
	})
}

// Result lines of verify, backup and export (cmd/monitord).
func init() {
	register(map[string]Message{
		"cli.verify.progress":        {"검사 중 (%s): %d/%d", "verifying %s: %d/%d"},
		"cli.verify.stage.structure": {"구조", "structure"},
		"cli.verify.stage.chains":    {"기록 사슬", "chains"},
		"cli.verify.stage.blobs":     {"블롭", "blobs"},
		"cli.verify.unreadable":      {"%s을(를) 읽을 수 없습니다: %v", "%s cannot be read: %v"},
		"cli.verify.via_copy":        {"%s (%s에서 받은 일관된 사본)", "%s (a consistent copy taken through %s)"},
		"cli.verify.copy_failed":     {"%s에서 검사할 사본을 받지 못했습니다", "take a copy through %s to verify"},
		"cli.verify.store":           {"(저장소)", "(store)"},
		"cli.verify.bbolt":           {"bbolt: %s", "bbolt: %s"},
		"cli.verify.broken_at":       {"%s: 기록 %d에서 깨짐: %s", "%s: broken at record %d: %s"},
		"cli.verify.problem":         {"%s: %s", "%s: %s"},
		"cli.verify.also":            {"%s:   또한: %s", "%s:   also: %s"},
		"cli.verify.more":            {"%s:   ... 더 있음 (monitord verify -format json이 모든 문제를 보여줍니다)", "%s:   ... more (monitord verify -format json lists every problem)"},
		"cli.verify.chain_whole":     {"사슬 전체", "whole chain"},
		"cli.verify.chain_migrated":  {"기록 %d 이전은 업그레이드 때 사슬로 이어졌으며, 기록 %d부터 증명됩니다", "records before %d were chained on upgrade; proven from record %d"},
		"cli.verify.chain_ok":        {"정상", "ok"},
		"cli.verify.chain_broken":    {"깨짐", "BROKEN"},
		"cli.verify.chain":           {"%s: %s, 기록 %d개, 헤드 %s (%s)", "%s: %s, %d records, head %s (%s)"},
		"cli.verify.whole":           {"온전함", "whole"},
		"cli.verify.broken":          {"깨짐 (문제 %d개)", "BROKEN (%d problems)"},
		"cli.verify.summary": {
			"%s: %s: 대상 %d개, 기록 %d개, 버전 %d개, 블롭 %d개 (%s)를 %s에 검사했습니다",
			"%s: %s: %d targets, %d records, %d versions, %d blobs (%s) checked in %s",
		},
		"cli.verify.migrated": {
			"대상 %d개에 사슬이 생기기 전의 기록이 있습니다: 이어져 있지만 -v가 보여주는 기록부터만 증명됩니다",
			"%d targets hold history from before the chain existed: it is linked but proven only from the record -v names",
		},
		"cli.evidence.via_store":  {"저장소 %s", "store %s"},
		"cli.evidence.via_daemon": {"데몬 %s", "daemon %s"},
		"cli.evidence.no_backup":  {"이 출처는 백업을 만들 수 없습니다", "this source cannot make backups"},
		"cli.backup.itself":       {"%s은(는) 저장소 자체입니다: 사본은 다른 파일에 쓰세요", "%s is the store itself: write the copy to another file"},
		"cli.backup.failed":       {"%s을(를) 백업하지 못했습니다", "back up %s"},
		"cli.backup.wrote":        {"monitord backup: %s의 사본을 %s에 썼습니다: %s (%d바이트)", "monitord backup: copied %s to %s: %s (%d bytes)"},
		"cli.export.wrote":        {"monitord export: %s에 묶음을 썼습니다 (압축 %s, %d바이트, 출처 %s)", "monitord export: wrote %s (%s zipped, %d bytes, from %s)"},
		"cli.export.failed":       {"%s을(를) 쓰지 못했습니다", "write %s"},
		"cli.export.bad_id":       {"%q는 버전 번호가 아닙니다 ('monitord history'가 보여주는 1, 2, ...)", "%q is not a version id (1, 2, ... as 'monitord history' prints them)"},
		"cli.export.format":       {"-format은 zip 또는 dir이어야 합니다 (%q가 아님)", "-format must be zip or dir, not %q"},
		"cli.export.unzip":        {"묶음을 읽을 수 없습니다", "read the bundle"},
		"cli.export.nonempty":     {"%s이(가) 비어 있지 않습니다: 새 디렉터리로 내보내세요", "%s is not empty: export into a new directory"},
	})
}
