//go:build !linux

package sdnotify

// monotonicUsec is not available here; systemd exists only on Linux.
func monotonicUsec() int64 { return 0 }
