// Package diff compares two versions of a privacy policy section by section
// and renders the result for terminals, scripts (JSON) and HTML.
//
// It owns what counts as a change between two parsed policies
// (policy.Document): which sections were added, removed, modified, moved or
// renamed, what changed inside each, and which 공고일자/시행일자/개정일 changed.
// It is pure: no I/O (renderers write to the io.Writer they are given), no
// clock, no store. It must not decide whether a change was announced in time;
// that is package notice's job.
//
// # Alignment
//
// Sections are matched by key: the heading without numbering, markers, spaces
// and punctuation, so a renumbered section ("3." → "4.", "제3조" → "제4조")
// matches itself and is no change. Untitled sections of a document with
// headings (the preamble, an epilogue such as a dates block) are matched by
// their rank among untitled sections. A document with no headings at all is
// a list of paragraphs, matched by their text. Leftovers are then paired
// greedily by similarity (Dice coefficient of character bigrams of title and
// body): such a pair whose title changed is a renamed section. What stays
// unpaired is added or removed. Of the pairs, those outside a longest
// increasing subsequence of old positions (taken in new order) are moved, so
// one inserted section does not make every later one look moved.
//
// # What is cosmetic
//
// Texts are compared as tokens: words (letters, digits), single punctuation
// runes, and masked dates. Whitespace and line breaks, list markers and
// numbering at the start of a line, Markdown emphasis and horizontal rules are
// not compared; full-width and half-width forms are folded
// (golang.org/x/text/width), text is NFC, zero-width characters and NBSP are
// gone, and punctuation variants (ㆍ·•, “”", –—-) are unified. A run of edits
// whose two sides read the same once spaces are ignored ("보유 기간" →
// "보유기간") is no edit. Two versions that differ only in such ways compare
// Empty.
//
// # Dates
//
// Written dates are masked before comparison on the lines the parser took a
// document's 공고일자, 시행일자 or 개정일 from (DateRef.Text), and wherever
// one of those dates is written again ("이 방침은 2024년 3월 1일부터
// 시행합니다"). A changed date is thus reported once, as a DateChange with
// old and new values, and not again as a text hunk. Other dates (a history
// list, a retention deadline) are text like any other. Change.Substantive is
// therefore false when only the policy's own dates changed.
//
// # Inside a section
//
// Tokens are mapped one rune per distinct token and diffed with go-diff
// (DiffMainRunes, then DiffCleanupSemantic), the DiffLinesToRunes trick at
// word level: Korean edits read "보유기간: ~~1년~~ **3년**". go-diff's
// DiffTimeout (Options.Timeout, 100 ms by default) bounds each section.
// Edits separated by little unchanged text share a hunk; each hunk carries
// context (Before, After) up to the sentence around it.
//
// # JSON
//
// RenderJSON writes a Change with these field names, which are a stable
// contract:
//
//	dates[]            field ("announced" | "effective" | "revised"),
//	                   old, new ("YYYY-MM-DD" or null)
//	sections[]         in the new document's page order, removed sections
//	                   at their old place
//	  kind             "added" | "removed" | "modified" | "moved"
//	  old_title        "" when added
//	  new_title        "" when removed; differs from old_title when renamed
//	  key              alignment key ("h:<title key>", "u:<n>", "p:<text>")
//	  category         policy category of the new side (old side if removed)
//	  old_category     present only when the category changed
//	  old_index        index in the old document's sections, -1 when added
//	  new_index        index in the new document's sections, -1 when removed
//	  hunks[]          absent when only the title or position changed
//	    before, after  context from the new text ("…" marks a cut)
//	    ops[]          kind ("equal" | "insert" | "delete"), text
//	    old_start, old_end, new_start, new_end
//	                   byte offsets of the hunk in the section bodies
//	                   returned by Texts (old and new document)
//	counts             added, removed, modified, moved (sum to len(sections)),
//	                   renamed (modified or moved sections whose title changed)
//
// An added section has one hunk with one insert op holding its whole body; a
// removed section one hunk with one delete op. Change.Apply rebuilds the new
// sections from the old document and the hunks, which is how the tests prove
// that a Change is complete.
package diff
