// Package i18n owns monitord's one message catalogue: every word that the
// CLI, the web UI, chat messages and e-mail show to people, in Korean (the
// default, since the policies are Korean) and in English (language = "en").
//
// Codes stay codes: rule names, event types and JSON keys are not
// translated; only their human words live here.
//
// Messages are registered per area (cli, ui, chat, notice, board, ...) in
// files named msg_AREA.go, each a map from key to both texts; keys are
// dotted ("ui.status.failing"). A message is a fmt format; the Korean and
// English texts of one key take the same verbs in the same order, which
// TestCatalogueComplete checks together with "every key has both".
//
// A plain map rather than golang.org/x/text/message: Korean and English
// need no plural or gender rules here, and the map makes the completeness
// invariant (every key in both languages, same verbs) one loop to test.
package i18n
