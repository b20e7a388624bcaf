package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// listedPackage is what qegen reads of `go list -json` for one package.
type listedPackage struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string // relative to Dir, cgo files excluded
	CgoFiles   []string // relative to Dir; empty when cgo is disabled
	Imports    []string // import paths after vendoring, of every file
	// ImportMap maps an import as written to its path in Imports where
	// the two differ (vendoring outside modules).
	ImportMap map[string]string
	DepOnly   bool // listed only because a named package depends on it
	Module    *struct{ GoVersion string }
	// Export is the file holding the export data (with -export); empty
	// when the package failed to build.
	Export     string
	Error      *listError
	DepsErrors []*listError
}

// listError is the go command's report of a problem with a package.
type listError struct {
	ImportStack []string
	Pos         string // "file:line:col" relative to the go command's directory, or ""
	Err         string
}

// graphFields is what qegen reads about the named packages and their
// dependencies. Leaving out Stale, Deps and the like keeps go list from
// hashing every dependency's files.
const graphFields = "ImportPath,Name,Dir,GoFiles,CgoFiles,Imports,ImportMap,DepOnly,Module,Error,DepsErrors"

// exportFields is what qegen reads about packages it imports from export data.
const exportFields = "ImportPath,Export,Error,DepsErrors"

// goList runs `go list -e` in dir with the build tags, the flags and the
// arguments, and returns every package it prints, in its order.
func goList(dir string, tags []string, flags []string, args ...string) ([]*listedPackage, error) {
	cmdArgs := append([]string{"list", "-e", "-buildvcs=false", "-pgo=off"}, flags...)
	if len(tags) > 0 {
		cmdArgs = append(cmdArgs, "-tags="+strings.Join(tags, ","))
	}
	cmdArgs = append(append(cmdArgs, "--"), args...)
	out, err := runGo(dir, cmdArgs...)
	if err != nil {
		return nil, err
	}
	var pkgs []*listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(listedPackage)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("reading go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
}

// goEnv returns `go env name` as seen from dir.
func goEnv(dir, name string) (string, error) {
	out, err := runGo(dir, "env", name)
	return strings.TrimSpace(string(out)), err
}

// runGo runs the go command in dir and returns its standard output, or
// its standard error as the error.
func runGo(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	// The go command trusts $PWD when it names dir, which keeps the paths
	// it prints as the user wrote them through symbolic links.
	cmd.Env = append(os.Environ(), "PWD="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("go %s: %s", args[0], msg)
	}
	return stdout.Bytes(), nil
}

// absPos makes the file of a go list position absolute.
func absPos(dir, pos string) string {
	if pos == "" || filepath.IsAbs(pos) {
		return pos
	}
	return filepath.Join(dir, pos)
}

// flatten puts a go command message on one line: it indents the fix it
// suggests on a line of its own.
func flatten(msg string) string {
	return strings.Join(strings.Fields(msg), " ")
}
