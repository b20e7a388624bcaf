package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/qegen/qegen/internal/golden"
	"github.com/qegen/qegen/internal/testmod"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"qegen": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scripts in testdata/script; see the comment at
// the top of each for what it covers.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// qegen runs `go list`; let it use this machine's caches offline.
			for _, key := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOTOOLCHAIN"} {
				env.Setenv(key, goEnv(key))
			}
			env.Setenv("GOPROXY", "off")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// qegenmod PATH [tool]: write go.mod and go.sum for a module
			// that uses this checkout of qegen (and lists it as a tool).
			"qegenmod": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 1 {
					ts.Fatalf("usage: qegenmod PATH [tool]")
				}
				dir := ts.MkAbs(".")
				ts.Check(testmod.Write(dir, args[0]))
				if len(args) > 1 && args[1] == "tool" {
					f, err := os.OpenFile(filepath.Join(dir, "go.mod"), os.O_APPEND|os.O_WRONLY, 0)
					ts.Check(err)
					_, err = f.WriteString("\ntool github.com/qegen/qegen/cmd/qegen\n")
					ts.Check(err)
					ts.Check(f.Close())
				}
			},
		},
		UpdateScripts: *golden.Update,
	})
}

func goEnv(key string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	out, err := execGo("env", key)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}
