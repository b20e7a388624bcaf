package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"

	"github.com/qegen/qegen/internal/testmod"
)

// quickStartVersion is the version this checkout is served as.
const quickStartVersion = "v0.1.0"

// TestQuickStartAsWritten runs the README's quick start as a new user
// meets it: a new module, qegen got through the module proxy protocol
// (this checkout, zipped into a GOPROXY=file:// directory; every other
// module from the local module cache, which has the same layout), the Go
// files and the commands exactly as the README shows them, then go vet.
func TestQuickStartAsWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module from scratch: skipped with -short")
	}
	files, commands := quickStart(t)
	root, err := testmod.Root()
	if err != nil {
		t.Fatal(err)
	}
	proxy := t.TempDir()
	serveModule(t, proxy, root)

	dir := t.TempDir()
	userCache := t.TempDir()
	env := append(os.Environ(),
		"XDG_CACHE_HOME="+userCache, // qegen's render cache, kept out of the real one
		"GOCACHE="+goEnv("GOCACHE"), // which XDG_CACHE_HOME would otherwise move
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(goEnv("GOMODCACHE"), "cache", "download")),
		"GOMODCACHE="+t.TempDir(), // nothing installed yet, as on a user's machine
		"GOSUMDB=off",             // this checkout is in no checksum database
		"GOTOOLCHAIN=local",
	)
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("go", "mod", "init", "example.com/medical")
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range commands {
		run(c...)
	}
	run("go", "vet", "./...")
	generated := filepath.Join(dir, "patient_qe.go")
	want, err := os.ReadFile(generated)
	if err != nil {
		t.Fatalf("go generate wrote no patient_qe.go: %v", err)
	}

	// Installed with go get -tool, qegen is a released module: it keeps a
	// render cache, and still renders a file someone edited.
	if caches, _ := filepath.Glob(filepath.Join(userCache, "qegen", "render-*.json")); len(caches) != 1 {
		t.Errorf("render caches after go generate: %v, want one (qegen did not see its release)", caches)
	}
	if err := os.WriteFile(generated, append(want, "// edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	run("go", "generate", "./...")
	if got, _ := os.ReadFile(generated); string(got) != string(want) {
		t.Error("go generate did not restore a hand-edited patient_qe.go")
	}
}

var (
	blockRE    = regexp.MustCompile("(?s)```(go|sh)\n(.*?)```")
	fileNameRE = regexp.MustCompile(`^// (\S+\.go)\n`)
)

// quickStart returns the Go files of the README's quick start, by the
// name in their first line, and the commands of its first shell block.
func quickStart(t *testing.T) (map[string]string, [][]string) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section, _, _ := strings.Cut(string(readme)[strings.Index(string(readme), "## Quick start"):], "\n## The annotations")
	files := map[string]string{}
	var commands [][]string
	for _, b := range blockRE.FindAllStringSubmatch(section, -1) {
		switch {
		case b[1] == "go":
			m := fileNameRE.FindStringSubmatch(b[2])
			if m == nil {
				t.Fatalf("a Go block of the quick start does not start with its file name:\n%s", b[2])
			}
			files[m[1]] = b[2]
		case commands == nil:
			for _, line := range strings.Split(b[2], "\n") {
				line, _, _ = strings.Cut(line, "#")
				if fields := strings.Fields(line); len(fields) > 0 {
					commands = append(commands, fields)
				}
			}
		}
	}
	if len(files) < 2 || len(commands) < 3 {
		t.Fatalf("the quick start has %d Go files and %d commands, want the model, a program and the commands", len(files), len(commands))
	}
	return files, commands
}

// serveModule writes this checkout into proxy as github.com/qegen/qegen
// at quickStartVersion, in the module proxy protocol's layout.
func serveModule(t *testing.T, proxy, root string) {
	t.Helper()
	dir := filepath.Join(proxy, "github.com", "qegen", "qegen", "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, quickStartVersion+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := zip.CreateFromDir(f, module.Version{Path: "github.com/qegen/qegen", Version: quickStartVersion}, root); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{
		"list":                      []byte(quickStartVersion + "\n"),
		quickStartVersion + ".info": []byte(`{"Version":"` + quickStartVersion + `","Time":"2026-11-26T00:00:00Z"}`),
		quickStartVersion + ".mod":  mod,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
