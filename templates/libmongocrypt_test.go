package templates

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/qetest"
	"github.com/qegen/qegen/internal/testmod"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/schema"
)

// TestGoldenWithLibmongocrypt runs every collection of every golden case
// through the real libmongocrypt in explicit mode (no server: see package
// qetest), with the server version the collection needs.
func TestGoldenWithLibmongocrypt(t *testing.T) {
	qetest.Skip(t)
	cases, err := filepath.Glob("testdata/golden/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			c, err := testmod.Extract(file, dir, "example.com/"+name)
			if err != nil {
				t.Fatal(err)
			}
			if _, failing := c.Expected["stderr"]; failing {
				t.Skip("qegen refuses this case's models")
			}
			server := schema.DefaultRelease
			if c.Server != "" {
				if server, err = schema.ParseRelease(c.Server); err != nil {
					t.Fatal(err)
				}
			}
			model, err := generator.Load(generator.Config{Dir: dir, Patterns: []string{"./..."}, Target: server})
			if err != nil {
				t.Fatal(err)
			}
			checkCollections(t, model)
		})
	}
}

// TestExampleWithLibmongocrypt does the same for the example's models at
// every target release (collections with //qegen:server keep theirs).
func TestExampleWithLibmongocrypt(t *testing.T) {
	qetest.Skip(t)
	root, err := testmod.Root()
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"7.0", "8.0", "8.2", "9.0"} {
		t.Run(target, func(t *testing.T) {
			server, _ := schema.ParseRelease(target)
			model, err := generator.Load(generator.Config{Dir: root, Patterns: []string{"./example"}, Target: server})
			if err != nil {
				t.Fatal(err)
			}
			checkCollections(t, model)
		})
	}
}

func checkCollections(t *testing.T, model *generator.Model) {
	for _, c := range model.Collections() {
		t.Run(c.Name, func(t *testing.T) {
			spec := qe.CollectionSpec{Name: c.Name, EncryptedFields: c.Schema, MinServer: c.MinServer, MaxServer: c.MaxServer}
			qetest.CheckCollection(t, spec, c.MinServer.Major, c.MinServer.Minor, 0)
		})
	}
}
