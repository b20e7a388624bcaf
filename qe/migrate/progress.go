package migrate

import (
	"math"
	"time"
)

// Progress is how far one phase of a migration is.
type Progress struct {
	// Phase is "copy", "dry run" or "verify".
	Phase string
	// Done counts the source documents this phase has done: for a copy,
	// copied plus skipped since the migration started, across resumes.
	Done int64
	// Copied and Skipped split Done for a copy: inserted, or found in the
	// target already.
	Copied, Skipped int64
	// Total is the number of documents the phase expects to do in all:
	// the source's count when a copy or full verification started, or
	// the sample's size.
	Total int64
	// Elapsed is the time since this run of the phase started, and Rate
	// the documents per second done in it.
	Elapsed time.Duration
	Rate    float64
	// Finished is set on the phase's last report.
	Finished bool
}

// Remaining estimates the time left at the current rate; 0 when there is
// no estimate yet.
func (p Progress) Remaining() time.Duration {
	left := p.Total - p.Done
	if p.Rate <= 0 || left <= 0 {
		return 0
	}
	secs := float64(left) / p.Rate
	if secs > float64(math.MaxInt64/int64(time.Second)) {
		return 0
	}
	return time.Duration(secs * float64(time.Second))
}

// tracker turns counts into Progress reports.
type tracker struct {
	phase     string
	total     int64
	start     time.Time
	startDone int64 // done before this run, for the rate
	clock     clock
	report    func(Progress)
}

func newTracker(phase string, total, done int64, c clock, report func(Progress)) *tracker {
	return &tracker{phase: phase, total: total, start: c.Now(), startDone: done, clock: c, report: report}
}

func (t *tracker) update(done, copied, skipped int64, finished bool) {
	if t.report == nil {
		return
	}
	elapsed := t.clock.Now().Sub(t.start)
	p := Progress{Phase: t.phase, Done: done, Copied: copied, Skipped: skipped, Total: t.total, Elapsed: elapsed, Finished: finished}
	if elapsed > 0 {
		p.Rate = float64(done-t.startDone) / elapsed.Seconds()
	}
	t.report(p)
}
