package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// cost is what one command took.
type cost struct {
	wall time.Duration
	// cpu is user plus system time of the command and every process it
	// waited for, such as the compiler under the go command.
	cpu time.Duration
	// maxRSS is the peak resident memory, in bytes, of the largest single
	// process of the command's tree (the kernel keeps no peak of their
	// sum); 0 where the platform does not report it.
	maxRSS int64
}

// measure runs a command in dir and returns its cost.
func measure(dir string, name string, args ...string) (cost, error) {
	return measureEnv(nil, dir, name, args...)
}

// measureEnv is measure with env added to this process's environment.
func measureEnv(env []string, dir string, name string, args ...string) (cost, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "PWD="+dir), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return cost{}, fmt.Errorf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, out.Bytes())
	}
	st := cmd.ProcessState
	return cost{wall: wall, cpu: st.UserTime() + st.SystemTime(), maxRSS: maxRSS(st)}, nil
}

// medians returns the median of each figure separately.
func medians(cs []cost) cost {
	pick := func(f func(cost) int64) int64 {
		v := make([]int64, len(cs))
		for i, c := range cs {
			v[i] = f(c)
		}
		return median(v)
	}
	return cost{
		wall:   time.Duration(pick(func(c cost) int64 { return int64(c.wall) })),
		cpu:    time.Duration(pick(func(c cost) int64 { return int64(c.cpu) })),
		maxRSS: pick(func(c cost) int64 { return c.maxRSS }),
	}
}
