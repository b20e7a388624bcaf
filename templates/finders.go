package templates

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/qegen/qegen/generator"
)

// finders emits the query functions of every equality-queryable field.
// Fields without an equality query get none, so querying them cannot compile.
func (g *gen) finders() error {
	doc := g.c.GoName
	for _, f := range g.c.Fields {
		if !f.Queryable(string(generator.KindEquality)) {
			continue
		}
		valueType := typeCode(f.ValueType, g.pkgPath)
		if valueType == nil {
			return &generator.Error{Pos: f.Pos, Msg: fmt.Sprintf("field %s: its type %s cannot be named in package %s, so no query function can take it: use an exported type", strings.Join(f.GoPath, "."), f.ValueType, g.pkgPath)}
		}
		param := paramName(f.GoPath[len(f.GoPath)-1])
		filter := bsonFilter(f.Path, jen.Id(param))
		params := func() *jen.Statement { return jen.Params(ctxParam(), jen.Id(param).Add(valueType)) }

		g.doc("FindBy%s returns every document whose %s equals %s.\nThe server matches the encrypted value without decrypting it.", f.GoName, f.Path, param)
		g.method("FindBy"+f.GoName).Add(params()).Params(jen.Index().Id(doc), jen.Error()).Block(
			jen.List(jen.Id("cursor"), jen.Err()).Op(":=").Add(g.coll("Find", filter)),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Var().Id("docs").Index().Id(doc),
			jen.If(jen.Err().Op(":=").Id("cursor").Dot("All").Call(jen.Id("ctx"), jen.Op("&").Id("docs")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Err()),
			),
			jen.Return(jen.Id("docs"), jen.Nil()),
		)
		g.file.Line()

		g.doc("FindOneBy%s returns one document whose %s equals %s,\nor mongo.ErrNoDocuments.", f.GoName, f.Path, param)
		g.method("FindOneBy"+f.GoName).Add(params()).Params(jen.Op("*").Id(doc), jen.Error()).Block(findOneBody(g, doc, filter)...)
		g.file.Line()

		g.doc("CountBy%s counts the documents whose %s equals %s.", f.GoName, f.Path, param)
		g.method("CountBy"+f.GoName).Add(params()).Params(jen.Int64(), jen.Error()).Block(
			jen.Return(g.coll("CountDocuments", filter)),
		)
		g.file.Line()

		g.doc("DeleteOneBy%s deletes one document whose %s equals %s.\nQueryable Encryption has no multi-document delete.", f.GoName, f.Path, param)
		g.method("DeleteOneBy"+f.GoName).Add(params()).Params(jen.Op("*").Qual(mongoPkg, "DeleteResult"), jen.Error()).Block(
			jen.Return(g.coll("DeleteOne", filter)),
		)
		g.file.Line()
	}
	return nil
}

// paramName turns a Go field name into a parameter name: SSN -> ssn,
// PatientID -> patientID. Names the generated body uses are avoided.
func paramName(field string) string {
	runes := []rune(field)
	upper := 0
	for upper < len(runes) && unicode.IsUpper(runes[upper]) {
		upper++
	}
	switch {
	case upper == len(runes):
		upper = len(runes)
	case upper > 1:
		upper-- // keep the capital that starts the next word: IDNumber -> idNumber
	}
	name := strings.ToLower(string(runes[:upper])) + string(runes[upper:])
	if token.IsKeyword(name) || types.Universe.Lookup(name) != nil || reserved[name] {
		return "value"
	}
	return name
}

// reserved are names the generated bodies use for themselves.
var reserved = map[string]bool{"ctx": true, "r": true, "cursor": true, "err": true, "doc": true, "docs": true}

func derefType(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}
