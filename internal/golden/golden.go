// Package golden holds the -update flag shared by every test package, so
// that `go test ./... -update` works from the module root: a flag defined
// in only some test binaries would make the others fail on it.
package golden

import "flag"

// Update asks golden tests to rewrite their expected output.
var Update = flag.Bool("update", false, "rewrite golden files and scripts with the current output")
