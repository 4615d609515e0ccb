package i18n

// Why a page could not be read (internal/fetch's Error, and the checks of
// internal/monitor that refuse a page): what failed and what to do. Every
// argument is text (Msg), hence %s throughout. Shown in check output, the
// web UI, chat and e-mail; logs keep the English error chain.
func init() {
	register(map[string]Message{
		"fetch.error.where":          {" (GET %s)", " (GET %s)"},
		"fetch.error.where_attempts": {" (GET %s, %s번 시도)", " (GET %s, after %s attempts)"},
		"fetch.error.invalid_url": {
			"주소 %s은(는) http 또는 https로 시작하는 절대 주소가 아닙니다: 대상의 url을 고치세요",
			"%s is not an absolute http or https URL: fix the target's url",
		},
		"fetch.error.dns": {
			"호스트 %s을(를) 찾을 수 없습니다(DNS): 대상 주소의 호스트 이름을 확인하세요",
			"host %s not found (DNS): check the host name in the target URL",
		},
		"fetch.error.dns_failed": {
			"호스트 %s의 주소를 알아내지 못했습니다(DNS 조회 실패): 네트워크와 DNS 설정을 확인하세요. 다음 검사에서 다시 시도합니다",
			"could not look up host %s (DNS lookup failed): check the network and the DNS settings; the next check tries again",
		},
		"fetch.error.tls": {
			"%s의 TLS 인증서를 신뢰할 수 없습니다: 사이트 인증서의 문제라 다시 시도해도 소용없습니다. 브라우저로 열어 인증서를 확인하세요",
			"the TLS certificate of %s is not trusted: it is the site's certificate, so retrying will not help; open the page in a browser to check it",
		},
		"fetch.error.refused": {
			"%s이(가) 연결을 거부했습니다: 서버가 꺼져 있거나 포트가 틀렸습니다. 대상 주소의 포트를 확인하세요",
			"%s refused the connection: the server is down or the port is wrong; check the port in the target URL",
		},
		"fetch.error.timeout": {
			"제한 시간 안에 응답을 다 받지 못했습니다(요청 %s, 연결 %s): 사이트가 느리다면 fetch.timeout을 늘리세요",
			"no complete response in time (request %s, connect %s): if the site is slow, raise fetch.timeout",
		},
		"fetch.error.stopped": {
			"검사가 중단되었습니다(종료 또는 취소): 다음 검사에서 다시 읽습니다",
			"the check was stopped (shutdown or cancellation): the next check reads the page again",
		},
		"fetch.error.reset": {
			"%s이(가) 응답 도중 연결을 끊었습니다: 다음 검사에서 다시 시도합니다",
			"%s cut the connection in the middle of the response: the next check tries again",
		},
		"fetch.error.body": {
			"%s의 응답 본문을 끝까지 읽지 못했습니다(끊겼거나 gzip이 깨짐): 다음 검사에서 다시 시도합니다",
			"the response body from %s could not be read to its end (cut off, or broken gzip): the next check tries again",
		},
		"fetch.error.network": {
			"%s에 연결하지 못했습니다: 네트워크를 확인하세요. 다음 검사에서 다시 시도합니다",
			"could not connect to %s: check the network; the next check tries again",
		},
		"fetch.error.too_large": {
			"응답이 크기 제한 %s바이트보다 큽니다: fetch.max_body를 늘리거나 대상을 더 작은 페이지로 바꾸세요",
			"the response is larger than the limit of %s bytes: raise fetch.max_body or point the target at a smaller page",
		},
		"fetch.error.redirects": {
			"리디렉션이 %s번을 넘었습니다(순환일 수 있음): 대상 주소를 최종 주소로 고치세요",
			"more than %s redirects (perhaps a loop): set the target URL to the final address",
		},
		"fetch.error.status.gone": {
			"서버가 %s(으)로 답했습니다: 페이지가 없습니다. 처리방침의 주소가 바뀌었는지 보고 대상 주소를 고치세요",
			"the server answered %s: the page is not there; see whether the policy moved and fix the target URL",
		},
		"fetch.error.status.denied": {
			"서버가 %s(으)로 답했습니다: 접근이 거부되었습니다. 사이트가 monitord를 막는지 확인하세요(fetch.user_agent)",
			"the server answered %s: access denied; check whether the site blocks monitord (fetch.user_agent)",
		},
		"fetch.error.status.busy": {
			"서버가 %s(으)로 답했습니다: 요청이 너무 많습니다. fetch.per_host를 줄이거나 검사 간격을 늘리세요",
			"the server answered %s: too many requests; lower fetch.per_host or check less often",
		},
		"fetch.error.status.busy_after": {
			"서버가 %s(으)로 답하며 %s 뒤에 다시 오라고 했습니다(Retry-After): 요청이 너무 많습니다. fetch.per_host를 줄이거나 검사 간격을 늘리세요",
			"the server answered %s and asked to come back in %s (Retry-After): too many requests; lower fetch.per_host or check less often",
		},
		"fetch.error.status.server": {
			"서버가 %s(으)로 답했습니다: 사이트 쪽 서버 오류입니다. 잠시 뒤의 검사에서 풀리지 않으면 사이트 운영자에게 알리세요",
			"the server answered %s: a server error on the site's side; if a later check does not clear it, tell the site's operator",
		},
		"fetch.error.status.server_after": {
			"서버가 %s(으)로 답하며 %s 뒤에 다시 오라고 했습니다(Retry-After): 사이트 쪽의 일시적인 장애입니다. 다음 검사에서 다시 시도합니다",
			"the server answered %s and asked to come back in %s (Retry-After): a passing outage on the site's side; the next check tries again",
		},
		"fetch.error.status.redirect": {
			"서버가 %s(으)로 답했지만 옮겨 갈 주소가 없습니다: 대상 주소를 최종 주소로 고치세요",
			"the server answered %s without a place to go: set the target URL to the final address",
		},
		"fetch.error.status.other": {
			"서버가 %s(으)로 답했습니다: 대상 주소를 확인하세요",
			"the server answered %s: check the target URL",
		},

		// The checks of internal/monitor that refuse a fetched page.
		"check.error.not_modified": {
			"서버가 조건 없는 요청에 304(변경 없음)로 답했습니다: 다음 검사에서 전체를 다시 받습니다",
			"the server answered 304 Not Modified to a request that had no validators: it is fetched in full next time",
		},
		"check.error.too_short": {
			"추출한 본문이 %s자뿐입니다(최소 %s자): 대상의 selector가 맞는지, 사이트가 오류 페이지를 보내는지 확인하세요",
			"the extracted text has only %s characters (at least %s expected): check the target's selector or whether the site serves an error page",
		},
		"check.error.not_policy": {
			"처리방침에 쓰이는 낱말이 %s개(%s줄)뿐입니다(최소 %s개, %s줄): 로그인, 점검 또는 오류 페이지로 보입니다. 대상 주소와 selector를 확인하세요",
			"the text uses %s of the words privacy policies use in %s lines (at least %s words in %s lines expected): it looks like a login, maintenance or error page; check the target's URL and selector",
		},
		"check.error.trace": {
			"페이지에 서버 오류 기록이 들어 있습니다(%s): 사이트가 페이지를 만들다 실패했습니다. 다음 검사에서 다시 읽습니다",
			"the page holds a server error trace (%s): the site failed while building it; the next check reads it again",
		},
		"check.error.truncated": {
			"HTML이 끝나기 전에 끊겼습니다(%s바이트 받음): 연결이 끊겼거나 서버가 도중에 멈췄습니다. 다음 검사에서 다시 읽습니다",
			"the HTML stops before its end (%s bytes received): the connection was cut or the server stopped mid-page; the next check reads it again",
		},
		"check.error.shrank": {
			"본문이 %s바이트에서 %s바이트로 크게 줄었습니다: 깨진 페이지로 보고 새 버전으로 기록하지 않습니다. 같은 본문이 %s번 연속 나오면 받아들입니다",
			"the text shrank from %s to %s bytes: taken for a broken page, not a new version, unless the same text is found on %s consecutive checks",
		},
		"check.error.invalid_bytes": {
			"%s(으)로 읽을 수 없는 바이트가 %s곳 있습니다(현재 버전은 %s곳): 문자 집합(charset) 표시가 틀렸거나 응답이 깨졌습니다. 버전으로 기록하지 않습니다",
			"as %s, %s byte sequences are not valid (the current version has %s): a wrong charset label or a broken response; not recorded as a version",
		},
	})
}
