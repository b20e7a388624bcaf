package migrate

import (
	"context"
	"testing"
	"time"
)

func TestLimiterPacesWithoutBursts(t *testing.T) {
	clock := newFakeClock()
	l := newLimiter(4, clock)
	for range 5 {
		if err := l.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if clock.slept != time.Second {
		t.Errorf("5 calls at 4/s slept %v, want 1s", clock.slept)
	}
	// An idle minute earns no burst: the next two calls are still 250 ms apart.
	clock.advance(time.Minute)
	clock.slept = 0
	l.wait(context.Background())
	l.wait(context.Background())
	if clock.slept != 250*time.Millisecond {
		t.Errorf("after idling, two calls slept %v, want 250ms", clock.slept)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := newLimiter(Unlimited, clock).wait(ctx); err == nil {
		t.Error("wait on a cancelled context should fail, even without a limit")
	}
}
