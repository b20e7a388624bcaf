// Package testmod makes scratch Go modules for tests: modules that require
// qegen from this checkout and resolve every other module exactly as qegen's
// own go.mod and go.sum do, so tests build generated code offline.
package testmod

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/modfile"
)

// Root is the directory of qegen's go.mod.
func Root() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("testmod: cannot locate the source file")
	}
	return filepath.Abs(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Write puts a go.mod and go.sum into dir for a module named path that
// requires qegen from Root and the same versions of everything else.
func Write(dir, path string) error {
	root, err := Root()
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	own, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\ngo %s\n\nrequire (\n\t%s v0.0.0-00010101000000-000000000000\n", path, own.Go.Version, own.Module.Mod.Path)
	for _, r := range own.Require {
		fmt.Fprintf(&b, "\t%s %s\n", r.Mod.Path, r.Mod.Version)
	}
	fmt.Fprintf(&b, ")\n\nreplace %s => %s\n", own.Module.Mod.Path, root)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
}
