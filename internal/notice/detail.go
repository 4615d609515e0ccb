package notice

import (
	"strings"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/policy"
)

// maxQuote bounds the promise sentence quoted in a detail, in runes.
const maxQuote = 200

// detailer writes the human sentences of violations in one language, from
// the one message catalogue (internal/i18n, keys notice.*).
type detailer struct{ l i18n.Lang }

func texts(lang string) detailer { return detailer{i18n.Parse(lang)} }

// days renders a count of days ("7일", "1 day", "7 days").
func (d detailer) days(n int) string {
	if n == 1 || n == -1 {
		return d.l.T("notice.day", n)
	}
	return d.l.T("days", n)
}

func (d detailer) shortNotice(ann, eff policy.Date, actual, required int) string {
	switch {
	case actual < 0:
		return d.l.T("notice.short.before", eff, ann, d.days(-actual))
	case actual == 0:
		return d.l.T("notice.short.same_day", eff, d.days(required))
	default:
		return d.l.T("notice.short.days", ann, eff, d.days(actual), d.days(required))
	}
}

func (d detailer) undated(ann, eff policy.Date, required int) string {
	var s string
	switch {
	case !eff.IsZero():
		s = d.l.T("notice.undated.effective", eff)
	case !ann.IsZero():
		s = d.l.T("notice.undated.announced", ann)
	default:
		s = d.l.T("notice.undated.none")
	}
	return s + " " + d.l.T("notice.undated.tail", d.days(required))
}

func (d detailer) late(ann, eff, last policy.Date, actual, required int) string {
	var s string
	if actual < 0 {
		s = d.l.T("notice.late.after", eff, last, d.days(-actual))
	} else {
		s = d.l.T("notice.late.days", eff, last, d.days(actual), d.days(required))
	}
	if !ann.IsZero() && ann.Before(last) {
		s += " " + d.l.T("notice.late.contradicts", ann)
	}
	return s
}

func (d detailer) retroactive(eff, first policy.Date, before int) string {
	return d.l.T("notice.retroactive", first, d.days(before), eff)
}

func (d detailer) source(r requirement) string {
	switch r.by {
	case ByConfig:
		return d.l.T("notice.source.config", d.days(r.days))
	case ByPolicy:
		if q := quote(r.quote); q != "" {
			return d.l.T("notice.source.policy_quote", d.days(r.days), q)
		}
		return d.l.T("notice.source.policy", d.days(r.days))
	default:
		return d.l.T("notice.source.default", d.days(r.days))
	}
}

// quote trims a promise sentence for quoting: collapsed spaces, at most
// maxQuote runes, cut on a rune boundary with an ellipsis.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxQuote {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxQuote-1])) + "…"
}
