package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/monitord/monitord/internal/i18n"
	"github.com/monitord/monitord/internal/policy"
	"github.com/monitord/monitord/internal/snapshot"
	"github.com/monitord/monitord/internal/web"
)

// Words for people: codes (statuses, kinds, rules, categories) stay codes
// in JSON and become the catalogue's words in text output.

// Kinds of versions, as history -format json names them (the catalogue's
// kind.* keys).
const (
	kindObserved  = "observed"
	kindCosmetic  = "cosmetic"
	kindTechnical = "technical"
	kindReturn    = "return"
	kindImported  = "imported"
)

// versionKind classifies a stored version.
func versionKind(v snapshot.Version) string {
	switch {
	case v.Imported:
		return kindImported
	case v.Technical:
		return kindTechnical
	case v.ReturnOf != 0:
		return kindReturn
	case v.Meta["kind"] == kindCosmetic:
		return kindCosmetic
	}
	return kindObserved
}

// targetStatusText is a target's status (web.Target*) for people.
func targetStatusText(l i18n.Lang, status string, failures int) string {
	switch status {
	case web.TargetOK:
		return l.T("status.ok")
	case web.TargetFailing, web.TargetFailed:
		return l.T("status.failing", failures)
	case web.TargetNeverChecked:
		return l.T("status.unchecked")
	case web.TargetDisabled:
		return l.T("cli.status.disabled")
	case web.TargetRemoved:
		return l.T("cli.status.removed")
	}
	return status
}

// deliveryStateText names a delivery state (snapshot.State*) for people.
func deliveryStateText(l i18n.Lang, state string) string {
	for _, key := range []string{"delivery." + state, "cli.delivery." + state} {
		if i18n.Has(key) {
			return l.T(key)
		}
	}
	return state
}

// categoryText names a section's category for people, with the UI's
// words (ui.category.*) where the catalogue has them.
func categoryText(l i18n.Lang, c policy.Category) string {
	if key := "ui.category." + string(c); i18n.Has(key) {
		return l.T(key)
	}
	return string(c)
}

// printChangedLines writes the lines of a that b lacks ("- ") and the lines
// of b that a lacks ("+ "), in order: how a cosmetic version differs.
func printChangedLines(w io.Writer, a, b string) {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			m[l]++
		}
		return m
	}
	inA, inB := count(a), count(b)
	for _, l := range strings.Split(a, "\n") {
		if inB[l] > 0 {
			inB[l]--
			continue
		}
		fmt.Fprintf(w, "  - %s\n", l)
	}
	for _, l := range strings.Split(b, "\n") {
		if inA[l] > 0 {
			inA[l]--
			continue
		}
		fmt.Fprintf(w, "  + %s\n", l)
	}
}
