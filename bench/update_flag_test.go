package main

// Registers -update, so that `go test ./... -update` runs in this package too.
import _ "github.com/qegen/qegen/internal/golden"
