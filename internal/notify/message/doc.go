// Package message owns the alert event as it goes on the wire (the JSON
// contract of design.md) and the words people read about it: the one-sentence
// summary, the localized labels, and the view that the chat formats' templates
// render.
//
// It is pure: no network, no clock, no store. It must not depend on any
// format package; they depend on it.
package message
