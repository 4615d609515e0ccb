// Package policy turns the extracted text of a Korean privacy policy
// (개인정보 처리방침) into a Document: its sections with their hierarchy and
// standard categories, its 공고일자 and 시행일자 with the line each came from,
// the versions it lists as history, and the notice period it promises.
//
// The package is pure: it takes text and returns values. It does no I/O and
// reads no clock.
package policy
