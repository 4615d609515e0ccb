package i18n

// The words of `monitord demo`.
func init() {
	register(map[string]Message{
		"demo.intro": {"monitord 데모: 127.0.0.1에서 예제 사이트 두 곳(UTF-8, EUC-KR)과 웹훅 수신기를 띄웠습니다.",
			"monitord demo: two sample sites (UTF-8 and EUC-KR) and a webhook receiver are running on 127.0.0.1."},
		"demo.pass1": {"1차 점검: 처음 수집", "first check: baseline"},
		"demo.story": {"데모쇼핑이 처리방침을 바꿨습니다: 제3자 제공 조항이 생기고 보유기간이 늘었으며, 공고일자는 %s로 소급해 적었습니다.",
			"demo-shop changed its policy: a third-party provision appeared, retention grew, and the 공고일자 was backdated to %s."},
		"demo.pass2":    {"2차 점검: 변경 감지", "second check: the change"},
		"demo.history":  {"저장된 버전 (monitord history demo-shop)", "stored versions (monitord history demo-shop)"},
		"demo.diff":     {"조항별 변경 내용 (monitord diff demo-shop)", "section diff (monitord diff demo-shop)"},
		"demo.received": {"웹훅 수신기가 받은 알림 (서명 검증됨)", "alerts the webhook receiver got (signatures verified)"},
		"demo.json":     {"변경 알림의 JSON 본문 (policy.changed):", "the JSON body of the change alert (policy.changed):"},
		"demo.history.header": {"번호\t처음 본 때\t공고일자\t시행일자\t위반",
			"ID\tFIRST SEEN\tANNOUNCED\tEFFECTIVE\tVIOLATIONS"},
		"demo.done": {"데모가 끝났습니다. 실제 사이트를 지켜보려면 config.toml에 대상을 적고 'monitord run'을 실행하세요.",
			"Demo done. To watch real sites, list them in config.toml and run 'monitord run'."},
		"demo.ui":      {"웹 화면", "web UI"},
		"demo.ui.open": {"브라우저로 여세요 (대상 목록, 그리고 위반이 있는 변경의 조항별 비교):", "Open in a browser (the targets, and the side-by-side diff of the violating change):"},
		"demo.ui.stop": {"Ctrl+C로 끝냅니다.", "Press Ctrl+C to stop."},
	})
}
