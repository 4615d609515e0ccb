// Package evidence owns export bundles: one change of one target as a set
// of files that stands on its own in a complaint or an article. A bundle
// holds the pages exactly as fetched, their extracted texts, the response
// headers, every timestamp in KST (RFC 3339 with +09:00) and UTC, the
// verdict with its basis and evidence, the diff, the target's chain records
// from the first exported version to the head, a self-contained Korean
// report.html (no external assets, no script; prints on A4), and a
// manifest.json listing every file with its SHA-256 (plus SHA256SUMS, so
// that `sha256sum -c SHA256SUMS` checks the files).
//
// Build reads a Source (the store, through web's store source), and
// WriteZip or WriteDir writes the bundle. The layout:
//
//	manifest.json        {"target", "from", "to", "generated_at", "files": [{path, sha256, bytes}],
//	                      "chain": [{record, sha256, prev}], "chain_head"}
//	SHA256SUMS           the same hashes in sha256sum's format
//	report.html          the report for people (Korean by default)
//	verdict.json         the verdict on the newest exported version: violations (rule, basis,
//	                     evidence), announcement, date changes, summary
//	diff.json            the section diff, as `monitord diff -format json` prints it
//	chain.json           the chain records with their hashes
//	v{ID}/page.{html,txt,raw}  the page as fetched (its own charset)
//	v{ID}/text.txt       the extracted text
//	v{ID}/headers.json   URL, status and response headers
//	v{ID}/version.json   hashes, first/last seen (KST and UTC), dates, chain record
//
// Building is pure apart from the Source: the clock is passed in.
package evidence
