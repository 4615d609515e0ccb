// Package ui owns monitord's web UI: server-rendered pages over the same
// web.Source the JSON API reads (the store, or a running daemon), served by
// `monitord run` behind the web package's middleware.
//
//	GET  /                        targets at a glance: status, dates, last change, open violations;
//	                              ?status= ?rule= ?q= filter, ?page= pages (50 a page), attention first
//	GET  /t/{name}                a target's timeline: every version with its kind, dates, violations
//	                              and their basis, failed checks folded in, the promised notice period
//	GET  /t/{name}/diff?from=&to= the side-by-side section diff (package diffview) with the date
//	                              changes and the verdict (basis, evidence) on top; default: the last two
//	GET  /t/{name}/v/{id}         one version: text by section with categories, date lines marked,
//	                              hashes and fetch headers, a link to download the raw page
//	GET  /events                  alerts with their delivery per webhook; ?target= ?type= ?state=
//	POST /events/{id}/retry       re-queue an alert (only with a token, given)
//	GET  /login, POST /login      the login form (with a token): sets the session cookie
//	POST /logout                  drops it
//	GET  /static/...              the stylesheets and the one script, embedded
//
// Pages are html/template over embed.FS: every text from a policy, a page
// or an error is escaped by construction. There is no inline script or
// style, so the pages run under a strict Content-Security-Policy
// (script-src 'self'; style-src 'self'). The one script (static/ui.js) only
// enhances: without it the filters are a plain GET form and the diff's
// unchanged sections plain <details>. The raw page of a version is never
// rendered: the link goes to the API's attachment download, served as
// application/octet-stream with nosniff and a sandbox CSP.
//
// Words come from the message catalogue (internal/i18n, keys ui.* plus the
// shared status, kind, change, event, delivery, rule and basis words), in
// the configured language; dates are YYYY-MM-DD in the configured zone
// (Asia/Seoul by default).
package ui
