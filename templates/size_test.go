package templates

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/testmod"
	"github.com/qegen/qegen/schema"
)

// generatedLines generates a collection with n fields of the given
// declaration and counts the lines of its generated file.
func generatedLines(t *testing.T, n int, decl string) int {
	t.Helper()
	dir := t.TempDir()
	if err := testmod.Write(dir, "example.com/size"); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("package size\n\n//qegen:collection things\ntype Thing struct {\n")
	for i := range n {
		fmt.Fprintf(&b, "\tF%d %s\n", i, strings.ReplaceAll(decl, "KEY", fmt.Sprintf("f%d", i)))
	}
	b.WriteString("}\n")
	if err := os.WriteFile(filepath.Join(dir, "models.go"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := generator.Load(generator.Config{Dir: dir, Patterns: []string{"."}, Target: schema.Release90})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(out[0].Content, []byte("\n"))
}

// TestGeneratedSizePerField keeps the generated code per field small; the
// README states these figures. Most of an encrypted field's lines are its
// entry in the encryptedFields JSON, which reviewers read and which costs
// the compiler nothing.
func TestGeneratedSizePerField(t *testing.T) {
	tests := []struct {
		name, decl string
		max        int
	}{
		{"plain", "string `bson:\"KEY\"`", 1},
		{"encrypt", "string `bson:\"KEY\" qe:\"encrypt\"`", 7},
		{"equality", "string `bson:\"KEY\" qe:\"equality\"`", 13},
		{"range", "int32 `bson:\"KEY\" qe:\"range,min=0,max=100\"`", 26},
		{"substring", "string `bson:\"KEY\" qe:\"substring,strMinQueryLength=2,strMaxQueryLength=10,strMaxLength=60\"`", 25},
	}
	if base := generatedLines(t, 0, ""); base > 134 {
		t.Errorf("a collection without fields: %d generated lines, want at most 134", base)
	}
	for _, tt := range tests {
		perField := (generatedLines(t, 10, tt.decl) - generatedLines(t, 1, tt.decl)) / 9
		t.Logf("%s: %d lines per field", tt.name, perField)
		if perField > tt.max {
			t.Errorf("%s: %d generated lines per field, want at most %d", tt.name, perField, tt.max)
		}
	}
}
