package i18n

// Words of `monitord notify test` (its help and its report).
func init() {
	register(map[string]Message{
		"cli.cmd.notify.short": {"알림 웹훅 도구: 'notify test'는 시험 메시지를 보냅니다", "notification tools: 'notify test' sends a test message"},
		"cli.cmd.notify.long": {
			"알림 웹훅을 다루는 명령입니다. 'monitord notify test [WEBHOOK]'은 설정된 웹훅마다 시험 메시지를 보내고 그 응답을 보여줍니다.",
			"Commands about the notification webhooks. 'monitord notify test [WEBHOOK]' sends a test message to each one and reports the answer.",
		},
		"cli.cmd.notify.example":    {"monitord notify test\nmonitord notify test slack-team", "monitord notify test\nmonitord notify test slack-team"},
		"cli.cmd.notify.test.short": {"웹훅마다 시험 메시지를 보내고 응답을 보여줍니다", "send a test message to each webhook and report the answer"},
		"cli.cmd.notify.test.long": {
			"설정된 모든 웹훅(또는 WEBHOOK 하나)에 지금 바로 시험 메시지(type \"monitord.test\")를 보내고, 받는 쪽의 응답을 보여줍니다.\n" +
				"알림 대기열(outbox)을 거치지 않으며 다시 시도하지 않습니다. 'monitord run'이 실행 중이어도 됩니다.\n\n" +
				"종료 코드: 0 모두 전송됨, 1 하나라도 실패, 2 잘못된 사용 또는 설정.",
			"Send a test message (type \"monitord.test\") to every configured webhook (or WEBHOOK) right now and\n" +
				"print each receiver's answer. It does not go through the outbox and is not retried; 'monitord run'\n" +
				"may be running.\n\n" +
				"Exit status: 0 all delivered, 1 any failed, 2 bad usage or configuration.",
		},
		"cli.cmd.notify.test.example": {
			"monitord notify test -config /etc/monitord/config.toml\nmonitord notify test privacy-mail\nmonitord notify test -format json",
			"monitord notify test -config /etc/monitord/config.toml\nmonitord notify test privacy-mail\nmonitord notify test -format json",
		},
		"cli.notify.ok":             {"전송됨 (%dms)", "delivered (%dms)"},
		"cli.notify.failed":         {"실패 (다시 시도해도 안 됨): %s", "failed (permanent): %s"},
		"cli.notify.failed_retry":   {"실패 (일시적, 알림은 다시 시도됨): %s", "failed (transient; alerts would be retried): %s"},
		"cli.notify.summary_failed": {"웹훅 %d개가 시험 메시지를 받지 못했습니다 (전체 %d개)", "%d webhook(s) did not take the test message (of %d)"},
		"cli.notify.unknown":        {"%q라는 웹훅이 없습니다; 설정된 웹훅: %s", "no webhook is named %q; configured: %s"},
		"cli.notify.none":           {"%s에 [[webhook]]이 없습니다", "%s has no [[webhook]]"},
	})
}
