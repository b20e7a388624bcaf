package generator

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
)

// The GOOS and GOARCH values go/build recognises as file name suffixes
// (internal/syslist).
var (
	knownOS   = set("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos")
	knownArch = set("386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm")
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// buildConstraint is what the generated file beside a model file needs to
// be built exactly when the model file is: the model file's //go:build
// expression, its _GOOS, _GOARCH or _GOOS_GOARCH name suffix (which
// <name>_qe.go would lose), and cgo when it imports "C". Empty when the
// model file is always built. It reads the file as written: the syntax
// go/packages hands over for a cgo file is cgo's output.
func buildConstraint(path string) (string, error) {
	file, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return "", err
	}
	var parts []constraint.Expr
	for _, group := range file.Comments {
		if group.Pos() > file.Package {
			break
		}
		for _, c := range group.List {
			if constraint.IsGoBuild(c.Text) {
				if x, err := constraint.Parse(c.Text); err == nil {
					parts = append(parts, x)
				}
			}
		}
	}
	parts = append(parts, nameConstraint(filepath.Base(path))...)
	for _, imp := range file.Imports {
		if imp.Path.Value == `"C"` {
			parts = append(parts, &constraint.TagExpr{Tag: "cgo"})
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	x := parts[0]
	for _, p := range parts[1:] {
		x = &constraint.AndExpr{X: x, Y: p}
	}
	return x.String(), nil
}

// nameConstraint reads go/build's file name rule: the last one or two
// underscore-separated elements, before .go and a _test suffix, may be a
// GOOS, a GOARCH, or GOOS then GOARCH.
func nameConstraint(name string) []constraint.Expr {
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".go"), "_test")
	parts := strings.Split(name, "_")
	n := len(parts)
	tag := func(s string) constraint.Expr { return &constraint.TagExpr{Tag: s} }
	switch {
	case n >= 3 && knownOS[parts[n-2]] && knownArch[parts[n-1]]:
		return []constraint.Expr{tag(parts[n-2]), tag(parts[n-1])}
	case n >= 2 && knownOS[parts[n-1]]:
		return []constraint.Expr{tag(parts[n-1])}
	case n >= 2 && knownArch[parts[n-1]]:
		return []constraint.Expr{tag(parts[n-1])}
	}
	return nil
}
