package migrate

import (
	"context"
	"math"
	"time"
)

// clock is time as a migration sees it; tests replace it.
type clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (m *Migration[T]) clockOrReal() clock {
	if m.clock == nil {
		return realClock{}
	}
	return m.clock
}

// limiter paces calls to at most rate per second, evenly: no burst, and
// no credit saved up while the caller was busy elsewhere, so a slow
// stretch is never followed by a rush at the server.
type limiter struct {
	interval time.Duration // 0: no limit
	next     time.Time
	clock    clock
}

func newLimiter(rate float64, c clock) *limiter {
	l := &limiter{clock: c}
	if !math.IsInf(rate, 1) && rate > 0 {
		l.interval = time.Duration(float64(time.Second) / rate)
	}
	return l
}

// wait returns when the next call may go, or with ctx's error.
func (l *limiter) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.interval == 0 {
		return nil
	}
	now := l.clock.Now()
	if l.next.Before(now) {
		l.next = now
	}
	d := l.next.Sub(now)
	l.next = l.next.Add(l.interval)
	if d <= 0 {
		return nil
	}
	return l.clock.Sleep(ctx, d)
}
