package templates

import (
	"bytes"
	"testing"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/testmod"
)

// TestSameBytesWhateverTheOrder generates one package three times: as a
// package pattern, and as its files listed in two orders. Every run must
// produce the same files with the same bytes.
func TestSameBytesWhateverTheOrder(t *testing.T) {
	dir := t.TempDir()
	if _, err := testmod.Extract("testdata/golden/multiple.txtar", dir, "example.com/multiple"); err != nil {
		t.Fatal(err)
	}
	runs := [][]string{{"."}, {"models.go", "events.go"}, {"events.go", "models.go"}, {"."}}
	var first []generator.Output
	for i, patterns := range runs {
		m, err := generator.Load(generator.Config{Dir: dir, Patterns: patterns})
		if err != nil {
			t.Fatalf("%v: %v", patterns, err)
		}
		out, err := Render(m)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = out
			if len(first) != 2 {
				t.Fatalf("got %d files, want 2", len(first))
			}
			continue
		}
		if len(out) != len(first) {
			t.Fatalf("%v: %d files, want %d", patterns, len(out), len(first))
		}
		for j := range out {
			if out[j].Path != first[j].Path || !bytes.Equal(out[j].Content, first[j].Content) {
				t.Errorf("%v: %s differs from the first run's %s", patterns, out[j].Path, first[j].Path)
			}
		}
	}
}
