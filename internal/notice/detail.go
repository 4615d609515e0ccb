package notice

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/monitord/monitord/internal/policy"
)

// maxQuote bounds the promise sentence quoted in a detail, in runes.
const maxQuote = 200

// detailer writes the human sentences of violations in one language.
type detailer interface {
	shortNotice(ann, eff policy.Date, actual, required int) string
	undated(ann, eff policy.Date, required int) string
	late(ann, eff, last policy.Date, actual, required int) string
	retroactive(eff, first policy.Date, before int) string
	source(r requirement) string
}

func texts(lang string) detailer {
	if strings.EqualFold(lang, "en") {
		return english{}
	}
	return korean{}
}

type korean struct{}

func (korean) shortNotice(ann, eff policy.Date, actual, required int) string {
	if actual < 0 {
		return fmt.Sprintf("시행일자(%s)가 공고일자(%s)보다 %d일 앞서 있어 사전 고지가 전혀 없었습니다.", eff, ann, -actual)
	}
	if actual == 0 {
		return fmt.Sprintf("공고일자와 시행일자가 같은 날(%s)이어서 사전 고지 기간이 0일로, 필요한 %d일보다 짧습니다.", eff, required)
	}
	return fmt.Sprintf("공고일자(%s)부터 시행일자(%s)까지 %d일로, 필요한 사전 고지 기간 %d일보다 짧습니다.", ann, eff, actual, required)
}

func (korean) undated(ann, eff policy.Date, required int) string {
	var s string
	switch {
	case !eff.IsZero():
		s = fmt.Sprintf("본문 내용이 실질적으로 바뀌었지만 공고일자와 시행일자는 이전 그대로입니다(시행일자 %s).", eff)
	case !ann.IsZero():
		s = fmt.Sprintf("본문 내용이 실질적으로 바뀌었지만 새 시행일자가 적혀 있지 않습니다(공고일자 %s).", ann)
	default:
		s = "본문 내용이 실질적으로 바뀌었지만 공고일자나 시행일자가 적혀 있지 않습니다."
	}
	return s + fmt.Sprintf(" 변경 사항을 시행 %d일 전에 알렸는지 확인할 수 없습니다.", required)
}

func (korean) late(ann, eff, last policy.Date, actual, required int) string {
	var s string
	if actual < 0 {
		s = fmt.Sprintf("새 시행일자는 %s이지만 이전 본문이 %s까지 게시되어 있었으므로, 새 본문은 시행일자보다 %d일 이상 늦게 게시되었습니다.", eff, last, -actual)
	} else {
		s = fmt.Sprintf("새 시행일자는 %s이지만 이전 본문이 %s까지 게시되어 있었으므로 실제 고지 기간은 최대 %d일로, 필요한 %d일보다 짧습니다.", eff, last, actual, required)
	}
	if !ann.IsZero() && ann.Before(last) {
		s += fmt.Sprintf(" 페이지에 적힌 공고일자(%s)는 이 관찰 기록과 맞지 않습니다.", ann)
	}
	return s
}

func (korean) retroactive(eff, first policy.Date, before int) string {
	return fmt.Sprintf("새 본문은 %s에 처음 확인되었지만 시행일자는 그보다 %d일 앞선 날짜(%s)로, 게시되기 전부터 시행된 것으로 적혀 있습니다.", first, before, eff)
}

func (korean) source(r requirement) string {
	switch r.by {
	case ByConfig:
		return fmt.Sprintf("필요한 고지 기간 %d일은 이 대상의 설정(notice_days)에 따른 것입니다.", r.days)
	case ByPolicy:
		if q := quote(r.quote); q != "" {
			return fmt.Sprintf("필요한 고지 기간 %d일은 처리방침이 스스로 약속한 기간입니다(“%s”).", r.days, q)
		}
		return fmt.Sprintf("필요한 고지 기간 %d일은 처리방침이 스스로 약속한 기간입니다.", r.days)
	default:
		return fmt.Sprintf("필요한 고지 기간 %d일은 기본 설정([notice] days)에 따른 것입니다.", r.days)
	}
}

type english struct{}

func days(n int) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d day", n)
	}
	return fmt.Sprintf("%d days", n)
}

func (english) shortNotice(ann, eff policy.Date, actual, required int) string {
	if actual < 0 {
		return fmt.Sprintf("The effective date (%s) is %s before the announcement date (%s), so no advance notice was given.", eff, days(-actual), ann)
	}
	if actual == 0 {
		return fmt.Sprintf("The policy was announced and took effect on the same day (%s), with no notice where %s are required.", eff, days(required))
	}
	return fmt.Sprintf("The announcement date (%s) is only %s before the effective date (%s), less than the required %s of notice.", ann, days(actual), eff, days(required))
}

func (english) undated(ann, eff policy.Date, required int) string {
	var s string
	switch {
	case !eff.IsZero():
		s = fmt.Sprintf("The text changed in substance but its announcement and effective dates did not (effective %s).", eff)
	case !ann.IsZero():
		s = fmt.Sprintf("The text changed in substance but states no new effective date (announced %s).", ann)
	default:
		s = "The text changed in substance but states no announcement or effective date."
	}
	return s + fmt.Sprintf(" There is no way to tell whether the change was announced %s before it took effect.", days(required))
}

func (english) late(ann, eff, last policy.Date, actual, required int) string {
	var s string
	if actual < 0 {
		s = fmt.Sprintf("The new effective date is %s, but the previous text was still served on %s, so the new text was posted at least %s after it took effect.", eff, last, days(-actual))
	} else {
		s = fmt.Sprintf("The new effective date is %s, but the previous text was still served on %s, so the notice was at most %s, less than the required %s.", eff, last, days(actual), days(required))
	}
	if !ann.IsZero() && ann.Before(last) {
		s += fmt.Sprintf(" The announcement date on the page (%s) contradicts what we observed.", ann)
	}
	return s
}

func (english) retroactive(eff, first policy.Date, before int) string {
	return fmt.Sprintf("The new text was first seen on %s, but its effective date is %s, %s earlier: it claims to have applied before it was published.", first, eff, days(before))
}

func (english) source(r requirement) string {
	switch r.by {
	case ByConfig:
		return fmt.Sprintf("The required %s come from this target's notice_days setting.", days(r.days))
	case ByPolicy:
		if q := quote(r.quote); q != "" {
			return fmt.Sprintf("The required %s are the period the policy itself promises (“%s”).", days(r.days), q)
		}
		return fmt.Sprintf("The required %s are the period the policy itself promises.", days(r.days))
	default:
		return fmt.Sprintf("The required %s are the configured default ([notice] days).", days(r.days))
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
