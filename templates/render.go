// Package templates turns the model built by package generator into Go
// source with jennifer. Each generated artifact has its own file here:
// version.go (the compile-time check against package qe), constants.go
// (the collection's name, encryptedFields and spec), create_collection.go,
// fields.go (the typed filter fields), repository.go, finders.go and
// field_guard.go. The emitters only read the model: every name and type
// expression is resolved by the generator.
package templates

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/imports"

	"github.com/qegen/qegen/generator"
)

// Import paths used by generated code.
const (
	bsonPkg    = "go.mongodb.org/mongo-driver/v2/bson"
	mongoPkg   = "go.mongodb.org/mongo-driver/v2/mongo"
	qePkg      = "github.com/qegen/qegen/qe"
	qeimplPkg  = "github.com/qegen/qegen/qe/qeimpl"
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
	file.ImportName(qeimplPkg, "qeimpl")
	for _, c := range f.Collections {
		for _, t := range append([]*generator.GoType{c.IDType}, fieldTypes(c)...) {
			for path, name := range t.Packages() {
				file.ImportName(path, name)
			}
		}
	}
	versionCheck(file)
	for _, c := range f.Collections {
		g := &gen{file: file, c: c, n: c.Names}
		if err := g.constants(); err != nil {
			return nil, err
		}
		g.createCollection()
		g.fields()
		g.repository()
		g.finders()
		g.fieldGuard()
	}
	var buf bytes.Buffer
	// Render formats the source and fails on anything go/format rejects,
	// so unparsable output is never written.
	if err := file.Render(&buf); err != nil {
		return nil, err
	}
	src := buf.Bytes()
	if f.BuildConstraint != "" {
		header := generator.Header + "\n"
		src = append([]byte(header+"\n//go:build "+f.BuildConstraint+"\n"), bytes.TrimPrefix(src, []byte(header))...)
	}
	// Imports grouped and sorted as goimports does; FormatOnly, so that it
	// never looks for packages.
	return imports.Process(filepath.Base(f.OutputPath), src, &imports.Options{FormatOnly: true, Comments: true, TabIndent: true, TabWidth: 8})
}

// fieldTypes are the type expressions a collection's code writes.
func fieldTypes(c *generator.Collection) []*generator.GoType {
	var out []*generator.GoType
	for _, f := range c.Fields {
		if f.Value != nil && f.Filter != "" {
			out = append(out, f.Value)
		}
	}
	for _, g := range c.Guards {
		if g.Type != nil {
			out = append(out, g.Type)
		}
	}
	return out
}

// gen emits the code of one collection.
type gen struct {
	file *jen.File
	c    *generator.Collection
	n    generator.Names
}

// doc writes a comment, wrapped at 80 columns once its names are filled in.
func (g *gen) doc(format string, args ...any) {
	for _, line := range wrap(fmt.Sprintf(format, args...), 77) {
		g.file.Comment(line)
	}
}

// wrap breaks text into lines of at most width columns at spaces; a
// newline in text starts a new line.
func wrap(text string, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			if line != "" && len(line)+1+len(word) > width {
				lines = append(lines, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		lines = append(lines, line)
	}
	return lines
}

// typeCode writes a resolved type expression.
func typeCode(t *generator.GoType) *jen.Statement {
	switch t.Kind {
	case generator.PointerType:
		return jen.Op("*").Add(typeCode(t.Elem))
	case generator.SliceType:
		return jen.Index().Add(typeCode(t.Elem))
	case generator.ArrayType:
		return jen.Index(jen.Lit(int(t.Len))).Add(typeCode(t.Elem))
	case generator.MapType:
		return jen.Map(typeCode(t.Key)).Add(typeCode(t.Elem))
	}
	s := jen.Id(t.Name)
	if t.PkgPath != "" {
		s = jen.Qual(t.PkgPath, t.Name)
	}
	if len(t.Args) > 0 {
		args := make([]jen.Code, len(t.Args))
		for i, a := range t.Args {
			args[i] = typeCode(a)
		}
		s = s.Types(args...)
	}
	return s
}

func ctxParam() jen.Code { return jen.Id("ctx").Qual(contextPkg, "Context") }
