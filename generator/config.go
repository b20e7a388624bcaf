package generator

import "github.com/qegen/qegen/schema"

// Config says which packages to read, and for which MongoDB release.
type Config struct {
	Dir       string   // directory the patterns are relative to; "" is the current one
	Patterns  []string // package patterns, as for go build; none means "."
	BuildTags []string // passed to the build system as -tags
	// Target is the release whose rules apply to collections without
	// //qegen:server; zero means schema.DefaultRelease.
	Target schema.Release
}
