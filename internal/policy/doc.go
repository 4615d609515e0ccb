// Package policy turns the extracted text of a Korean privacy policy
// (개인정보 처리방침) into a Document: its sections with their hierarchy and
// standard categories, its 공고일자 and 시행일자 with the line each came from,
// the versions it lists as history, and the notice period it promises.
//
// # Headings
//
// The extractor marks the headings a page declares (<h1>–<h6>, Markdown
// headings) as lines starting with "#"×depth and a space. Such a line is a
// heading: its level is the rank of its depth among the depths of the
// document's marked headings (the shallowest is level 1), a numbering
// marker inside it ("## 1. 목적") still becomes Marker and the title is the
// text after it, and Title never keeps the '#' marks while Heading keeps the
// line as written. The document's own title ("# 개인정보처리방침", or the
// page's one <h1>) is part of the preamble, not a section that would hold
// the whole policy. Unmarked lines are judged by their numbering and shape,
// as pages that set headings in bold paragraphs need.
//
// The package is pure: it takes text and returns values. It does no I/O and
// reads no clock.
package policy
