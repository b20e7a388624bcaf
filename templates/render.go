// Package templates turns the model built by package generator into Go
// source with jennifer. Each generated artifact has its own file here:
// constants.go (collection name and JSON), encrypted_fields.go,
// create_collection.go, repository.go, finders.go and field_guard.go.
package templates

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/qegen/qegen/generator"
)

// Import paths used by generated code.
const (
	bsonPkg    = "go.mongodb.org/mongo-driver/v2/bson"
	mongoPkg   = "go.mongodb.org/mongo-driver/v2/mongo"
	qePkg      = "github.com/qegen/qegen/qe"
	contextPkg = "context"
)

// Render returns the generated file for every model file, in model order.
func Render(m *generator.Model) ([]generator.Output, error) {
	outputs := make([]generator.Output, 0, len(m.Files))
	for _, f := range m.Files {
		src, err := renderFile(f)
		if err != nil {
			return nil, fmt.Errorf("generating %s: %w", f.OutputPath, err)
		}
		outputs = append(outputs, generator.Output{Path: f.OutputPath, Content: src})
	}
	return outputs, nil
}

func renderFile(f *generator.File) ([]byte, error) {
	file := jen.NewFilePathName(f.PkgPath, f.PkgName)
	file.HeaderComment(generator.Header)
	file.ImportName(bsonPkg, "bson")
	file.ImportName(mongoPkg, "mongo")
	file.ImportName(qePkg, "qe")
	registerImports(file, f)
	for _, c := range f.Collections {
		g := &gen{file: file, c: c, names: c.Names(), pkgPath: f.PkgPath}
		if err := g.collection(); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	// Render formats the source and fails on anything go/format rejects,
	// so unparsable output is never written.
	if err := file.Render(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gen emits the code of one collection.
type gen struct {
	file    *jen.File
	c       *generator.Collection
	names   generator.Names
	pkgPath string // package the generated file belongs to
}

func (g *gen) collection() error {
	if err := g.constants(); err != nil {
		return err
	}
	if err := g.encryptedFields(); err != nil {
		return err
	}
	g.specFunc()
	g.createCollection()
	g.where()
	g.repository()
	g.finders()
	g.fieldGuard()
	return nil
}

// doc writes a comment, one // line per line of text.
func (g *gen) doc(format string, args ...any) {
	for _, line := range strings.Split(fmt.Sprintf(format, args...), "\n") {
		g.file.Comment(line)
	}
}

// element is a bson.E literal on one line: {Key: k, Value: v}.
func element(key, value jen.Code) *jen.Statement {
	return jen.Values(jen.Id("Key").Op(":").Add(key), jen.Id("Value").Op(":").Add(value))
}

// registerImports names the packages of the model's field types, so that
// jennifer imports them without an alias.
func registerImports(file *jen.File, f *generator.File) {
	for _, c := range f.Collections {
		for _, field := range c.Fields {
			for _, pkg := range packagesOf(field.Type) {
				if pkg.Path() != f.PkgPath {
					file.ImportName(pkg.Path(), pkg.Name())
				}
			}
		}
		if c.IDType != nil {
			for _, pkg := range packagesOf(c.IDType) {
				if pkg.Path() != f.PkgPath {
					file.ImportName(pkg.Path(), pkg.Name())
				}
			}
		}
	}
}
