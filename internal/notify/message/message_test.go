package message_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/notify/notifytest"
	"github.com/monitord/monitord/internal/policy"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func num(n int) *int { return &n }

func summaryCases() []struct {
	name string
	e    message.Event
} {
	compliant := notifytest.Changed()
	compliant.Violations = nil
	compliant.Sections = compliant.Sections[:1]
	undated := notifytest.Changed()
	undated.Version.Announced, undated.Version.Effective = nil, nil
	undated.Sections = undated.Sections[:2]
	undated.Violations = []message.Violation{{Rule: "undated_change", RequiredDays: 7, RequiredBy: "default"}}
	retro := notifytest.Changed()
	retro.Violations = []message.Violation{
		{Rule: "short_notice", RequiredDays: 7, RequiredBy: "config", ActualDays: num(-2)},
		{Rule: "late_notice", RequiredDays: 7, RequiredBy: "config", ActualDays: num(-1)},
		{Rule: "retroactive", RequiredDays: 7, RequiredBy: "config", ActualDays: num(-3)},
	}
	baselineOK := notifytest.Baseline()
	baselineOK.Violations = nil
	baselineOK.Version.Announced = nil
	failing := notifytest.Baseline()
	failing.Type = message.TypeFailing
	failing.Failures, failing.Error = 3, "fetch rarelee: server answered 503 Service Unavailable"
	recovered := notifytest.Baseline()
	recovered.Type = message.TypeRecovered
	recovered.Failures = 5
	return []struct {
		name string
		e    message.Event
	}{
		{"baseline-short-notice", notifytest.Baseline()},
		{"baseline-compliant", baselineOK},
		{"changed-backdated", notifytest.Changed()},
		{"changed-compliant", compliant},
		{"changed-undated", undated},
		{"changed-retroactive", retro},
		{"failing", failing},
		{"recovered", recovered},
	}
}

func TestSummaryGolden(t *testing.T) {
	for _, lang := range []string{"ko", "en"} {
		var b strings.Builder
		for _, c := range summaryCases() {
			s := message.Summary(c.e, lang)
			if !strings.HasSuffix(s, ".") || strings.Contains(s, "%!") || strings.Contains(s, "\n") {
				t.Errorf("%s/%s: not one finished sentence: %q", lang, c.name, s)
			}
			if !strings.Contains(s, c.e.Target.Name) {
				t.Errorf("%s/%s: summary does not name the site: %q", lang, c.name, s)
			}
			b.WriteString(c.name + ": " + s + "\n")
		}
		notifytest.Golden(t, "summary_"+lang+".golden", []byte(b.String()), *update)
	}
	// The lead's reference sentence, exactly.
	if got, want := message.Summary(notifytest.Baseline(), ""), "rarelee(example.kr)의 개인정보 처리방침을 처음 확인했습니다(공고 2024-02-21, 시행 2024-02-21): 시행 7일 전 공고 의무 위반(실제 0일)."; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

// TestEventJSONContract pins the field names of design.md's webhook JSON.
func TestEventJSONContract(t *testing.T) {
	b, err := json.Marshal(notifytest.Baseline())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	if got, want := keys(m), []string{"detected_at", "id", "previous", "sections", "summary", "target", "type", "version", "violations"}; !slices.Equal(got, want) {
		t.Errorf("event keys = %v, want %v", got, want)
	}
	if m["previous"] != nil {
		t.Errorf("previous = %v on a baseline, want null", m["previous"])
	}
	if s, ok := m["sections"].([]any); !ok || len(s) != 0 {
		t.Errorf("sections = %#v, want an empty array", m["sections"])
	}
	if got, want := keys(m["version"].(map[string]any)), []string{"announced", "effective", "first_seen", "id"}; !slices.Equal(got, want) {
		t.Errorf("version keys = %v, want %v", got, want)
	}
	if got, want := keys(m["target"].(map[string]any)), []string{"name", "url"}; !slices.Equal(got, want) {
		t.Errorf("target keys = %v, want %v", got, want)
	}
	v := m["violations"].([]any)[0].(map[string]any)
	if got, want := keys(v), []string{"actual_days", "basis", "detail", "evidence", "required_by", "required_days", "rule"}; !slices.Equal(got, want) {
		t.Errorf("violation keys = %v, want %v", got, want)
	}
	if m["detected_at"] != "2026-11-22T09:00:00+09:00" {
		t.Errorf("detected_at = %v, want RFC 3339 with the Seoul offset", m["detected_at"])
	}

	c, err := json.Marshal(notifytest.Changed())
	if err != nil {
		t.Fatal(err)
	}
	var changed struct {
		Previous map[string]any   `json:"previous"`
		Sections []map[string]any `json:"sections"`
	}
	if err := json.Unmarshal(c, &changed); err != nil {
		t.Fatal(err)
	}
	if got, want := keys(changed.Previous), []string{"announced", "effective", "id", "last_seen"}; !slices.Equal(got, want) {
		t.Errorf("previous keys = %v, want %v", got, want)
	}
	if got, want := keys(changed.Sections[0]), []string{"category", "change", "diff", "title"}; !slices.Equal(got, want) {
		t.Errorf("section keys = %v, want %v", got, want)
	}

	var none message.Event
	b, _ = json.Marshal(none)
	if !strings.Contains(string(b), `"violations":[]`) || !strings.Contains(string(b), `"version":null`) {
		t.Errorf("zero event = %s, want empty arrays and null version", b)
	}
}

func TestDay(t *testing.T) {
	if message.Day(policy.Date{}) != nil {
		t.Error("Day(zero) is not nil")
	}
	d, _ := policy.NewDate(2024, 2, 21)
	if got := message.Day(d); got == nil || *got != "2024-02-21" {
		t.Errorf("Day = %v, want 2024-02-21", got)
	}
	if message.DayOf(nil) != nil {
		t.Error("DayOf(nil) is not nil")
	}
}

func TestSite(t *testing.T) {
	tests := []struct {
		t    message.Target
		want string
	}{
		{message.Target{Name: "rarelee", URL: "https://example.kr/p"}, "rarelee(example.kr)"},
		{message.Target{Name: "example.kr", URL: "https://example.kr/p"}, "example.kr"},
		{message.Target{Name: "x", URL: "::bad"}, "x"},
		{message.Target{URL: "https://example.kr:8443/p"}, "example.kr"},
	}
	for _, tt := range tests {
		if got := message.Site(tt.t); got != tt.want {
			t.Errorf("Site(%+v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"개인정보처리방침", 5, "개인정보…"},
		{"개인정보", 4, "개인정보"},
		{"x", 0, ""},
		{"xy", 1, "…"},
	}
	for _, tt := range tests {
		if got := message.Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func FuzzTruncate(f *testing.F) {
	f.Add("개인정보 처리방침 🔒 변경", 5)
	f.Add("abc", 0)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n %= 5000
		got := message.Truncate(s, n)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Truncate(%q, %d) = %q is not valid UTF-8", s, n, got)
		}
		if n >= 0 && utf8.RuneCountInString(got) > n {
			t.Fatalf("Truncate(%q, %d) = %q has %d runes", s, n, got, utf8.RuneCountInString(got))
		}
		if got != s && n > 0 && !strings.HasSuffix(got, "…") {
			t.Fatalf("cut without an ellipsis: %q", got)
		}
	})
}

func TestTemplatesRejectBrokenOverride(t *testing.T) {
	if _, err := message.Templates("x", `{{define "body"}}ok{{end}}`, `{{define "body"}}{{.Nope}}{{end}}`, nil, "body"); err == nil {
		t.Error("an override using an unknown field was accepted")
	}
	if _, err := message.Templates("x", `{{define "body"}}ok{{end}}`, `{{define "body"}}{{`, nil, "body"); err == nil {
		t.Error("an override that does not parse was accepted")
	}
	tm, err := message.Templates("x", `{{define "body"}}default{{end}}`, `{{define "body"}}{{.Site}}!{{end}}`, nil, "body")
	if err != nil {
		t.Fatal(err)
	}
	got, err := message.Render(tm, "body", message.NewView(notifytest.Baseline(), "ko"))
	if err != nil || got != "rarelee(example.kr)!" {
		t.Errorf("override render = %q, %v", got, err)
	}
}

func BenchmarkSummary(b *testing.B) {
	e := notifytest.Changed()
	for b.Loop() {
		_ = message.Summary(e, "ko")
	}
}

func TestViewWords(t *testing.T) {
	var page message.Event
	for _, c := range notifytest.Cases() {
		if c.Name == "changed_page" {
			page = c.Event
		}
	}
	v := message.NewView(page, "ko")
	if v.Verdict != message.VerdictViolation || v.Headline != "위반 · 공고 기간 부족, 사전 고지 지연 — dabit 개인정보 처리방침 변경" {
		t.Errorf("verdict %q, headline %q", v.Verdict, v.Headline)
	}
	if len(v.Shared) != 1 || !strings.Contains(v.Shared[0], "“개인정보 처리방침을 변경하는 경우") {
		t.Fatalf("shared = %q, want the promise sentence once", v.Shared)
	}
	for _, x := range v.Violations {
		if strings.Contains(x.Detail, "스스로 약속한") || x.Detail == "" {
			t.Errorf("detail %q still quotes the promise, or lost its own sentence", x.Detail)
		}
	}
	if v.Violations[0].Basis != "방침 본문의 날짜로 확인" || v.Violations[0].Evidence[0].Name != "방침 본문의 날짜" || v.Violations[0].Evidence[0].At != "2026-11-21" {
		t.Errorf("basis %q, evidence %+v", v.Violations[0].Basis, v.Violations[0].Evidence)
	}
	if v.Link.URL != page.DiffURL || v.Link.Text != "변경 내용 비교 보기" {
		t.Errorf("link = %+v", v.Link)
	}
	lines := v.Sections[0].Lines
	if len(lines) != 2 || lines[0].Kind != message.LineChanged || lines[1].Kind != message.LineAdded {
		t.Fatalf("lines = %+v", lines)
	}
	mark := func(s string) string { return "[" + s + "]" }
	id := func(s string) string { return s }
	if b, a := lines[0].Side(true, id, mark), lines[0].Side(false, id, mark); b != "제공받는 자: [없음]" || a != "제공받는 자: [<배송 대행사> & 결제 대행사]" {
		t.Errorf("before %q, after %q", b, a)
	}
	// One violation: nothing to share, the detail is whole.
	one := message.NewView(notifytest.Baseline(), "en")
	if len(one.Shared) != 0 || !strings.Contains(one.Violations[0].Detail, "[notice] days") {
		t.Errorf("single violation: shared %q, detail %q", one.Shared, one.Violations[0].Detail)
	}
	// Without a diff page the link is the policy page.
	if got := message.NewView(notifytest.Baseline(), "en").Link; got.URL != notifytest.Baseline().Target.URL || got.Text != "Open the policy page" {
		t.Errorf("link = %+v", got)
	}
}

func TestViewVerdicts(t *testing.T) {
	want := map[string]string{
		"baseline": message.VerdictViolation, "changed_ok": message.VerdictChanged, "cosmetic": message.VerdictCosmetic,
		"returned": message.VerdictReturned, "failing": message.VerdictFailing, "recovered": message.VerdictRecovered,
	}
	for _, c := range notifytest.Cases() {
		v := message.NewView(c.Event, "ko")
		if w, ok := want[c.Name]; ok && v.Verdict != w {
			t.Errorf("%s: verdict %q, want %q", c.Name, v.Verdict, w)
		}
		if strings.Count(v.Headline, c.Event.Target.Name) != 1 {
			t.Errorf("%s: headline %q does not name the target exactly once", c.Name, v.Headline)
		}
	}
}

func TestDigestLinesCapsAndCounts(t *testing.T) {
	d := message.Digest{Lang: "ko", Items: make([]message.DigestItem, 5)}
	for i := range d.Items {
		d.Items[i].Name = fmt.Sprint("t", i)
	}
	line := func(it message.DigestItem) string { return it.Name }
	got := d.Lines(3, strings.ToUpper, line)
	want := []string{"t0", "t1", "t2", strings.ToUpper(d.More(2))}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Lines(3) = %q, want %q", got, want)
	}
	if got := d.Lines(5, strings.ToUpper, line); len(got) != 5 || got[4] != "t4" {
		t.Errorf("Lines(5) = %q, want every item and no count line", got)
	}
}
