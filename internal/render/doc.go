// Package render owns how a target's page is read when its static HTML does
// not hold the policy text: the decision of `render = "auto"` (static first;
// a policy in an <iframe> followed statically; a script app read from its
// own data — __NEXT_DATA__, an inline JSON blob — when that data holds the
// text; otherwise rendered in a headless browser), the browser rendering
// itself (Chromium through internal/chromium, one process owned by a
// Browser, at most `browser_concurrency` pages at once, requests limited to
// the target's site and the hosts of its own assets), and the links to the
// past versions a page offers ("이전 개인정보처리방침 보기", a <select> of
// versions), which the first check imports.
//
// Analysis of a page (Analyze, PastVersions) is pure; Resolver does the I/O
// (fetches through the caller's polite fetcher, renders through Browser).
// The text of every path goes through the same extract rules, and the
// caller's Accept (the monitor's "is this a policy" test) decides whether a
// path holds the policy, so nothing here judges a text on its own terms.
//
// The package never stores anything and never decides about changes: a
// different path to the same policy is reported as a different Method, and
// the monitor treats a change of method like a change of extraction rules
// (a technical version, no alert).
package render
