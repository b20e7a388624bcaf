package migrate

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Display prints Progress: on a terminal as one line updated in place a
// few times a second, otherwise (a log file, a pipe, CI) as a plain line
// every ten seconds. The phase's last report is always printed.
type Display struct {
	w     io.Writer
	tty   bool
	every time.Duration
	clock clock

	mu   sync.Mutex
	last time.Time
}

// NewDisplay returns a Display writing to w, in place when w is a
// terminal.
func NewDisplay(w io.Writer) *Display {
	tty := isTerminal(w)
	every := 10 * time.Second
	if tty {
		every = 200 * time.Millisecond
	}
	return &Display{w: w, tty: tty, every: every, clock: realClock{}}
}

// isTerminal reports whether w is a character device, as a terminal is.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// Update prints p, unless a line was printed too recently. Set it as
// Migration.Progress.
func (d *Display) Update(p Progress) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.clock.Now()
	if !p.Finished && !d.last.IsZero() && now.Sub(d.last) < d.every {
		return
	}
	d.last = now
	line := formatProgress(p)
	switch {
	case !d.tty:
		fmt.Fprintln(d.w, line)
	case p.Finished:
		fmt.Fprintf(d.w, "\r%s\x1b[K\n", line)
		d.last = time.Time{} // the next phase starts at once
	default:
		fmt.Fprintf(d.w, "\r%s\x1b[K", line)
	}
}

// formatProgress renders one line: counts, rate, and time left.
func formatProgress(p Progress) string {
	var b strings.Builder
	b.WriteString(p.Phase)
	b.WriteString(": ")
	b.WriteString(thousands(p.Done))
	if p.Total > 0 {
		fmt.Fprintf(&b, " of %s (%.1f%%)", thousands(p.Total), 100*float64(p.Done)/float64(p.Total))
	}
	b.WriteString(" documents")
	if p.Phase == "copy" {
		fmt.Fprintf(&b, " (%s copied, %s already in the target)", thousands(p.Copied), thousands(p.Skipped))
	}
	fmt.Fprintf(&b, ", %.1f/s", p.Rate)
	switch left := p.Remaining(); {
	case p.Finished && p.Done < p.Total:
		fmt.Fprintf(&b, ", stopped after %s", p.Elapsed.Round(time.Second))
	case p.Finished:
		fmt.Fprintf(&b, ", done in %s", p.Elapsed.Round(time.Second))
	case left >= time.Second:
		fmt.Fprintf(&b, ", about %s left", left.Round(time.Second))
	}
	return b.String()
}

// thousands writes n with comma separators: 1234567 is 1,234,567.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
