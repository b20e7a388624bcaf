package templates

import (
	"github.com/dave/jennifer/jen"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/fieldtypes"
)

// fields emits the typed fields: a struct with one qe field per path,
// typed so that it offers only what the server supports there, filled
// from its path tags on first use by qe (which checks each against the
// spec), and a function returning a copy of it. The fields are pointers,
// whose methods the qe types declare on pointer receivers: that keeps the
// compiler from building wrappers for every instantiation.
func (g *gen) fields() {
	var decls []jen.Code
	if g.c.ImplicitID != "" {
		typ := jen.Qual(qePkg, string(generator.OrderedFilter)).Types(jen.Qual(bsonPkg, "ObjectID"))
		if twin := fieldtypes.Of(string(generator.OrderedFilter), bsonPkg, "ObjectID"); twin != "" {
			typ = jen.Qual(qePkg, twin)
		}
		decls = append(decls, jen.Id(g.c.ImplicitID).Op("*").Add(typ).Tag(map[string]string{"path": "_id"}))
	}
	for _, f := range g.c.Fields {
		if f.Filter == "" {
			continue
		}
		typ := jen.Qual(qePkg, string(f.Filter))
		switch {
		case f.Twin != "":
			typ = jen.Qual(qePkg, f.Twin)
		case f.Filter.Generic():
			typ = typ.Types(typeCode(f.Value))
		}
		decls = append(decls, jen.Id(f.GoName).Op("*").Add(typ).Tag(map[string]string{"path": f.Path}))
	}
	g.doc("%s are the fields of %s documents, each typed to offer only what the server can do with it: filters, sort keys (fields stored in clear only) and updates ($set and $unset only, on encrypted fields).", g.n.Fields, g.c.GoName)
	g.file.Type().Id(g.n.Fields).Struct(decls...)
	g.file.Line()
	g.file.Var().Id(g.n.FieldsVar).Id(g.n.Fields)
	g.file.Line()

	g.doc("%s returns the fields of %s documents, from which filters, sort keys, projections and updates are built, e.g. %s().%s.", g.n.Where, g.c.GoName, g.n.Where, example(g.c))
	g.file.Func().Id(g.n.Where).Params().Id(g.n.Fields).Block(
		jen.Id(g.n.SpecVar).Dot("Fill").Call(jen.Op("&").Id(g.n.FieldsVar)),
		jen.Return(jen.Id(g.n.FieldsVar)),
	)
	g.file.Line()
}

// example is a filter on the collection's first queryable field, for docs.
func example(c *generator.Collection) string {
	for _, f := range c.Fields {
		switch f.Filter {
		case generator.EqualityFilter, generator.RangeFilter:
			return f.GoName + ".Eq(v)"
		case generator.PrefixFilter, generator.PrefixSuffixFilter:
			return f.GoName + ".StartsWith(s)"
		case generator.SuffixFilter:
			return f.GoName + ".EndsWith(s)"
		case generator.SubstringFilter:
			return f.GoName + ".Contains(s)"
		}
	}
	for _, f := range c.Fields {
		if f.Filter.Filterable() && f.Filter != generator.ArrayFilter {
			return f.GoName + ".Eq(v)"
		}
	}
	return "<Field>.Eq(v)"
}
