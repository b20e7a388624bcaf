package generator

import (
	"errors"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/qegen/qegen/internal/testmod"
)

// loadCase writes testdata/load/NAME.txtar into a scratch module.
func loadCase(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := testmod.Extract(filepath.Join("testdata", "load", name+".txtar"), dir, "example.com/"+name); err != nil {
		t.Fatal(err)
	}
	return dir
}

// collectionNames lists the model's collections as "name:GoName".
func collectionNames(m *Model) []string {
	var names []string
	for _, c := range m.Collections() {
		names = append(names, c.Name+":"+c.GoName)
	}
	return names
}

// fieldOf returns the field of the named collection stored at path.
func fieldOf(t *testing.T, m *Model, collection, path string) *Field {
	t.Helper()
	for _, c := range m.Collections() {
		if c.Name != collection {
			continue
		}
		for _, f := range c.Fields {
			if f.Path == path {
				return f
			}
		}
	}
	t.Fatalf("no field %s in collection %s", path, collection)
	return nil
}

// rootField returns the type of a field of a collection's root struct.
func rootField(t *testing.T, m *Model, collection, name string) types.Type {
	t.Helper()
	for _, c := range m.Collections() {
		if c.Name == collection {
			return fieldType(t, c.Type, name)
		}
	}
	t.Fatalf("no collection %s", collection)
	return nil
}

func fieldType(t *testing.T, typ types.Type, name string) types.Type {
	t.Helper()
	st := typ.Underlying().(*types.Struct)
	for i := range st.NumFields() {
		if st.Field(i).Name() == name {
			return st.Field(i).Type()
		}
	}
	t.Fatalf("%s has no field %s", typ, name)
	return nil
}

func mustLoad(t *testing.T, cfg Config) *Model {
	t.Helper()
	m, err := Load(cfg)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return m
}

// TestLoadNeverCompilesRoots loads packages whose generated code is stale
// (it does not compile, and imports a package that does not exist) and
// that use names generated for each other, through a package between
// them, and logs every compiler run of the go command: the named packages
// and the one between them are never compiled, and they share types.
func TestLoadNeverCompilesRoots(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the compiler log is a shell script")
	}
	dir := loadCase(t, "roots")
	compiled := logCompiles(t)
	m := mustLoad(t, Config{Dir: dir, Patterns: []string{"./a", "./c"}})

	if got, want := collectionNames(m), []string{"patients:Patient", "clinics:Clinic"}; !slices.Equal(got, want) {
		t.Errorf("collections %v, want %v", got, want)
	}
	log := compiled()
	if !strings.Contains(log, "example.com/roots/shared") {
		t.Errorf("the compiler log does not show shared, which comes from export data:\n%s", log)
	}
	for _, pkg := range []string{"a", "b", "c"} {
		if strings.Contains(log, "-p example.com/roots/"+pkg+" ") {
			t.Errorf("the go command compiled example.com/roots/%s:\n%s", pkg, log)
		}
	}
	// a's Patient.Clinic, b's Referral.To and c's Clinic.At are one
	// type, whichever way a reached it.
	at := rootField(t, m, "clinics", "At")
	clinic := rootField(t, m, "patients", "Clinic")
	to := fieldType(t, rootField(t, m, "patients", "Via"), "To")
	if clinic != at || to != at {
		t.Errorf("c.Address is more than one type: %p, %p, %p", at, clinic, to)
	}
	if f := fieldOf(t, m, "patients", "code"); f.BSONType != "string" {
		t.Errorf("shared.Code from export data is %q, want string", f.BSONType)
	}
}

// logCompiles makes the go command run its tools through a script that
// logs each command line, and returns what has been logged so far.
func logCompiles(t *testing.T) func() string {
	t.Helper()
	tmp := t.TempDir()
	log, script := filepath.Join(tmp, "log"), filepath.Join(tmp, "toolexec")
	must(t, os.WriteFile(script, []byte("#!/bin/sh\necho \"$@\" >> \"$QEGEN_TOOLEXEC_LOG\"\nexec \"$@\"\n"), 0o755))
	t.Setenv("QEGEN_TOOLEXEC_LOG", log)
	t.Setenv("GOFLAGS", strings.TrimSpace(os.Getenv("GOFLAGS")+" -toolexec="+script))
	return func() string {
		out, err := os.ReadFile(log)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		return string(out)
	}
}

// TestLoadCgo reads a cgo file without running cgo, and leaves it out
// when cgo is off, as the go command does.
func TestLoadCgo(t *testing.T) {
	dir := loadCase(t, "cgo")

	t.Setenv("CGO_ENABLED", "1")
	m := mustLoad(t, Config{Dir: dir})
	if got, want := collectionNames(m), []string{"people:Person", "readings:Reading"}; !slices.Equal(got, want) {
		t.Errorf("with cgo: collections %v, want %v", got, want)
	}
	if f := fieldOf(t, m, "people", "temp.celsius"); f.Schema == nil || !f.Schema.Has("range") {
		t.Errorf("with cgo: temp.celsius is not range-queryable: the cgo file's Temp was not used")
	}

	t.Setenv("CGO_ENABLED", "0")
	m = mustLoad(t, Config{Dir: dir})
	if got, want := collectionNames(m), []string{"people:Person"}; !slices.Equal(got, want) {
		t.Errorf("without cgo: collections %v, want %v", got, want)
	}
	if f := fieldOf(t, m, "people", "temp.celsius"); f.Schema != nil {
		t.Errorf("without cgo: temp.celsius is encrypted: the cgo file was read")
	}
}

// TestLoadCgoType refuses a collection field of a C type, which qegen
// cannot see without cgo, with the field's position.
func TestLoadCgoType(t *testing.T) {
	dir := loadCase(t, "cgotype")
	t.Setenv("CGO_ENABLED", "1")
	_, err := Load(Config{Dir: dir})
	want := filepath.Join(dir, "native.go") + ":8:2: field Raw: qegen cannot see its type"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Load returned %v, want an error starting %q", err, want)
	}
}

// TestLoadBuildTags checks that -tags chooses the files whose
// collections and types are read.
func TestLoadBuildTags(t *testing.T) {
	dir := loadCase(t, "tags")
	m := mustLoad(t, Config{Dir: dir})
	if got, want := collectionNames(m), []string{"people:Person"}; !slices.Equal(got, want) {
		t.Errorf("without tags: collections %v, want %v", got, want)
	}
	if f := fieldOf(t, m, "people", "note"); f.BSONType != "string" {
		t.Errorf("without tags: note is %s, want string", f.BSONType)
	}
	m = mustLoad(t, Config{Dir: dir, BuildTags: []string{"extra"}})
	if got, want := collectionNames(m), []string{"people:Person", "extras:Extra"}; !slices.Equal(got, want) {
		t.Errorf("with -tags extra: collections %v, want %v", got, want)
	}
	if f := fieldOf(t, m, "people", "note"); f.BSONType != "object" {
		t.Errorf("with -tags extra: note is %s, want object", f.BSONType)
	}
}

// TestLoadSkipsTests checks that test files, of the package or an
// external test package, are never read.
func TestLoadSkipsTests(t *testing.T) {
	dir := loadCase(t, "tests")
	m := mustLoad(t, Config{Dir: dir, Patterns: []string{"./..."}})
	if got, want := collectionNames(m), []string{"people:Person"}; !slices.Equal(got, want) {
		t.Errorf("collections %v, want %v", got, want)
	}
}

// TestLoadVendor loads models against a vendored driver, which has a type
// the module cache's copy lacks.
func TestLoadVendor(t *testing.T) {
	dir := loadCase(t, "vendor")
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOPROXY", "off")
	goCmd(t, dir, "mod", "vendor")
	bsonDir := filepath.Join(dir, "vendor", "go.mongodb.org", "mongo-driver", "v2", "bson")
	must(t, os.WriteFile(filepath.Join(bsonDir, "vendored_only.go"), []byte("package bson\n\n// VendoredOnly exists in this vendor directory only.\ntype VendoredOnly string\n"), 0o644))

	for _, flags := range []string{"", "-mod=vendor"} {
		t.Setenv("GOFLAGS", flags)
		m := mustLoad(t, Config{Dir: dir})
		if f := fieldOf(t, m, "people", "ssn"); f.BSONType != "string" || f.Schema == nil || !f.Schema.Has("equality") {
			t.Errorf("GOFLAGS=%s: ssn is %s, encrypted as %+v; want a queryable string", flags, f.BSONType, f.Schema)
		}
	}
	// The same models against the module cache do not type-check, which
	// shows that the vendored copy was read above.
	t.Setenv("GOFLAGS", "-mod=mod")
	_, err := Load(Config{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "undefined: bson.VendoredOnly") {
		t.Errorf("with -mod=mod: %v, want undefined: bson.VendoredOnly", err)
	}
}

// TestLoadWorkspace loads models that use a type of another module of
// the go.work, from the workspace's root and from inside one module.
func TestLoadWorkspace(t *testing.T) {
	dir := loadCase(t, "workspace")
	must(t, os.Remove(filepath.Join(dir, "go.mod")))
	must(t, os.Remove(filepath.Join(dir, "go.sum")))
	must(t, testmod.Write(filepath.Join(dir, "a"), "example.com/a"))
	must(t, testmod.Write(filepath.Join(dir, "b"), "example.com/b"))
	t.Setenv("GOWORK", "")

	m := mustLoad(t, Config{Dir: dir, Patterns: []string{"./a/...", "./b/..."}})
	if got, want := collectionNames(m), []string{"people:Person", "kinds:Entry"}; !slices.Equal(got, want) {
		t.Errorf("from the workspace: collections %v, want %v", got, want)
	}
	if kind, name := fieldOf(t, m, "people", "kind"), fieldOf(t, m, "kinds", "name"); kind.Declared != name.Declared {
		t.Errorf("kinds.Kind is two types: %v and %v", kind.Declared, name.Declared)
	}

	m = mustLoad(t, Config{Dir: filepath.Join(dir, "a"), Patterns: []string{"./..."}})
	if f := fieldOf(t, m, "people", "kind"); f.BSONType != "string" || f.Declared.String() != "example.com/b/kinds.Kind" {
		t.Errorf("from module a: kind is %s (%s), want string (example.com/b/kinds.Kind)", f.Declared, f.BSONType)
	}
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestLoadImportErrors checks that a problem with an import is reported
// once, where the import is written, with what to do.
func TestLoadImportErrors(t *testing.T) {
	dir := loadCase(t, "loaderrs")
	tests := []struct {
		pattern string
		want    string
	}{
		{"./missing", "missing/m.go:3:8: could not import example.com/elsewhere/nope (no required module provides package example.com/elsewhere/nope; to add it: go get example.com/elsewhere/nope)"},
		{"./cycle/a", "cycle/b/b.go:3:8: could not import example.com/loaderrs/cycle/a (import cycle not allowed: example.com/loaderrs/cycle/a imports example.com/loaderrs/cycle/b imports example.com/loaderrs/cycle/a: move what they share into a package that imports neither)"},
		{"./cycle/...", "cycle/a/a.go:3:8: could not import example.com/loaderrs/cycle/b (import cycle not allowed: example.com/loaderrs/cycle/b imports example.com/loaderrs/cycle/a imports example.com/loaderrs/cycle/b: move what they share into a package that imports neither)"},
		{"./broken/m", `broken/m/m.go:3:8: could not import example.com/loaderrs/broken/dep (broken/dep/dep.go:5:13: cannot use "no" (untyped string constant) as int value in variable declaration)`},
		{"./self", "self/self.go:3:8: could not import example.com/loaderrs/self (package example.com/loaderrs/self imports itself: remove the import)"},
		{"./nosuchdir", "qegen: stat " + filepath.Join(dir, "nosuchdir") + ": directory not found"},
	}
	for _, tt := range tests {
		_, err := Load(Config{Dir: dir, Patterns: []string{tt.pattern}})
		var list ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: Load returned %v, want an ErrorList", tt.pattern, err)
			continue
		}
		list.Relative(dir)
		if got := list.Error(); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.pattern, got, tt.want)
		}
	}
}
