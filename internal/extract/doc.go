// Package extract owns the step from a fetched page to the policy's plain
// text: it removes what is not the policy (scripts, styles, hidden elements,
// navigation, page chrome), keeps the document's structure as one line per
// block, and normalizes whitespace and Unicode so that the same policy text
// always yields the same string.
//
// The package is pure: no I/O, no clock, no package-level mutable state.
// Every function takes values and returns values, so it is safe for
// concurrent use and cheap to fuzz and benchmark.
//
// # Output contract
//
// Every function returns text in which:
//
//   - each block of the source (heading, paragraph, list item, table row,
//     definition term or description, option of a select, line of a pre
//     block, line after a <br>) is one line;
//   - lines are separated by a single "\n", with no blank lines and no
//     leading or trailing newline: a blank line between blocks would only
//     record how the page was laid out, which is not the policy;
//   - every Unicode space (NBSP, U+3000 and the U+2000 family, tabs) is an
//     ASCII space, runs of spaces are one space and each line is trimmed;
//   - zero-width and bidi format characters and control characters are
//     removed (see Normalize);
//   - the text is valid UTF-8 in Unicode NFC.
//
// Full-width letters and digits are kept as they are: folding them is a
// comparison concern that belongs to the diff, not to the stored text.
//
// # Headings
//
// A heading is one line that starts with its level's marker, N "#" and a
// space, then the heading's text: "## 제2조(수집하는 개인정보 항목)". This is
// how the parser (internal/policy) learns that a line was a heading and at
// which depth, which bare lines cannot tell it. Marked are:
//
//   - HTML <h1>–<h6> (level N), and any element with role="heading"
//     (level aria-level, 2 without it, at most 6; aria-level also sets an
//     <hN>'s level; role="presentation" or "none" takes the heading away);
//   - Markdown ATX headings ("### 보유 기간", also "###보유 기간") at their
//     level, setext headings (a one-line paragraph over "===" is level 1,
//     over "---" level 2), and HTML heading tags inside Markdown.
//
// Everything inside a heading stays on its one line (a <br> or a block in
// it becomes a space), and a heading with no visible text writes nothing.
// Bold paragraphs (<p><b>1. 목적</b></p>), the pseudo-headings of old
// editors, are not marked: nothing in the markup says they are headings, and
// the parser judges them by their numbering. In a table row of several
// cells, a heading in a cell is data and loses its marker; a row holding
// only that heading keeps it, and so does a heading in a layout cell.
//
// Markers are only ever added at the start of a line. A line of the source
// that merely looks like one ("# …" typed in a paragraph, in <pre>, in
// fenced code or in a text/plain body) is passed through as it is, so the
// parser reads it as a heading too: on policy pages such lines are headings
// in all but name, and escaping them would change the stored text.
//
// # Choosing the policy without a selector
//
// Without Rules.Selector, HTML drops page chrome (page-level header and
// footer, nav, aside and the ARIA landmarks navigation, banner and
// contentinfo) and then picks the element that holds the policy:
//
//  1. Each text node weighs its length when it contains "개인정보" (also
//     spelt "개인 정보", or split by inline tags as in "<b>개인</b>정보"),
//     or "privacy" on pages with no Korean keyword at all.
//  2. The candidate is the smallest element holding at least 85% of the
//     page's weight. Because 85% is more than half, the elements that pass
//     form one chain from <body> down, so "smallest" is well defined.
//  3. If the candidate lies inside an <article>, the nearest article is
//     taken whole. Otherwise the candidate grows to its parent as long as
//     what the parent adds is policy-like (at least half of it by weight,
//     or it mentions 시행, 부칙, 공고 or "effective", which is where the
//     dates live) and stays small (at most 15% of the candidate's text),
//     never above <main>. This brings in a title or an addendum that sits
//     next to the policy box, and leaves out side menus.
//  4. A candidate with under 200 bytes of text, or under 1,000 bytes that
//     is also under a fifth of the page (a footer link, a cookie notice),
//     is not a policy box: the whole body is used instead, and so it is
//     when no keyword is found. (Sizes count the UTF-8 bytes of text
//     nodes without their surrounding spaces: a Hangul syllable is three.)
//
// Elements are never split: the chosen element is rendered whole.
//
// # Markdown and plain text
//
// Markdown keeps one line per source line (policy authors write one clause
// per line and rely on it), marks headings as above, drops the rest of the
// markup (bullet markers, emphasis, link targets, images, fences) and keeps
// ordered-list numbers, which carry section numbering. Of a YAML front
// matter only the keys whose value has digits are kept, as a block between
// "---" lines at the top of the text: a policy published as a page of a
// static site may state its date only there ("last_updated: 2025-03-01").
// The parser sets the block aside from the sections and reads its dates.
// Plain text is only normalized.
package extract
