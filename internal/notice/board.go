package notice

import (
	"time"

	"github.com/monitord/monitord/internal/policy"
)

// Page identifies a stored page a verdict quotes: where it was fetched and
// the SHA-256 (hex) of the bytes as fetched, which the store keeps.
type Page struct {
	URL    string
	SHA256 string
}

// Board is what the caller knows of a target's notice board (공지사항) at the
// time of a change. A nil *Board means no board is known: late_notice then
// rests on the policy page alone (BasisUnconfirmed).
type Board struct {
	// URL is the board's list page.
	URL string
	// Read reports that the board was read successfully at CheckedAt; false
	// when the latest attempt failed (Error says why): verdicts then fall
	// back to BasisUnconfirmed.
	Read bool
	// CheckedAt is the latest successful read (or the failed attempt).
	CheckedAt time.Time
	// SHA256 is the hex SHA-256 of the list page as fetched at CheckedAt.
	SHA256 string
	// Error is why the board could not be read (Read false).
	Error string
	// Listed is how many posts the last read found on the pages read.
	Listed int
	// Posts are the posts about the privacy policy monitord has seen on the
	// board, in any order.
	Posts []Post
}

// Post is a notice-board post about the privacy policy.
type Post struct {
	URL   string
	Title string
	// Posted is the date the board shows for the post.
	Posted policy.Date
	// Effective is the 시행일 the post names (zero when it names none).
	Effective policy.Date
	// FirstSeen is when monitord first saw the post on the board.
	FirstSeen time.Time
	// AbsentAt is the latest board read before FirstSeen that did not list
	// the post (zero when the post was there at the first read): the
	// earliest the post can really have been made.
	AbsentAt time.Time
	// SHA256 is the hex SHA-256 of the stored page that shows the post (the
	// post itself when it was followed, else the list page).
	SHA256 string
	// Line is the line of the post that names its 시행일 (or its title).
	Line string
}

// Match is how a board post answers one change.
type Match struct {
	Post Post
	// Days is the notice the post gave: from the day it can have been
	// posted (its date, or later when it is backdated) to the 시행일자.
	Days int
	// Timely reports that Days covers the required notice.
	Timely bool
	// Backdated reports that monitord, watching the board, did not see the
	// post on a day after the date it shows.
	Backdated bool
	// Note says where the board and the page disagree ("" when they agree).
	Note string
}

// Announcement returns the board post that announced the change in, judged
// against the requirement, or nil when the board holds none. On a baseline
// any policy post naming the page's 시행일자 counts; on a change, a post dated
// after the old 시행일자 and not after the new one, naming the new 시행일자,
// no date, or one at most maxShift days from it (preferred in that order).
func Announcement(in Input) *Match {
	if in.New == nil || in.Board == nil {
		return nil
	}
	eff := dateOf(in.New.Effective)
	if eff.IsZero() {
		return nil
	}
	var oldEff policy.Date
	if !in.Baseline && in.Old != nil {
		oldEff = dateOf(in.Old.Effective)
	}
	loc := location(in)
	var best *Post
	exact := false
	for i := range in.Board.Posts {
		p := &in.Board.Posts[i]
		if p.Posted.IsZero() || eff.Before(p.Posted) {
			continue
		}
		if !oldEff.IsZero() && !oldEff.Before(p.Posted) {
			continue
		}
		if !p.Effective.IsZero() && !oldEff.IsZero() && !oldEff.Before(p.Effective) {
			continue // announces an earlier change
		}
		isExact := p.Effective == eff
		if in.Baseline && !isExact {
			continue
		}
		if !p.Effective.IsZero() && !isExact && absDays(p.Effective, eff) > maxShift {
			continue // announces another change
		}
		switch {
		case best == nil, isExact && !exact, isExact == exact && p.Posted.Before(best.Posted):
			best, exact = p, isExact
		}
	}
	if best == nil {
		return nil
	}
	req, _, _ := Required(in)
	m := &Match{Post: *best}
	from := best.Posted
	if !best.AbsentAt.IsZero() {
		if absent := policy.DateOf(best.AbsentAt, loc); best.Posted.Before(absent) {
			m.Backdated = true
			from = absent
		}
	}
	m.Days = from.DaysUntil(eff)
	m.Timely = m.Days >= req
	t := texts(in.Lang)
	switch {
	case !best.Effective.IsZero() && best.Effective != eff:
		m.Note = t.l.T("notice.note.effective", best.Effective, eff)
	case m.Timely:
		if ann := dateOf(in.New.Announced); !ann.IsZero() && ann.DaysUntil(eff) < req {
			m.Note = t.l.T("notice.note.page_date", best.Posted, t.days(m.Days), ann)
		}
	}
	return m
}

// maxShift is how far the 시행일 a post names may lie from the page's new
// 시행일자 for the post to still be the announcement of this change (moved
// by the operator; the note says so). Farther, it announces another change.
const maxShift = 31

func absDays(a, b policy.Date) int {
	if n := a.DaysUntil(b); n >= 0 {
		return n
	}
	return b.DaysUntil(a)
}

func location(in Input) *time.Location {
	if in.Location == nil {
		return seoul
	}
	return in.Location
}
