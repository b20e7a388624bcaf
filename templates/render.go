// Package templates turns the model built by package generator into Go
// source with jennifer. Each generated artifact has its own file here:
// version.go (the compile-time check against package qe), constants.go
// (the collection's name, encryptedFields and spec), fields.go (the typed
// filter fields), repository.go and field_guard.go. The emitters only
// read the model: every name and type expression is resolved by the
// generator.
package templates

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/dave/jennifer/jen"

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
func Render(m *generator.Model) ([]generator.Output, error) { return RenderCached(m, nil) }

// RenderCached is Render, taking from cache the files whose models did not
// change since this release of qegen wrote them. Files are rendered
// concurrently: formatting them is most of the work.
func RenderCached(m *generator.Model, cache *Cache) ([]generator.Output, error) {
	outputs := make([]generator.Output, len(m.Files))
	errs := make([]error, len(m.Files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range m.Files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fingerprint, _ := f.Fingerprint() // "" renders the file
			if src, ok := cache.lookup(f, fingerprint); ok {
				outputs[i] = generator.Output{Path: f.OutputPath, Content: src}
				return
			}
			src, err := renderFile(f)
			if err != nil {
				errs[i] = fmt.Errorf("generating %s: %w", f.OutputPath, err)
			}
			outputs[i] = generator.Output{Path: f.OutputPath, Content: src}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
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
		for _, t := range fieldTypes(c) {
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
		g.fields()
		g.repository()
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
	return groupImports(src), nil
}

// groupImports puts the standard library's imports first and the others
// after a blank line, as goimports does. jennifer writes one sorted block,
// one import per line, which stays sorted within each group; no second
// formatting pass is needed.
func groupImports(src []byte) []byte {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src
	}
	start += len("\nimport (\n")
	end := bytes.Index(src[start:], []byte("\n)\n"))
	if end < 0 {
		return src
	}
	var std, other [][]byte
	for _, line := range bytes.Split(src[start:start+end], []byte("\n")) {
		path := line[bytes.IndexByte(line, '"')+1:]
		if first, _, _ := bytes.Cut(path, []byte("/")); bytes.ContainsRune(first, '.') {
			other = append(other, line)
		} else {
			std = append(std, line)
		}
	}
	if len(std) == 0 || len(other) == 0 {
		return src
	}
	block := append(bytes.Join(std, []byte("\n")), '\n', '\n')
	block = append(block, bytes.Join(other, []byte("\n"))...)
	return append(append(append([]byte(nil), src[:start]...), block...), src[start+end:]...)
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
