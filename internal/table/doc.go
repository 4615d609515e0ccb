// Package table owns the aligned text tables monitord prints for people
// (the CLI's targets, history, alerts and the demo): columns measured as a
// terminal shows them, so Korean headers and values line up.
package table
