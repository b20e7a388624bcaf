//go:build !linux

package main

import "os"

// maxRSS is not reported here: units and meaning differ by platform.
func maxRSS(*os.ProcessState) int64 { return 0 }
