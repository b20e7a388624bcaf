package templates

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/testmod"
)

// fuzzTypes are the Go types a fuzzed field may have.
var fuzzTypes = []string{"string", "int32", "int64", "float64", "bool", "time.Time", "bson.Decimal128", "*string", "[]string", "Inner", "int", "map[string]string", "any", "bson.ObjectID"}

// FuzzPipeline runs the whole pipeline, load → build → render → type check
// of the output, on struct sources built from fuzzed struct tags, keys and
// types: it never panics, every refusal is an error list with positions,
// and everything it accepts renders and compiles.
func FuzzPipeline(f *testing.F) {
	seeds := []struct {
		tag1, tag2 string
		types      uint16
	}{
		{`bson:"ssn" qe:"equality"`, `bson:"billing" qe:"encrypt"`, 0x0900},
		{`qe:"encrypt`, `bson:"phone",qe:"equality"`, 0},
		{`bson:"a\n*/ func init() { panic(1) } /*" qe:"encrypt"`, `bson:"b\x00" qe:"equality"`, 0},
		{`bson:"at" qe:"range,min=2000-01-01T00:00:00Z,max=2100-01-01T00:00:00Z"`, `bson:"n" qe:"range"`, 0x0205},
		{`bson:"name" qe:"prefix,suffix,strMinQueryLength=2,strMaxQueryLength=9"`, `bson:",inline"`, 0x0900},
		{"bson:\"`\" qe:\"equality\"", `bson:"x\\y\"z" qe:"equality"`, 0},
	}
	for _, s := range seeds {
		f.Add(s.tag1, s.tag2, s.types)
	}
	f.Fuzz(func(t *testing.T, tag1, tag2 string, types uint16) {
		dir := t.TempDir()
		if err := testmod.Write(dir, "example.com/fuzz"); err != nil {
			t.Fatal(err)
		}
		t1, t2 := fuzzTypes[int(types&0xff)%len(fuzzTypes)], fuzzTypes[int(types>>8)%len(fuzzTypes)]
		src := fmt.Sprintf(`package fuzz

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

var _ time.Time
var _ bson.D

//qegen:collection things
type Thing struct {
	A %s %s
	B %s %s
}

type Inner struct {
	C string `+"`bson:\"c\" qe:\"equality\"`"+`
}
`, t1, strconv.Quote(tag1), t2, strconv.Quote(tag2))
		if err := os.WriteFile(filepath.Join(dir, "models.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		model, err := generator.Load(generator.Config{Dir: dir, Patterns: []string{"."}})
		if err != nil {
			var list generator.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("refused without positions: %v\n%s", err, src)
			}
			for _, e := range list {
				if !e.Pos.IsValid() {
					t.Fatalf("an error without a position: %v\n%s", e, src)
				}
			}
			return
		}
		outputs, err := Render(model)
		if err != nil {
			t.Fatalf("accepted, then failed to render: %v\n%s", err, src)
		}
		if _, err := generator.Write(outputs, model.Orphans); err != nil {
			t.Fatal(err)
		}
		pkgs, err := packages.Load(&packages.Config{Dir: dir, Mode: packages.NeedTypes | packages.NeedName | packages.NeedSyntax}, ".")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkgs {
			for _, e := range p.Errors {
				out, _ := os.ReadFile(strings.TrimSuffix(filepath.Join(dir, "models.go"), ".go") + "_qe.go")
				t.Fatalf("accepted, and the output does not compile: %v\n%s\n%s", e, src, out)
			}
		}
	})
}
