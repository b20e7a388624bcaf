package templates

import (
	"go/token"
	"go/types"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/qegen/qegen/generator"
)

// finders emits the query functions of every queryable field, each a thin
// call through the field's entry in XWhere. Fields without a query kind get
// none, so querying them cannot compile.
func (g *gen) finders() {
	for _, f := range g.c.Fields {
		for _, q := range f.Queries {
			switch q.Kind {
			case generator.KindEquality:
				g.equalityFinders(f)
			case generator.KindRange:
				g.rangeFinders(f)
			case generator.KindPrefix:
				g.textFinder(f, "StartsWith", "prefix", "starts with")
			case generator.KindSuffix:
				g.textFinder(f, "EndsWith", "suffix", "ends with")
			case generator.KindSubstring:
				g.textFinder(f, "Contains", "substring", "contains")
			}
		}
	}
}

func (g *gen) equalityFinders(f *generator.Field) {
	param := paramName(f.GoPath[len(f.GoPath)-1])
	value := typeCode(f.ValueType, g.pkgPath)
	eq := g.whereField(f).Dot("Eq").Call(jen.Id(param))
	note := dateNote(f)
	for _, m := range []struct{ prefix, call, doc string }{
		{"FindBy", "Find", "FindBy%s returns every document whose %s equals %s.%s"},
		{"FindOneBy", "FindOne", "FindOneBy%s returns one document whose %s equals %s,\nor mongo.ErrNoDocuments.%s"},
		{"CountBy", "Count", "CountBy%s counts the documents whose %s equals %s.%s"},
		{"DeleteOneBy", "DeleteOne", "DeleteOneBy%s deletes one document whose %s equals %s.\nQueryable Encryption has no multi-document delete.%s"},
	} {
		g.doc(m.doc, f.GoName, f.Path, param, note)
		g.method(m.prefix+f.GoName).Params(ctxParam(), jen.Id(param).Add(value)).Add(g.results(m.call)).Block(
			jen.Return(jen.Id("r").Dot(m.call).Call(jen.Id("ctx"), eq)),
		)
		g.file.Line()
	}
}

func (g *gen) rangeFinders(f *generator.Field) {
	value := typeCode(f.ValueType, g.pkgPath)
	note := dateNote(f)
	g.doc("FindBy%sBetween returns every document whose %s is\nbetween lo and hi, both included.%s", f.GoName, f.Path, note)
	g.method("FindBy"+f.GoName+"Between").Params(ctxParam(), jen.List(jen.Id("lo"), jen.Id("hi")).Add(value)).Add(g.results("Find")).Block(
		jen.Return(jen.Id("r").Dot("Find").Call(jen.Id("ctx"), g.whereField(f).Dot("Between").Call(jen.Id("lo"), jen.Id("hi")))),
	)
	g.file.Line()
	for _, op := range []struct{ name, words string }{
		{"Gt", "is above"}, {"Gte", "is at least"}, {"Lt", "is below"}, {"Lte", "is at most"},
	} {
		g.doc("FindBy%s%s returns every document whose %s %s v.%s", f.GoName, op.name, f.Path, op.words, note)
		g.method("FindBy"+f.GoName+op.name).Params(ctxParam(), jen.Id("v").Add(value)).Add(g.results("Find")).Block(
			jen.Return(jen.Id("r").Dot("Find").Call(jen.Id("ctx"), g.whereField(f).Dot(op.name).Call(jen.Id("v")))),
		)
		g.file.Line()
	}
}

func (g *gen) textFinder(f *generator.Field, suffix, param, words string) {
	g.doc("FindBy%s%s returns every document whose %s %s %s.", f.GoName, suffix, f.Path, words, param)
	g.method("FindBy"+f.GoName+suffix).Params(ctxParam(), jen.Id(param).String()).Add(g.results("Find")).Block(
		jen.Return(jen.Id("r").Dot("Find").Call(jen.Id("ctx"), g.whereField(f).Dot(suffix).Call(jen.Id(param)))),
	)
	g.file.Line()
}

// whereField is XWhere.<GoName>.
func (g *gen) whereField(f *generator.Field) *jen.Statement {
	return jen.Id(g.names.Where).Dot(f.GoName)
}

// results are the result types of the repository method named call.
func (g *gen) results(call string) *jen.Statement {
	switch call {
	case "Find":
		return jen.Params(jen.Index().Id(g.c.GoName), jen.Error())
	case "FindOne":
		return jen.Params(jen.Op("*").Id(g.c.GoName), jen.Error())
	case "Count":
		return jen.Params(jen.Int64(), jen.Error())
	default:
		return jen.Params(jen.Op("*").Qual(mongoPkg, "DeleteResult"), jen.Error())
	}
}

func dateNote(f *generator.Field) string {
	if f.BSONType == "date" {
		return "\nDates are stored to the millisecond: finer parts are dropped."
	}
	return ""
}

// paramName turns a Go field name into a parameter name: SSN -> ssn,
// PatientID -> patientID. Names the generated body uses are avoided.
func paramName(field string) string {
	runes := []rune(field)
	upper := 0
	for upper < len(runes) && unicode.IsUpper(runes[upper]) {
		upper++
	}
	if upper > 1 && upper < len(runes) {
		upper-- // keep the capital that starts the next word: IDNumber -> idNumber
	}
	name := strings.ToLower(string(runes[:upper])) + string(runes[upper:])
	if token.IsKeyword(name) || types.Universe.Lookup(name) != nil || reserved[name] {
		return "value"
	}
	return name
}

// reserved are names the generated bodies use for themselves.
var reserved = map[string]bool{"ctx": true, "r": true, "cursor": true, "err": true, "doc": true, "docs": true, "lo": true, "hi": true, "v": true, "filter": true}
