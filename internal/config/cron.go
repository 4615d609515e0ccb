package config

import (
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// MinInterval is the shortest "@every" interval a schedule may use: checking
// a policy page more often than once a minute is impolite and pointless.
const MinInterval = time.Minute

// scheduleHelp says what ParseSchedule accepts.
const scheduleHelp = `use 5 fields "minute hour day-of-month month day-of-week" such as "0 */6 * * *", ` +
	`or a descriptor: @hourly, @daily, @weekly, @monthly, @yearly, "@every 1h"`

// scheduleHint is scheduleHelp as an argument of a message: English in
// Error(), in the reader's language when rendered.
func scheduleHint() error { return cerr(scheduleHelp) }

// CronParser returns the parser of schedule specs: standard 5-field specs and
// descriptors (@hourly, @daily, @every 1h, ...). The scheduler must parse with
// it (or with ParseSchedule) so that it accepts exactly what the config does.
func CronParser() cron.Parser {
	return cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
}

// ParseSchedule parses a schedule spec with CronParser and rejects what the
// daemon cannot honour: empty specs, TZ=/CRON_TZ= prefixes (every schedule
// runs in notice.timezone: give the scheduler cron.WithLocation), "@every"
// intervals under MinInterval, and specs that never fire (such as 30 February).
func ParseSchedule(spec string) (cron.Schedule, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, cerr("empty schedule: %s", scheduleHint())
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, cerr("invalid cron spec %q: time zone prefixes are not supported, schedules run in notice.timezone", spec)
	}
	sched, err := CronParser().Parse(spec)
	if err != nil {
		return nil, cerr("invalid cron spec %q: %w; %s", spec, err, scheduleHint())
	}
	if every, ok := sched.(cron.ConstantDelaySchedule); ok && every.Delay < MinInterval {
		return nil, cerr("invalid cron spec %q: interval must be at least %s", spec, fmtDuration(MinInterval))
	}
	// Next searches five years ahead and returns the zero time when nothing
	// matches. A fixed reference keeps the answer independent of the clock;
	// five years from it include a 29 February.
	ref := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	if sched.Next(ref).IsZero() {
		return nil, cerr("invalid cron spec %q: it never fires (no such date); %s", spec, scheduleHint())
	}
	return sched, nil
}
