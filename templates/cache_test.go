package templates

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/testmod"
	"github.com/qegen/qegen/schema"
)

const cachedModels = `package shop

//qegen:collection customers
type Customer struct {
	ID    string ` + "`bson:\"_id\"`" + `
	Email string ` + "`bson:\"email\" qe:\"equality\"`" + `
}
`

const cachedOrders = `package shop

//qegen:collection orders
type Order struct {
	ID   string ` + "`bson:\"_id\"`" + `
	Card string ` + "`bson:\"card\" qe:\"encrypt\"`" + `
}
`

// useCache points the cache at a fresh directory, as a released qegen;
// the go command keeps its own caches, which would otherwise move too.
func useCache(t *testing.T, rel string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	for i, v := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		t.Setenv([]string{"GOCACHE", "GOMODCACHE", "GOPATH"}[i], v)
	}
	if config, err := os.UserConfigDir(); err == nil {
		t.Setenv("XDG_CONFIG_HOME", config) // go's telemetry, which writes there after go list exits
	}
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", dir) // Unix
	t.Setenv("HOME", dir)           // macOS
	t.Setenv("LocalAppData", dir)   // Windows
	old := buildRelease
	buildRelease = rel
	t.Cleanup(func() { buildRelease = old })
}

func loadShop(t *testing.T, dir string) *generator.Model {
	t.Helper()
	m, err := generator.Load(generator.Config{Dir: dir, Patterns: []string{"."}, Target: schema.DefaultRelease})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCacheRendersOnlyWhatChanged checks the three ways a remembered file
// must be rendered again: its model changed, someone edited it, or the
// cache belongs to another release. A hit is recognised by its content:
// the test records a marked file as what was written, which rendering
// would never produce.
func TestCacheRendersOnlyWhatChanged(t *testing.T) {
	useCache(t, "test-release")
	dir := t.TempDir()
	if err := testmod.Write(dir, "example.com/shop"); err != nil {
		t.Fatal(err)
	}
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("customers.go", cachedModels)
	write("orders.go", cachedOrders)

	m := loadShop(t, dir)
	fresh, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	marked := make([]generator.Output, len(fresh))
	for i, out := range fresh {
		marked[i] = generator.Output{Path: out.Path, Content: append(bytes.Clone(out.Content), "// marked\n"...)}
		if err := os.WriteFile(out.Path, marked[i].Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := OpenCache().Record(m, marked); err != nil {
		t.Fatal(err)
	}

	got, err := RenderCached(loadShop(t, dir), OpenCache())
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if !bytes.Equal(got[i].Content, marked[i].Content) {
			t.Errorf("%s: unchanged model rendered again, want the remembered file", filepath.Base(got[i].Path))
		}
	}

	// An edited model: only its file is rendered.
	write("orders.go", cachedOrders[:len(cachedOrders)-2]+"\tNote string `bson:\"note\"`\n}\n")
	m = loadShop(t, dir)
	got, err = RenderCached(m, OpenCache())
	if err != nil {
		t.Fatal(err)
	}
	want, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	byName := func(outs []generator.Output, name string) []byte {
		for _, o := range outs {
			if filepath.Base(o.Path) == name {
				return o.Content
			}
		}
		t.Fatalf("no output %s", name)
		return nil
	}
	if !bytes.Equal(byName(got, "orders_qe.go"), byName(want, "orders_qe.go")) {
		t.Error("orders_qe.go: edited model not rendered again")
	}
	if !bytes.Contains(byName(got, "customers_qe.go"), []byte("// marked")) {
		t.Error("customers_qe.go: unchanged model rendered again")
	}

	// An edited output file: rendered again, whatever the cache says.
	customers := filepath.Join(dir, "customers_qe.go")
	if err := os.WriteFile(customers, append(bytes.Clone(byName(want, "customers_qe.go")), "// edited by hand\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err = RenderCached(m, OpenCache())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(byName(got, "customers_qe.go"), byName(want, "customers_qe.go")) {
		t.Error("customers_qe.go: hand-edited output trusted instead of rendered")
	}

	// Another release does not read this cache.
	buildRelease = "another-release"
	if c := OpenCache(); c == nil || len(c.entries) != 0 {
		t.Errorf("another release's cache has %d entries, want a fresh one", len(c.entries))
	}
}

// TestCacheOfACheckoutBuild: a build without a module version (this test
// binary, go run ./cmd/qegen) keeps a cache of its own, named by its
// build ID, which changes whenever its emitters do.
func TestCacheOfACheckoutBuild(t *testing.T) {
	useCache(t, "")
	if moduleRelease() != "" {
		t.Skip("this test binary was built as a module version")
	}
	c := OpenCache()
	if c == nil {
		t.Fatal("a checkout build opened no render cache")
	}
	sum := sha256.Sum256([]byte(executableID()))
	if want := "render-" + hex.EncodeToString(sum[:8]) + ".json"; filepath.Base(c.path) != want {
		t.Errorf("cache file %s, want %s (named by the build ID)", filepath.Base(c.path), want)
	}
}

// TestCachePrunesOtherBuilds: each checkout build leaves a cache behind;
// those of other builds are removed once they are a week old.
func TestCachePrunesOtherBuilds(t *testing.T) {
	useCache(t, "test-release")
	dir := t.TempDir()
	if err := testmod.Write(dir, "example.com/shop"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "customers.go"), []byte(cachedModels), 0o644); err != nil {
		t.Fatal(err)
	}
	c := OpenCache()
	cacheDir := filepath.Dir(c.path)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		t.Fatal(err)
	}
	old, recent := filepath.Join(cacheDir, "render-old.json"), filepath.Join(cacheDir, "render-recent.json")
	for _, p := range []string{old, recent} {
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	weekAgo := time.Now().Add(-cacheLifetime - time.Hour)
	if err := os.Chtimes(old, weekAgo, weekAgo); err != nil {
		t.Fatal(err)
	}
	m := loadShop(t, dir)
	outputs, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Record(m, outputs); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{old: false, recent: true, c.path: true} {
		if _, err := os.Stat(path); (err == nil) != want {
			t.Errorf("%s exists: %v, want %v", filepath.Base(path), err == nil, want)
		}
	}
}

func TestCacheUnreadableStartsAgain(t *testing.T) {
	useCache(t, "test-release")
	c := OpenCache()
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c := OpenCache(); c == nil || len(c.entries) != 0 {
		t.Error("an unreadable cache was not replaced by an empty one")
	}
}
