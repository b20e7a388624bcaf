package migrate

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestDisplayOnTerminal(t *testing.T) {
	var out bytes.Buffer
	clock := newFakeClock()
	d := &Display{w: &out, tty: true, every: 200 * time.Millisecond, clock: clock}
	p := Progress{Phase: "copy", Done: 1250, Copied: 1200, Skipped: 50, Total: 10000, Elapsed: 12500 * time.Millisecond, Rate: 100}
	d.Update(p)
	clock.advance(50 * time.Millisecond)
	d.Update(p) // too soon: not printed
	clock.advance(200 * time.Millisecond)
	p.Done = 1300
	d.Update(p)
	p.Done, p.Finished = 10000, true
	d.Update(p) // the last one always
	want := "\rcopy: 1,250 of 10,000 (12.5%) documents (1,200 copied, 50 already in the target), 100.0/s, about 1m28s left\x1b[K" +
		"\rcopy: 1,300 of 10,000 (13.0%) documents (1,200 copied, 50 already in the target), 100.0/s, about 1m27s left\x1b[K" +
		"\rcopy: 10,000 of 10,000 (100.0%) documents (1,200 copied, 50 already in the target), 100.0/s, done in 13s\x1b[K\n"
	if out.String() != want {
		t.Errorf("terminal output\n%q\nwant\n%q", out.String(), want)
	}
}

func TestDisplayInLogs(t *testing.T) {
	var out bytes.Buffer
	clock := newFakeClock()
	d := NewDisplay(&out)
	d.clock = clock
	if d.tty || d.every != 10*time.Second {
		t.Fatalf("a buffer is no terminal: %+v", d)
	}
	for i := range 100 {
		d.Update(Progress{Phase: "verify", Done: int64(i), Total: 100, Rate: 2})
		clock.advance(time.Second / 2)
	}
	d.Update(Progress{Phase: "verify", Done: 100, Total: 100, Rate: 2, Elapsed: 50 * time.Second, Finished: true})
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	// One line per 10 s of 50 s, and the last.
	if len(lines) != 6 || strings.ContainsAny(out.String(), "\r\x1b") {
		t.Errorf("log output has %d lines (want 6, plain):\n%s", len(lines), out.String())
	}
	if last := lines[len(lines)-1]; last != "verify: 100 of 100 (100.0%) documents, 2.0/s, done in 50s" {
		t.Errorf("last line %q", last)
	}
	if got := formatProgress(Progress{Phase: "copy", Done: 40, Total: 100, Elapsed: time.Minute, Finished: true}); !strings.HasSuffix(got, ", stopped after 1m0s") {
		t.Errorf("a phase that ended early: %q", got)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestRemaining(t *testing.T) {
	if got := (Progress{Done: 100, Total: 1100, Rate: 50}).Remaining(); got != 20*time.Second {
		t.Errorf("Remaining = %v, want 20s", got)
	}
	if got := (Progress{Done: 100, Total: 1100}).Remaining(); got != 0 {
		t.Errorf("Remaining without a rate = %v, want 0 (unknown)", got)
	}
}
