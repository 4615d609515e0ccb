package monitor

import (
	"context"
	"errors"
	"log/slog"
	"slices"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/render"
	"github.com/monitord/monitord/internal/snapshot"
)

// pastVersion is a past version fetched for import, with its parsed text.
type pastVersion struct {
	im  snapshot.Imported
	doc *policy.Document
}

// importPast fetches the past versions the policy's document (html at
// docURL) links to, on a target's first check, and returns them oldest
// first for snapshot.Observation.Imported, each with its own dates and the
// notice rules its page's dates break (historical findings: kept with the
// version and listed by history, never alerted). current is the policy
// found now: a past version dated after it is not a past version. A past
// version that cannot be fetched or is not a policy is logged and skipped.
//
// links are the past versions already read from the document (nil: read
// them from html).
func (c *Checker) importPast(ctx context.Context, cfg *config.Config, t *config.Target, docURL, html string, links []render.PastLink, rules extract.Rules, current *policy.Document) []snapshot.Imported {
	if html == "" {
		return nil
	}
	log := c.logger.With("target", t.Name)
	if links == nil {
		links = render.PastVersions(docURL, html)
	}
	var past []pastVersion
	seen := map[string]bool{}
	for i := 0; i < len(links) && len(past) < maxPastVersions; i++ {
		l := links[i]
		if seen[l.URL] {
			continue
		}
		seen[l.URL] = true
		resp, err := c.fetch.Fetch(ctx, fetch.Request{URL: l.URL})
		if err != nil || resp.NotModified {
			log.Warn("past version not fetched; skipped", "url", fetch.RedactURL(l.URL), slog.Any("error", err))
			continue
		}
		text, err := extract.Content(resp.Text, resp.MediaType, rules)
		if errors.Is(err, extract.ErrNoContent) && rules.Selector != "" {
			// An old page laid out differently from the current one.
			text, err = extract.Content(resp.Text, resp.MediaType, extract.Rules{Exclude: rules.Exclude})
		}
		if err == nil {
			err = assess(text, 0, false)
		}
		if err != nil {
			if l.Index && resp.MediaType == "text/html" && len(links) < 2*maxPastVersions {
				// A page of past versions, not one itself: follow its links.
				for _, more := range render.PastVersions(resp.URL, resp.Text) {
					if !more.Index {
						links = append(links, more)
					}
				}
				continue
			}
			log.Warn("past version is not a policy; skipped", "url", fetch.RedactURL(l.URL), slog.Any("error", err))
			continue
		}
		doc := policy.Parse(text)
		if current != nil && current.Effective != nil && doc.Effective != nil && current.Effective.Date.Before(doc.Effective.Date) {
			log.Warn("past version takes effect after the current one; skipped", "url", fetch.RedactURL(l.URL))
			continue
		}
		past = append(past, pastVersion{im: snapshot.Imported{
			URL: resp.URL, Raw: resp.Raw, Text: text, MediaType: resp.MediaType, Charset: resp.Charset,
			Meta: versionMeta(doc),
		}, doc: doc})
	}
	// Oldest first, by the versions' own dates; undated ones keep the
	// page's order, before the dated ones (nothing places them later).
	slices.SortStableFunc(past, func(a, b pastVersion) int {
		return pastDate(a.doc).Compare(pastDate(b.doc))
	})
	out := make([]snapshot.Imported, 0, len(past))
	for i := range past {
		var prev *policy.Document
		if i > 0 {
			prev = past[i-1].doc
		}
		if rules := historicalFindings(cfg, t, prev, past[i].doc); rules != "" {
			past[i].im.Meta[metaViolations] = rules
		}
		out = append(out, past[i].im)
	}
	if len(out) > 0 {
		log.Info("imported past versions", "versions", len(out))
	}
	return out
}

// maxPastVersions bounds the past versions imported per target.
const maxPastVersions = 20

// pastDate orders past versions: the 시행일자, else the 공고일자, else zero.
func pastDate(d *policy.Document) policy.Date {
	switch {
	case d.Effective != nil:
		return d.Effective.Date
	case d.Announced != nil:
		return d.Announced.Date
	}
	return policy.Date{}
}

// historicalFindings evaluates the notice rules on the transition from a
// past version (prev; nil for the oldest) to the next, and keeps those its
// pages' own dates prove (short_notice, undated_change): when each text was
// served is not known, so the rules about observation times do not apply.
func historicalFindings(cfg *config.Config, t *config.Target, prev, doc *policy.Document) string {
	in := notice.Input{
		Baseline: prev == nil, Old: prev, New: doc,
		TargetDays: t.NoticeDays, DefaultDays: cfg.Notice.Days, Location: cfg.Notice.Location, Lang: cfg.Language,
	}
	if prev != nil {
		ch := diff.Compare(prev, doc, diff.Options{})
		if ch.Empty() {
			return ""
		}
		in.Substantive, in.DatesChanged, in.Changed = ch.Substantive(), noticeDatesChanged(ch), ch.Categories()
	}
	var keep []notice.Violation
	for _, v := range notice.Evaluate(in) {
		if v.Rule == notice.RuleShortNotice || v.Rule == notice.RuleUndatedChange {
			keep = append(keep, v)
		}
	}
	return violationRules(keep)
}
