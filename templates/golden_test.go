package templates

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/golden"
	"github.com/qegen/qegen/internal/testmod"
	"github.com/qegen/qegen/schema"
)

// TestGolden runs qegen on each testdata/golden/*.txtar module and compares
// the generated files with want/... (or the errors with stderr); the
// generated code must then build and pass go vet, and its repositories must
// have query functions for exactly the queryable fields.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/golden/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runGolden(t, file, name)
		})
	}
}

func runGolden(t *testing.T, file, name string) {
	dir := t.TempDir()
	c, err := testmod.Extract(file, dir, "example.com/"+name)
	if err != nil {
		t.Fatal(err)
	}
	ar, want := c.Archive, c.Expected
	server := schema.DefaultRelease
	if c.Server != "" {
		if server, err = schema.ParseRelease(c.Server); err != nil {
			t.Fatal(err)
		}
	}
	model, outputs, err := generate(dir, server)
	got := map[string][]byte{}
	if err != nil {
		var list generator.ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("qegen failed without positions: %v", err)
		}
		list.Relative(dir)
		got["stderr"] = []byte(list.Error() + "\n")
	}
	for _, out := range outputs {
		rel, _ := filepath.Rel(dir, out.Path)
		got["want/"+filepath.ToSlash(rel)] = out.Content
	}

	if *golden.Update {
		rewriteGolden(t, file, ar, got)
	} else if diff := cmp.Diff(stringMap(want), stringMap(got)); diff != "" {
		t.Errorf("generated output differs from %s (-want +got), rerun with -update if intended:\n%s", file, diff)
	}
	if err != nil {
		return
	}
	if _, err := generator.Write(outputs, model.Orphans); err != nil {
		t.Fatal(err)
	}
	vet := exec.Command("go", "vet", "./...")
	vet.Dir = dir
	if out, err := vet.CombinedOutput(); err != nil {
		t.Fatalf("generated code does not build or vet:\n%s", out)
	}
	checkRepositoryMethods(t, dir, model)
}

func generate(dir string, server schema.Release) (*generator.Model, []generator.Output, error) {
	model, err := generator.Load(generator.Config{Dir: dir, Patterns: []string{"./..."}, Target: server})
	if err != nil {
		return nil, nil, err
	}
	outputs, err := Render(model)
	return model, outputs, err
}

func rewriteGolden(t *testing.T, file string, ar *txtar.Archive, got map[string][]byte) {
	var files []txtar.File
	for _, f := range ar.Files {
		if f.Name != "stderr" && !strings.HasPrefix(f.Name, "want/") {
			files = append(files, f)
		}
	}
	for _, name := range sortedNames(got) {
		files = append(files, txtar.File{Name: name, Data: got[name]})
	}
	ar.Files = files
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

func stringMap(m map[string][]byte) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = string(bytes.TrimRight(v, "\n")) // txtar may add a final newline
	}
	return out
}
