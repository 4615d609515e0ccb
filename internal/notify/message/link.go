package message

import (
	"net/url"
	"strconv"
	"strings"
)

// DiffLink returns the web UI's diff page of a change from version from to
// version to of target, under base ([server] base_url, or "" for a path
// alone): base + "/t/{target}/diff?from=1&to=2". It is the one spelling of
// that link, used by the UI and by Event.DiffURL.
func DiffLink(base, target string, from, to uint64) string {
	return strings.TrimRight(base, "/") + "/t/" + url.PathEscape(target) + "/diff?from=" + strconv.FormatUint(from, 10) + "&to=" + strconv.FormatUint(to, 10)
}
