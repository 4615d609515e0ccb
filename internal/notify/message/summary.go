package message

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/i18n"
)

// Languages of human text.
const (
	Korean  = "ko"
	English = "en"
)

// Lang normalizes a language setting: "en" (any case) is English, anything
// else Korean, the default for Korean policies.
func Lang(s string) string { return string(i18n.Parse(s)) }

// tr is the catalogue in a normalized language.
func tr(lang string) i18n.Lang { return i18n.Parse(lang) }

// Site names the target for people: its name and, when known, the host of its
// page, e.g. "rarelee(example.kr)".
func Site(t Target) string { return site(t, i18n.Korean) }

func site(t Target, l i18n.Lang) string {
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
	return l.T("chat.summary.site", t.Name, host)
}

// Summary is one sentence for people about e: the site, what changed, the
// dates and the violations, in Korean unless lang is "en".
func Summary(e Event, lang string) string {
	l := tr(lang)
	s := site(e.Target, l)
	switch e.Type {
	case TypeBaseline:
		return l.T("chat.summary.baseline", s, dates(e.Version, l), violations(e.Violations, false, l))
	case TypeChanged:
		if e.ReturnOf != "" {
			return l.T("chat.summary.returned", s, e.ReturnOf)
		}
		what := sections(e.Sections, l)
		if what != "" {
			what += l.T("chat.summary.sep")
		}
		return l.T("chat.summary.changed", s, what, dates(e.Version, l), violations(e.Violations, true, l))
	case TypeFailing:
		reason := ""
		if e.Error != "" {
			reason = l.T("chat.summary.reason", Truncate(e.Error, 200))
		}
		return l.T("chat.summary.failing", s, e.Failures, reason)
	case TypeRecovered:
		return l.T("chat.summary.recovered", s)
	}
	return l.T("chat.summary.other", s, e.Type)
}

// dates lists the version's 공고일자 and 시행일자, e.g. "공고 2024-02-21, 시행 2024-02-21".
func dates(v *Version, l i18n.Lang) string {
	var parts []string
	if v != nil && v.Announced != nil {
		parts = append(parts, l.T("chat.dates.ann", *v.Announced))
	}
	if v != nil && v.Effective != nil {
		parts = append(parts, l.T("chat.dates.eff", *v.Effective))
	}
	if len(parts) == 0 {
		return l.T("chat.dates.none")
	}
	return strings.Join(parts, ", ")
}

// maxTitle bounds a section title quoted in a summary, in runes.
const maxTitle = 40

func sections(ss []Section, l i18n.Lang) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return l.T("chat.summary.one", Truncate(ss[0].Title, maxTitle))
	}
	return l.T("chat.summary.many", Truncate(ss[0].Title, maxTitle), len(ss))
}

func violations(vs []Violation, sayNone bool, l i18n.Lang) string {
	if len(vs) == 0 {
		if sayNone {
			return l.T("chat.summary.none")
		}
		return ""
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = ViolationPhrase(v, string(l))
	}
	return l.T("chat.summary.list", strings.Join(parts, l.T("chat.summary.vsep")))
}

// ViolationPhrase is a short phrase naming a violation and its numbers, e.g.
// "시행 7일 전 공고 의무 위반(실제 0일)".
func ViolationPhrase(v Violation, lang string) string {
	l := tr(lang)
	a, known := 0, v.ActualDays != nil
	if known {
		a = *v.ActualDays
	}
	r := v.RequiredDays
	switch {
	case v.Rule == "short_notice" && known && a < 0:
		return l.T("chat.phrase.short_before", r, days(-a, l))
	case v.Rule == "short_notice" && known:
		return l.T("chat.phrase.short", r, days(a, l))
	case v.Rule == "late_notice" && known && a < 0:
		return l.T("chat.phrase.late_after", days(-a, l))
	case v.Rule == "late_notice" && known:
		return l.T("chat.phrase.late", days(a, l), r)
	case v.Rule == "retroactive" && known:
		return l.T("chat.phrase.retroactive", days(-a, l))
	case v.Rule == "undated_change":
		return l.T("chat.phrase.undated")
	}
	return RuleName(v.Rule, lang)
}

// RuleName is the name people read for a rule (the catalogue's rule.*).
func RuleName(rule, lang string) string {
	if key := "rule." + rule; i18n.Has(key) {
		return tr(lang).T(key)
	}
	return rule
}

// days is a number of days in words: "3일", "3 days", "1 day".
func days(n int, l i18n.Lang) string {
	if n == 1 {
		return l.T("chat.day1")
	}
	return l.T("days", n)
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
