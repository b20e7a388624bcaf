package main

import (
	"os"
	"syscall"
)

// maxRSS reads the peak resident set of a finished process tree; Linux
// reports it in KiB.
func maxRSS(st *os.ProcessState) int64 {
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}
