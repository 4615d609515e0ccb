package monitor

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/monitord/monitord/internal/board"
	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/notify"
	"github.com/monitord/monitord/internal/notify/message"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
)

const (
	// rediscoverAfter: a site where discovery found no board is looked at
	// again this long after (not at every check).
	rediscoverAfter = 24 * time.Hour
	// forgetAfter: a discovered board that fails this many reads in a row
	// is forgotten and discovered again (the site moved it).
	forgetAfter = 3
	// maxFollows bounds the policy posts one read follows (the others are
	// kept with what their titles say).
	maxFollows = 3
)

// readBoard reads the target's notice board (its notice_url, or the board
// discovery found), records what it showed with the policy.announced events
// it raises, and returns it for the notice rules: nil when no board is known.
// A board that cannot be read never fails the check: it is recorded, and the
// returned Board says so (verdicts then fall back to unconfirmed).
func (c *Checker) readBoard(ctx context.Context, cfg *config.Config, t *config.Target, policyURL, policyPage string, page *extract.Page, cur *snapshot.Version, at time.Time) *notice.Board {
	if t.NoticeURL == config.NoticeOff || ctx.Err() != nil {
		return nil
	}
	log := c.logger.With("target", t.Name)
	st, _, err := c.store.Board(t.Name)
	if err != nil {
		log.Warn("notice board state unreadable; judging without the board", slog.Any("error", err))
		return nil
	}
	r := &board.Reader{Fetch: c.fetch, Location: cfg.Notice.Location}
	lang := i18n.Parse(cfg.Language)

	if t.NoticeURL != config.NoticeAuto {
		if st.URL != t.NoticeURL || st.Discovered {
			st = snapshot.BoardState{URL: t.NoticeURL} // a newly configured board starts afresh
		}
	} else if st.URL == "" || !st.Discovered {
		if !st.Discovered && st.URL != "" {
			st = snapshot.BoardState{} // was configured, now "auto"
		}
		if !st.DiscoveredAt.IsZero() && at.Sub(st.DiscoveredAt) < rediscoverAfter {
			return nil
		}
		var u string
		var err error
		if root, perr := pageTree(page); perr == nil && root != nil {
			u, err = r.DiscoverIn(ctx, policyURL, root, at) // the tree the extraction reads next
		} else {
			u, err = r.Discover(ctx, policyURL, policyPage, at)
		}
		st.DiscoveredAt, st.LastAttempt = at, at
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			st.Reason, st.Error, st.Message = reasonOf(err)
			c.saveBoard(ctx, t.Name, st, nil, nil)
			log.Info("no notice board found; late_notice verdicts rest on the policy page alone", "reason", st.Reason)
			return nil
		}
		log.Info("notice board found", "url", u)
		st.URL, st.Discovered = u, true
	}

	var since policy.Date
	if cur != nil {
		since, _ = policy.ParseISO(cur.Meta[metaEffective])
	}
	rd, err := r.List(ctx, st.URL, since, at)
	st.LastAttempt = at
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		st.Failures++
		st.Reason, st.Error, st.Message = reasonOf(err)
		nb := noticeBoard(st, false, lang)
		if st.Discovered && st.Failures >= forgetAfter {
			st.URL, st.DiscoveredAt, st.Failures = "", time.Time{}, 0
		}
		log.Warn("notice board unreadable; the policy check goes on", "reason", st.Reason, slog.Any("error", err))
		c.saveBoard(ctx, t.Name, st, nil, nil)
		return nb
	}

	known := map[string]bool{}
	for _, p := range st.Posts {
		known[p.URL] = true
	}
	firstRead := st.FirstRead.IsZero()
	var pages [][]byte
	var events []snapshot.Event
	follows, added := 0, false
	for _, p := range rd.Posts {
		if known[p.URL] || !board.IsPolicyPost(p.Title) {
			continue
		}
		known[p.URL] = true
		bp := snapshot.BoardPost{URL: p.URL, Title: p.Title, Posted: p.Posted.String(), FirstSeen: at, SHA256: rd.Pages[0].SHA256}
		if !firstRead && st.Oldest != "" && st.Oldest <= bp.Posted {
			// The last read listed posts back to this one's date and not
			// this one: it was posted after that read, whatever it shows.
			bp.AbsentAt = st.LastRead
		}
		eff := board.TitleEffective(p.Title)
		if follows < maxFollows {
			follows++
			if pg, d, err := r.Follow(ctx, p.URL); err != nil {
				log.Info("notice post unreadable; kept with its title", "url", p.URL, slog.Any("error", err))
			} else {
				bp.Followed, bp.SHA256 = true, pg.SHA256
				pages = append(pages, pg.Raw)
				if !d.Effective.IsZero() {
					eff, bp.Line = d.Effective, d.Line
				}
				for _, ch := range d.Changes {
					bp.Changes = append(bp.Changes, snapshot.BoardChange{Before: ch.Before, After: ch.After})
				}
			}
		}
		if !eff.IsZero() {
			bp.Effective = eff.String()
		}
		if announces(bp, cur, firstRead, at, cfg.Notice.Location) {
			ev, err := announcedEvent(cfg, t, bp, at)
			if err != nil {
				log.Warn("policy.announced event not built", slog.Any("error", err))
			} else {
				bp.Event = ev.ID
				events = append(events, ev)
			}
		}
		st.Posts = append(st.Posts, bp)
		added = true
	}
	if firstRead || added {
		// The list pages are evidence of what the board showed when it
		// changed; unchanged reads keep only their hash.
		for _, pg := range rd.Pages {
			pages = append(pages, pg.Raw)
		}
	}
	if firstRead {
		st.FirstRead = at
	}
	st.LastRead, st.SHA256, st.Listed, st.Oldest = at, rd.Pages[0].SHA256, len(rd.Posts), oldest(rd.Posts)
	st.Reason, st.Error, st.Message, st.Failures = "", "", nil, 0
	if err := c.saveBoard(ctx, t.Name, st, pages, events); err != nil && len(events) > 0 {
		// Not recorded: the same posts are new again at the next read.
		for i := range st.Posts {
			st.Posts[i].Event = ""
		}
	}
	return noticeBoard(st, true, lang)
}

func (c *Checker) saveBoard(ctx context.Context, target string, st snapshot.BoardState, pages [][]byte, events []snapshot.Event) error {
	err := c.store.RecordBoard(ctx, target, st, pages, events)
	if err != nil {
		c.logger.Warn("notice board state not recorded", "target", target, slog.Any("error", err))
	}
	return err
}

// announces decides whether a newly seen policy post raises
// policy.announced: once per post, for a change still to come. At the
// board's first read only posts whose 시행일 is still ahead are announced
// (the others are history); a post for the 시행일자 the page already shows
// announces nothing new.
func announces(p snapshot.BoardPost, cur *snapshot.Version, firstRead bool, at time.Time, loc *time.Location) bool {
	today := policy.DateOf(at, loc)
	eff, err := policy.ParseISO(p.Effective)
	hasEff := err == nil
	switch {
	case hasEff && eff.Before(today):
		return false
	case firstRead && (!hasEff || !today.Before(eff)):
		return false
	case hasEff && cur != nil && cur.Meta[metaEffective] == p.Effective:
		return false
	}
	return true
}

func announcedEvent(cfg *config.Config, t *config.Target, p snapshot.BoardPost, at time.Time) (snapshot.Event, error) {
	e := notify.Event{
		ID:           eventID(t.Name, message.TypeAnnounced, 0, p.URL),
		Type:         message.TypeAnnounced,
		Target:       notify.Target{Name: t.Name, URL: t.URL},
		DetectedAt:   at.In(cfg.Notice.Location).Truncate(time.Second),
		Violations:   []notify.Violation{},
		Sections:     []notify.Section{},
		Announcement: wireAnnouncement(p.URL, p.Title, p.Posted, p.Effective, ""),
	}
	l := i18n.Parse(cfg.Language)
	site := message.Site(e.Target)
	if p.Effective != "" {
		e.Summary = l.T("board.summary.announced", site, p.Posted, p.Effective, message.Truncate(p.Title, 120))
	} else {
		e.Summary = l.T("board.summary.announced_undated", site, p.Posted, message.Truncate(p.Title, 120))
	}
	return toStored(cfg, e, 0, nil)
}

func wireAnnouncement(url, title, posted, effective, note string) *message.Announcement {
	a := &message.Announcement{URL: url, Title: title, Note: note}
	if posted != "" {
		a.Posted = &posted
	}
	if effective != "" {
		a.Effective = &effective
	}
	return a
}

// noticeBoard is what the notice rules see of a board state.
func noticeBoard(st snapshot.BoardState, read bool, lang i18n.Lang) *notice.Board {
	b := &notice.Board{URL: st.URL, Read: read, CheckedAt: st.LastAttempt, SHA256: st.SHA256, Listed: st.Listed}
	if !read {
		b.Error = reasonText(st, lang)
		b.SHA256 = ""
	}
	for _, p := range st.Posts {
		posted, err := policy.ParseISO(p.Posted)
		if err != nil {
			continue
		}
		eff, _ := policy.ParseISO(p.Effective)
		b.Posts = append(b.Posts, notice.Post{URL: p.URL, Title: p.Title, Posted: posted, Effective: eff,
			FirstSeen: p.FirstSeen, AbsentAt: p.AbsentAt, SHA256: p.SHA256, Line: p.Line})
	}
	return b
}

func oldest(ps []board.Post) string {
	var o policy.Date
	for _, p := range ps {
		if o.IsZero() || p.Posted.Before(o) {
			o = p.Posted
		}
	}
	if o.IsZero() {
		return ""
	}
	return o.String()
}

// reasonOf splits a board error into its reason code and detail.
func reasonOf(err error) (reason, detail string, msg []i18n.Msg) {
	var be *board.Error
	if errors.As(err, &be) {
		if be.Reason == board.ReasonFetch {
			msg = i18n.Messages(be.Err)
		}
		return be.Reason, be.Detail, msg
	}
	return board.ReasonFetch, err.Error(), i18n.Messages(err)
}

// reasonText says in words why the board could not be read.
func reasonText(st snapshot.BoardState, l i18n.Lang) string {
	key := "board.reason." + st.Reason
	if !i18n.Has(key) {
		key = "board.reason." + board.ReasonFetch
	}
	switch st.Reason {
	case board.ReasonFetch:
		if len(st.Message) > 0 {
			return l.T(key, l.Render(st.Message))
		}
		return l.T(key, st.Error)
	case board.ReasonHTTP:
		// "404 Not Found": the code reads the same in every language.
		if f := strings.Fields(st.Error); len(f) > 0 && l != i18n.English {
			return l.T(key, f[0])
		}
		return l.T(key, st.Error)
	case board.ReasonNotHTML:
		return l.T(key, st.Error)
	}
	return l.T(key)
}

// BoardStatus is a target's notice-board line for people: "공지사항: 확인함
// (2026-11-21, 게시물 15건)", "공지사항: 확인 불가 (로그인이 필요함)", ...
func BoardStatus(t *config.Target, st snapshot.BoardState, known bool, lang string) string {
	l := i18n.Parse(lang)
	switch {
	case t != nil && t.NoticeURL == config.NoticeOff:
		return l.T("board.status.off")
	case !known || st.LastAttempt.IsZero():
		return l.T("board.status.unchecked")
	case st.Reason != "":
		return l.T("board.status.unreadable", reasonText(st, l))
	}
	return l.T("board.status.read", policy.DateOf(st.LastRead, seoulZone).String(), st.Listed)
}

var seoulZone = time.FixedZone("KST", 9*60*60)

// pageTree returns the parsed tree of page for its links, nil for none.
func pageTree(page *extract.Page) (*html.Node, error) {
	if page == nil {
		return nil, nil
	}
	return page.Links()
}
