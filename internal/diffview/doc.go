// Package diffview owns the side-by-side HTML view of a policy change: the
// view model (Build), the html/template set that renders it (AddTo, name
// "diffview") and its stylesheet (CSS). The web UI's diff page and the
// export bundle's self-contained report.html both render a change with it,
// so the two always show the same thing.
//
// A View lists every section of both versions in the new page order, old on
// the left and new on the right: added, removed, modified and moved
// sections with their word-level edits marked (<del> on the left, <ins> on
// the right, from the hunks of package diff), and unchanged sections folded
// in a <details> element. Every text from a policy reaches the page through
// html/template, so it is escaped by construction; the view needs no
// script.
//
// It is pure: no I/O, no clock. Words come from the one message catalogue
// (internal/i18n, keys ui.diff.*, ui.category.*, change.*, date.*).
package diffview
