// Package board reads a site's notice board (공지사항): it finds the board
// from a page's links, parses a board's list page into posts (title, date,
// link), recognises the posts about the privacy policy, and reads such a post
// for the 시행일 it names and its before/after table.
//
// Posts are found by structure, not by a per-engine template: a post is the
// smallest element holding one title link and one date, as the list pages of
// gnuboard/영카트, Cafe24, 아임웹, XE/Rhymix, WordPress (KBoard) and plain
// tables or lists of links with dates all are. Dates are read with the
// policy package's date grammar; the board-only shorthands of list pages
// ("11-20" for this year, "14:22" for today) are resolved against the time
// of the read.
//
// Parsing is pure (Parse, Discover, ReadPost, IsPolicyPost). Reader is the
// one part that does I/O: it fetches through the caller's fetcher (the
// monitor's polite client, with its size limits) and never writes anything.
// The package must not touch the store: what the board showed is recorded by
// the caller.
package board
