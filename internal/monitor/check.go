package monitor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/monitord/monitord/internal/config"
	"github.com/monitord/monitord/internal/diff"
	"github.com/monitord/monitord/internal/extract"
	"github.com/monitord/monitord/internal/fetch"
	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/notice"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/render"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/storage"
)

// Fetcher fetches one page. *fetch.Client implements it.
type Fetcher interface {
	Fetch(ctx context.Context, r fetch.Request) (*fetch.Response, error)
}

// Status is what one check of one target came to.
type Status string

// The statuses of a check.
const (
	StatusBaseline  Status = "baseline"  // first version of the target
	StatusChanged   Status = "changed"   // a new version (or a return to an earlier one)
	StatusCosmetic  Status = "cosmetic"  // new text, but no change in substance
	StatusTechnical Status = "technical" // re-extraction after the rules changed
	StatusUnchanged Status = "unchanged" // same text (or 304)
	StatusFailed    Status = "failed"    // fetch error, not a policy, store error
)

// Result is the outcome of one check.
type Result struct {
	Target     string
	Status     Status
	Version    uint64 // current version after the check (0 when none)
	Violations []notice.Violation
	Events     int // events written to the outbox
	Err        error
	Duration   time.Duration

	keyed bool // the page key matched: the text was not extracted
}

// Checker runs the check pipeline for one target at a time. It is safe for
// concurrent use by many goroutines, but the caller must not check the same
// target twice at once (the Scheduler guarantees it).
type Checker struct {
	cfg    atomic.Pointer[config.Config]
	store  storage.Store
	fetch  Fetcher
	logger *slog.Logger
	now    func() time.Time

	browser      *render.Browser // nil: pages that need one fail
	render       *render.Resolver
	resolverOnce sync.Once
}

// NewChecker returns a Checker. now is the clock (time.Now in production).
func NewChecker(cfg *config.Config, store storage.Store, f Fetcher, logger *slog.Logger, now func() time.Time) *Checker {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Checker{store: store, fetch: f, logger: logger, now: now}
	c.cfg.Store(cfg)
	return c
}

// SetConfig replaces the configuration used by checks that start from now on.
func (c *Checker) SetConfig(cfg *config.Config) { c.cfg.Store(cfg) }

// Check fetches t once and records what it found. The returned Result
// carries the error of a failed check; Check itself never panics on a
// hostile page and never stores a failed check as a version.
func (c *Checker) Check(ctx context.Context, t *config.Target) Result {
	start := c.now()
	res := c.check(ctx, t, start)
	res.Target = t.Name
	res.Duration = c.now().Sub(start)
	log := c.logger.With("target", t.Name)
	switch {
	case res.Err != nil:
		log.Warn("check failed", slog.Any("error", res.Err), "duration", res.Duration)
	case res.Status == StatusUnchanged:
		log.Debug("check done", "status", res.Status, "version", res.Version, "duration", res.Duration)
	default:
		log.Info("check done", "status", res.Status, "version", res.Version, "violations", len(res.Violations), "events", res.Events, "duration", res.Duration)
	}
	return res
}

func (c *Checker) check(ctx context.Context, t *config.Target, at time.Time) Result {
	cfg := c.cfg.Load()
	rules := extract.Rules{Selector: t.Selector, Exclude: t.Exclude}
	fingerprint := rules.Fingerprint()

	head, err := c.head(t.Name)
	if err != nil {
		return Result{Status: StatusFailed, Err: err}
	}
	cur, state := head.Current, head.State

	req := fetch.Request{URL: t.URL}
	// A conditional GET is only safe when the stored version was made by
	// the same rules from the same URL: otherwise a 304 would keep a text
	// the current rules would no longer produce.
	if cur != nil && cur.Rules == fingerprint && cur.URL == t.URL && t.Render != config.RenderBrowser {
		req.ETag, req.LastModified = state.ETag, state.LastModified
	}
	resp, err := c.fetch.Fetch(ctx, req)
	if err != nil {
		return c.fail(ctx, cfg, t, at, resp, err)
	}
	// The page is tokenized once for its key and parsed at most once for
	// the board's discovery, the past versions and the extraction.
	var page *extract.Page
	if t.Render != config.RenderBrowser && !resp.NotModified && (resp.MediaType == "text/html" || resp.MediaType == "application/xhtml+xml") {
		page = extract.NewPage(resp.Text, rules)
	}
	// The notice board is read with every successful fetch (its posts'
	// first-seen times are evidence); it never fails the check.
	bd := c.readBoard(ctx, cfg, t, t.URL, resp.Text, page, cur, at)

	obs := snapshot.Observation{
		Target: t.Name, URL: t.URL, At: at,
		Status: resp.Status, NotModified: resp.NotModified,
		MediaType: resp.MediaType, Charset: resp.Charset,
		ETag: resp.ETag, LastModified: resp.LastModified,
		Header: resp.Header, Rules: fingerprint,
	}
	if resp.NotModified {
		if cur == nil {
			return c.fail(ctx, cfg, t, at, resp, i18n.Wrap("not_modified", errors.New("fetch: the server answered 304 Not Modified to a request that had no validators; it will be fetched in full next time"), "check.error.not_modified"))
		}
		return c.record(ctx, t, obs, &judgement{cfg: cfg, target: t, at: at})
	}

	if t.Render != config.RenderBrowser && sameBytes(cur, resp, fingerprint) {
		// The very bytes the current version was made from, decoded the same
		// way, under the same rules: extraction is deterministic, so the text
		// is the same. Skip it; only last_seen moves.
		obs.NotModified = true
		return c.record(ctx, t, obs, &judgement{cfg: cfg, target: t, at: at})
	}
	if err := assessPage(resp); err != nil {
		return c.fail(ctx, cfg, t, at, resp, err)
	}
	if key := pageKey(page); key != "" && sameText(cur, key, fingerprint, c.storedKey(t.Name, head)) {
		// The page's key is the one of the page the current version was
		// extracted from, under the same rules: extraction would give the
		// current text again (see extract.Page), which the checks below
		// already accepted. Recorded as that text, without building the
		// tree; only last_seen moves.
		obs.TextSHA256, obs.PageKey = cur.TextHash, key
		res := c.record(ctx, t, obs, &judgement{cfg: cfg, target: t, at: at})
		res.keyed = true
		return res
	}
	var past []render.PastLink
	if page != nil && cur == nil && state.Versions == 0 {
		// The first check imports the past versions the page links to:
		// read them from the tree before extraction takes it apart.
		if root, err := page.Links(); err == nil {
			past = append([]render.PastLink{}, render.PastVersionsIn(resp.URL, root)...) // non-nil: read
		}
	}
	got, err := c.obtain(ctx, cfg, t, cur, resp, page, rules, at)
	if err != nil {
		return c.fail(ctx, cfg, t, at, resp, err)
	}
	text := got.text
	fingerprint = fingerprintFor(rules, got.method)
	obs.Rules = fingerprint
	obs.MediaType, obs.Charset = got.mediaType, got.charset
	curSize := 0
	if cur != nil {
		curSize = cur.TextSize
	}
	textHash := hashText(text)
	check := assess
	if got.assessed {
		check = func(text string, size int, same bool) error { return assessShrink(text, size, same) }
	}
	if err := check(text, curSize, cur == nil || cur.Rules == fingerprint); err != nil {
		if !errors.Is(err, ErrShrank) || !completePolicy(text) || !c.confirmedShrink(t.Name, textHash) {
			return c.failText(ctx, cfg, t, at, resp, err, textHash)
		}
		c.logger.Warn("accepting a much shorter text: it is a complete policy and the same text was found on consecutive checks", "target", t.Name, "checks", shrinkConfirmations)
	}
	if err := c.assessBytes(t.Name, cur, text, resp.Charset); err != nil {
		return c.failText(ctx, cfg, t, at, resp, err, textHash)
	}
	if got.method == render.MethodStatic && page != nil {
		obs.PageKey = pageKey(page)
	}
	obs.Raw = got.raw // the bytes as fetched (or rendered): the evidence, in their own charset
	obs.Original = got.original
	obs.Text = text
	obs.TextHash = textHash // the store need not hash the text again

	// The unchanged path must stay cheap: same text, nothing to parse.
	if cur != nil && cur.TextHash == textHash {
		obs.Meta = got.renderMeta(nil, cur)
		return c.record(ctx, t, obs, &judgement{cfg: cfg, target: t, at: at})
	}

	// The store hashes what it is not given: hand it the raw page's hash
	// too when the evidence is the fetched page itself.
	rawHash := hashBytes(resp.Raw)
	if got.fetched {
		obs.RawHash = rawHash
	}
	doc := policy.Parse(text)
	j := judgement{cfg: cfg, target: t, doc: doc, at: at, prev: cur, rawHash: rawHash, board: bd}
	// A return to a text we already hold was judged when first seen; it is
	// recorded (and noted once) but not judged again.
	returnOf, err := c.store.ReturnOf(t.Name, textHash)
	if err != nil {
		return Result{Status: StatusFailed, Err: err}
	}
	if cur != nil {
		prevText, err := c.store.Text(*cur)
		if err != nil {
			return Result{Status: StatusFailed, Err: fmt.Errorf("read text of %s version %d: %w", t.Name, cur.ID, err)}
		}
		j.prevDoc = policy.Parse(prevText)
		j.change = diff.Compare(j.prevDoc, doc, diff.Options{})
	}
	j.judge(returnOf != 0 || (cur != nil && cur.Rules != fingerprint))
	if cur == nil && state.Versions == 0 {
		// The first check: the past versions the page links to come first.
		if got.method != render.MethodStatic || page == nil || got.docURL != resp.URL {
			past = nil // another document than the page's
		}
		obs.Imported = c.importPast(ctx, cfg, t, got.docURL, got.html, past, rules, doc)
	}
	obs.Meta = got.renderMeta(versionMeta(doc), cur)
	if j.change != nil && j.change.Empty() && returnOf == 0 && cur.Rules == fingerprint {
		// Stored, since it is what the site serves, and marked, so that
		// history and diff can say it was only the writing.
		obs.Meta[metaKind] = string(StatusCosmetic)
	}
	if len(j.violations) > 0 {
		obs.Meta[metaViolations] = violationRules(j.violations)
	}
	return c.record(ctx, t, obs, &j)
}

// record stores a successful observation with the events j raises for it,
// in one transaction.
func (c *Checker) record(ctx context.Context, t *config.Target, obs snapshot.Observation, j *judgement) Result {
	out, err := c.store.Record(ctx, obs, j.events)
	if err != nil {
		return Result{Status: StatusFailed, Err: err}
	}
	return j.result(out)
}

// fail records a failed observation and, when the target has now failed
// often enough, its target.failing event (once, until it recovers).
func (c *Checker) fail(ctx context.Context, cfg *config.Config, t *config.Target, at time.Time, resp *fetch.Response, cause error) Result {
	return c.failText(ctx, cfg, t, at, resp, cause, "")
}

// confirmedShrink reports whether the checks just before this one all
// found the same text (hash) and refused it for shrinking, so that with
// this one shrinkConfirmations consecutive checks have seen it.
func (c *Checker) confirmedShrink(target, textHash string) bool {
	fs, err := c.store.Failures(target)
	if err != nil || len(fs) < shrinkConfirmations-1 {
		return false
	}
	st, err := c.store.Target(target)
	if err != nil || st.ConsecutiveFailures < shrinkConfirmations-1 {
		return false
	}
	for _, f := range fs[len(fs)-(shrinkConfirmations-1):] {
		if f.TextHash != textHash {
			return false
		}
	}
	return true
}

// failText is fail for a page that was fetched and extracted: textHash
// identifies the refused text.
func (c *Checker) failText(ctx context.Context, cfg *config.Config, t *config.Target, at time.Time, resp *fetch.Response, cause error, textHash string) Result {
	if ctx.Err() != nil {
		// Cut short by our own shutdown: not the site's failure, so not
		// recorded (it must not count towards target.failing).
		return Result{Status: StatusFailed, Err: fmt.Errorf("check interrupted: %w", cause)}
	}
	f := snapshot.Failure{At: at, Error: cause.Error(), Code: i18n.Code(cause), Message: i18n.Messages(cause), URL: t.URL, TextHash: textHash}
	if resp != nil {
		f.Status = resp.Status
	}
	state, err := c.store.RecordFailure(ctx, t.Name, f, func(st snapshot.TargetState) ([]snapshot.Event, error) {
		if st.Failing || st.ConsecutiveFailures < cfg.Notice.FailingAfter {
			return nil, nil
		}
		ev, err := failingEvent(cfg, t, st, at, cause)
		if err != nil {
			return nil, err
		}
		return []snapshot.Event{ev}, nil
	})
	if err != nil {
		return Result{Status: StatusFailed, Err: errors.Join(cause, fmt.Errorf("record failure of %s: %w", t.Name, err))}
	}
	res := Result{Status: StatusFailed, Err: cause, Version: state.Current}
	if state.Failing && state.ConsecutiveFailures == cfg.Notice.FailingAfter {
		res.Events = 1
	}
	return res
}

// assessBytes refuses a text with more invalid byte sequences (U+FFFD) than
// the current version's: they come from a broken response or a wrong
// charset label, never from an edit of the policy.
func (c *Checker) assessBytes(target string, cur *snapshot.Version, text, charset string) error {
	n := replacementChars(text)
	if n == 0 || cur == nil {
		return nil
	}
	prev, err := c.store.Text(*cur)
	if err != nil {
		return fmt.Errorf("read text of %s version %d: %w", target, cur.ID, err)
	}
	if m := replacementChars(prev); n > m {
		return i18n.Wrap("invalid_bytes", fmt.Errorf("%w: %d sequences are not valid %s (the current version has %d); not recorded as a version, since a browser would show them as �", ErrInvalidBytes, n, charset, m),
			"check.error.invalid_bytes", charset, n, m)
	}
	return nil
}

// sameBytes reports whether resp carries exactly the page the current
// version was extracted from, decoded the same way, with the same rules.
func sameBytes(cur *snapshot.Version, resp *fetch.Response, rules string) bool {
	if cur == nil || cur.RawHash == "" || cur.Rules != rules || cur.Charset != resp.Charset || cur.MediaType != resp.MediaType {
		return false
	}
	return hashBytes(resp.Raw) == cur.RawHash
}

// keyPrefix versions the page keys this package stores: bump it when a
// check of the text that runs before recording (assess, assessBytes)
// changes, since a stored key stands for a text that passed them.
const keyPrefix = "m1:"

// pageKey returns the key to store for page ("" for none).
func pageKey(page *extract.Page) string {
	if page == nil || page.Key() == "" {
		return ""
	}
	return keyPrefix + page.Key()
}

// head is what a check reads of its target before it fetches.
type head struct {
	snapshot.Head
	keyRead bool // Key and KeyErr were read with the rest (storage.Heads)
}

// head reads what a check needs of target before it fetches, in one read
// where the driver can (storage.Heads), else with Current and Target (the
// page key is then read by storedKey, when it is needed).
func (c *Checker) head(target string) (head, error) {
	if hs, ok := c.store.(storage.Heads); ok {
		h, err := hs.Head(target)
		if err != nil {
			return head{}, fmt.Errorf("read state and current version of %q: %w", target, err)
		}
		return head{Head: h, keyRead: true}, nil
	}
	cur, err := c.store.Current(target)
	if err != nil {
		return head{}, fmt.Errorf("read current version of %q: %w", target, err)
	}
	st, err := c.store.Target(target)
	if err != nil && !errors.Is(err, snapshot.ErrNotFound) {
		return head{}, fmt.Errorf("read state of %q: %w", target, err)
	}
	return head{Head: snapshot.Head{State: st, Known: err == nil, Current: cur}}, nil
}

// storedKey returns the page key stored for target (the zero PageKey when
// none is, or when it cannot be read: the check then extracts).
func (c *Checker) storedKey(target string, h head) snapshot.PageKey {
	pk, err := h.Key, h.KeyErr
	if !h.keyRead {
		ks, ok := c.store.(storage.PageKeys)
		if !ok {
			return snapshot.PageKey{} // the driver keeps none: always extract
		}
		pk, err = ks.PageKey(target)
	}
	if err != nil {
		c.logger.Debug("page key unreadable; extracting", "target", target, slog.Any("error", err))
		return snapshot.PageKey{}
	}
	return pk
}

// sameText reports whether a page with key, checked under the rules with
// fingerprint, is known to extract to the current version's text: the
// stored key is the one of a page that did, and the current version was
// extracted from the static page by these rules.
func sameText(cur *snapshot.Version, key, fingerprint string, stored snapshot.PageKey) bool {
	if cur == nil || key == "" || stored.Key != key || stored.TextHash != cur.TextHash || cur.Rules != fingerprint {
		return false
	}
	for _, k := range []string{metaRender, metaRenderURL, metaRenderDecided} {
		if cur.Meta[k] != "" {
			return false
		}
	}
	return true
}

func hashText(s string) string { return hashBytes(readOnlyBytes(s)) }

func hashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// readOnlyBytes returns the bytes of s without copying them (a policy text
// is tens of kilobytes, read several times per check). The slice must not
// be written to nor kept.
func readOnlyBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// versionMeta is what a version keeps of its parsed document, so listings
// need not parse every stored text again.
func versionMeta(d *policy.Document) map[string]string {
	m := map[string]string{}
	if d.Announced != nil {
		m[metaAnnounced] = d.Announced.Date.String()
	}
	if d.Effective != nil {
		m[metaEffective] = d.Effective.Date.String()
	}
	return m
}

// Keys of snapshot.Version.Meta.
const (
	metaAnnounced  = "announced"
	metaEffective  = "effective"
	metaViolations = "violations" // comma-separated rule names
	metaKind       = "kind"       // "cosmetic" for a change of the writing only
)
