package storagetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/monitord/monitord/internal/snapshot"
)

// T0 is the time of the first check in the fixtures; tests move the clock
// by hand. It is a whole second, which every driver stores exactly.
var T0 = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// RulesV1 is the extraction-rules fingerprint of Observation.
const RulesV1 = "selector=#policy;exclude=.popup;extractor=1"

// PolicyText builds a policy-like Korean text of about size bytes. Texts
// with different variants differ in their effective-date line only.
func PolicyText(variant string, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "개인정보 처리방침\n공고일자: 2026-11-01\n시행일자: 2026-11-%s\n", variant)
	purposes := []string{"회원 가입과 본인 확인", "주문 상품의 배송", "고객 문의 응대", "부정 이용 방지", "서비스 개선을 위한 통계"}
	for i := 1; b.Len() < size; i++ {
		fmt.Fprintf(&b, "제%d조 (개인정보의 처리 목적) 회사는 %s을 위하여 이름, 휴대전화번호, 접속 기록을 처리하며, 목적이 바뀌면 미리 알립니다.\n",
			i, purposes[i%len(purposes)])
	}
	return b.String()
}

// PageOf wraps text in page chrome, as a site would serve it.
func PageOf(text, chrome string) []byte {
	var b strings.Builder
	b.WriteString("<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>개인정보 처리방침</title></head><body>")
	fmt.Fprintf(&b, "<nav>%s</nav><main id=\"policy\">", chrome)
	for line := range strings.SplitSeq(text, "\n") {
		fmt.Fprintf(&b, "<p>%s</p>\n", line)
	}
	b.WriteString("</main><footer>고객센터 1588-0000</footer></body></html>")
	return []byte(b.String())
}

// Observation is a successful check of target at at that found text, in
// the same page chrome every time.
func Observation(target, text string, at time.Time) snapshot.Observation {
	return snapshot.Observation{
		Target: target, URL: "https://example.kr/" + target + "/privacy", At: at, Status: 200,
		Raw: PageOf(text, "홈 | 고객센터"), Text: text, MediaType: "text/html", Charset: "utf-8",
		ETag: fmt.Sprintf("%q", at.Format(time.RFC3339)), Rules: RulesV1,
	}
}

// ChangeEvents is an events function like the monitor's: a baseline or a
// change raises one event ("evt_TARGET_VERSION") for the given webhooks,
// and a recovery one more.
func ChangeEvents(hooks ...string) func(snapshot.Outcome) ([]snapshot.Event, error) {
	return func(o snapshot.Outcome) ([]snapshot.Event, error) {
		var evs []snapshot.Event
		if o.Recovered {
			evs = append(evs, snapshot.Event{ID: fmt.Sprintf("evt_%s_recovered_%d", o.Version.Target, o.Version.LastSeen.Unix()), Type: snapshot.TypeTargetRecovered, Webhooks: hooks})
		}
		typ := "policy.changed"
		switch {
		case !o.Kind.Stored() || o.Kind == snapshot.Technical:
			return evs, nil
		case o.Baseline():
			typ = "policy.baseline"
		}
		payload, err := json.Marshal(map[string]any{"target": o.Version.Target, "version": o.Version.ID})
		if err != nil {
			return nil, err
		}
		return append(evs, snapshot.Event{
			ID: fmt.Sprintf("evt_%s_%d", o.Version.Target, o.Version.ID), Type: typ,
			Version: o.Version.ID, Payload: payload, Webhooks: hooks,
		}), nil
	}
}
