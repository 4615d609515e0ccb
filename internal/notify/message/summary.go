package message

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Languages of human text.
const (
	Korean  = "ko"
	English = "en"
)

// Lang normalizes a language setting: "en" (any case) is English, anything
// else Korean, the default for Korean policies.
func Lang(s string) string {
	if strings.EqualFold(strings.TrimSpace(s), English) {
		return English
	}
	return Korean
}

// Site names the target for people: its name and, when known, the host of its
// page, e.g. "rarelee(example.kr)".
func Site(t Target) string { return site(t, "(", ")") }

func site(t Target, open, close string) string {
	host := ""
	if u, err := url.Parse(t.URL); err == nil {
		host = u.Hostname()
	}
	switch {
	case t.Name == "":
		return host
	case host == "" || host == t.Name:
		return t.Name
	}
	return t.Name + open + host + close
}

// Summary is one sentence for people about e: the site, what changed, the
// dates and the violations, in Korean unless lang is "en".
func Summary(e Event, lang string) string {
	if Lang(lang) == English {
		return summaryEN(e)
	}
	return summaryKO(e)
}

func summaryKO(e Event) string {
	site := Site(e.Target)
	switch e.Type {
	case TypeBaseline:
		return fmt.Sprintf("%s의 개인정보 처리방침을 처음 확인했습니다(%s)%s.", site, datesKO(e.Version), violationsKO(e.Violations, false))
	case TypeChanged:
		if e.ReturnOf != "" {
			return fmt.Sprintf("%s의 개인정보 처리방침이 이전 버전(v%s)의 내용으로 되돌아갔습니다. 두 버전 사이를 오가는 변경은 더 이상 하나하나 알리지 않습니다.", site, e.ReturnOf)
		}
		what := sectionsKO(e.Sections)
		if what != "" {
			what += ", "
		}
		return fmt.Sprintf("%s의 개인정보 처리방침이 변경되었습니다(%s%s)%s.", site, what, datesKO(e.Version), violationsKO(e.Violations, true))
	case TypeFailing:
		return fmt.Sprintf("%s의 개인정보 처리방침 페이지를 %d회 연속 확인하지 못했습니다%s.", site, e.Failures, reasonKO(e.Error))
	case TypeRecovered:
		return fmt.Sprintf("%s의 개인정보 처리방침 페이지를 다시 확인할 수 있게 되었습니다.", site)
	}
	return fmt.Sprintf("%s: %s 알림입니다.", site, e.Type)
}

func summaryEN(e Event) string {
	site := site(e.Target, " at ", "")
	switch e.Type {
	case TypeBaseline:
		return fmt.Sprintf("First snapshot of the privacy policy of %s (%s)%s.", site, datesEN(e.Version), violationsEN(e.Violations, false))
	case TypeChanged:
		if e.ReturnOf != "" {
			return fmt.Sprintf("The privacy policy of %s went back to the text of version %s. Further flips between these versions will not be alerted one by one.", site, e.ReturnOf)
		}
		what := sectionsEN(e.Sections)
		if what != "" {
			what += "; "
		}
		return fmt.Sprintf("The privacy policy of %s changed (%s%s)%s.", site, what, datesEN(e.Version), violationsEN(e.Violations, true))
	case TypeFailing:
		return fmt.Sprintf("The privacy policy page of %s failed %d checks in a row%s.", site, e.Failures, reasonEN(e.Error))
	case TypeRecovered:
		return fmt.Sprintf("The privacy policy page of %s loads again.", site)
	}
	return fmt.Sprintf("%s: %s event.", site, e.Type)
}

func datesKO(v *Version) string {
	var parts []string
	if v != nil && v.Announced != nil {
		parts = append(parts, "공고 "+*v.Announced)
	}
	if v != nil && v.Effective != nil {
		parts = append(parts, "시행 "+*v.Effective)
	}
	if len(parts) == 0 {
		return "공고일자·시행일자 표시 없음"
	}
	return strings.Join(parts, ", ")
}

func datesEN(v *Version) string {
	var parts []string
	if v != nil && v.Announced != nil {
		parts = append(parts, "announced "+*v.Announced)
	}
	if v != nil && v.Effective != nil {
		parts = append(parts, "effective "+*v.Effective)
	}
	if len(parts) == 0 {
		return "no dates stated"
	}
	return strings.Join(parts, ", ")
}

// maxTitle bounds a section title quoted in a summary, in runes.
const maxTitle = 40

func sectionsKO(ss []Section) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return "‘" + Truncate(ss[0].Title, maxTitle) + "’ 조항"
	}
	return fmt.Sprintf("‘%s’ 등 %d개 조항", Truncate(ss[0].Title, maxTitle), len(ss))
}

func sectionsEN(ss []Section) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return "section “" + Truncate(ss[0].Title, maxTitle) + "”"
	case 2:
		return "section “" + Truncate(ss[0].Title, maxTitle) + "” and 1 more"
	}
	return fmt.Sprintf("section “%s” and %d more", Truncate(ss[0].Title, maxTitle), len(ss)-1)
}

func violationsKO(vs []Violation, sayNone bool) string {
	if len(vs) == 0 {
		if sayNone {
			return ": 고지 의무 위반 없음"
		}
		return ""
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = ViolationPhrase(v, Korean)
	}
	return ": " + strings.Join(parts, ", ")
}

func violationsEN(vs []Violation, sayNone bool) string {
	if len(vs) == 0 {
		if sayNone {
			return ": no notice violation"
		}
		return ""
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = ViolationPhrase(v, English)
	}
	return ": " + strings.Join(parts, "; ")
}

// ViolationPhrase is a short phrase naming a violation and its numbers, e.g.
// "시행 7일 전 공고 의무 위반(실제 0일)".
func ViolationPhrase(v Violation, lang string) string {
	a, known := 0, v.ActualDays != nil
	if known {
		a = *v.ActualDays
	}
	r := v.RequiredDays
	if Lang(lang) == English {
		switch {
		case v.Rule == "short_notice" && known && a < 0:
			return fmt.Sprintf("%d-day advance notice not given (effective %s before announced)", r, daysEN(-a))
		case v.Rule == "short_notice" && known:
			return fmt.Sprintf("%d-day advance notice not given (actual %s)", r, daysEN(a))
		case v.Rule == "late_notice" && known && a < 0:
			return fmt.Sprintf("late notice (posted %s after taking effect)", daysEN(-a))
		case v.Rule == "late_notice" && known:
			return fmt.Sprintf("late notice (at most %s by our observation, %d required)", daysEN(a), r)
		case v.Rule == "retroactive" && known:
			return fmt.Sprintf("retroactive (effective %s before first seen)", daysEN(-a))
		case v.Rule == "undated_change":
			return "changed without new dates"
		}
		return RuleName(v.Rule, English)
	}
	switch {
	case v.Rule == "short_notice" && known && a < 0:
		return fmt.Sprintf("시행 %d일 전 공고 의무 위반(공고보다 %d일 먼저 시행)", r, -a)
	case v.Rule == "short_notice" && known:
		return fmt.Sprintf("시행 %d일 전 공고 의무 위반(실제 %d일)", r, a)
	case v.Rule == "late_notice" && known && a < 0:
		return fmt.Sprintf("늦은 고지(시행 %d일 뒤에야 게시)", -a)
	case v.Rule == "late_notice" && known:
		return fmt.Sprintf("늦은 고지(관찰 기준 최대 %d일, 필요 %d일)", a, r)
	case v.Rule == "retroactive" && known:
		return fmt.Sprintf("소급 시행(처음 확인보다 %d일 먼저 시행)", -a)
	case v.Rule == "undated_change":
		return "날짜 갱신 없는 내용 변경"
	}
	return RuleName(v.Rule, Korean)
}

// RuleName is the name people read for a rule.
func RuleName(rule, lang string) string {
	en := Lang(lang) == English
	switch rule {
	case "short_notice":
		return pick(en, "Short notice", "사전 고지 기간 부족")
	case "late_notice":
		return pick(en, "Late notice", "늦은 고지")
	case "retroactive":
		return pick(en, "Retroactive change", "소급 시행")
	case "undated_change":
		return pick(en, "Change without new dates", "날짜 갱신 없는 변경")
	}
	return rule
}

func pick(en bool, english, korean string) string {
	if en {
		return english
	}
	return korean
}

func daysEN(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// Truncate shortens s to at most n runes, ending with "…" when cut. It never
// splits a rune, and counts runes, not bytes, as chat services do.
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return s[:i] + "…"
}

// reasonKO and reasonEN quote a failure's error, shortened.
func reasonKO(err string) string {
	if err == "" {
		return ""
	}
	return " (" + Truncate(err, 200) + ")"
}

func reasonEN(err string) string { return reasonKO(err) }
