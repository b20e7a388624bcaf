package templates

import (
	"strings"

	"github.com/dave/jennifer/jen"
)

// finders emits the lookups of every equality field: a thin call through
// the field's typed filter. Every other query goes through the filter
// itself, so a field without a query kind has nothing to call.
func (g *gen) finders() {
	for _, f := range g.c.Fields {
		eq := jen.Id(g.n.FieldsVar).Dot(f.GoName).Dot("Eq") // filled by the constructor
		selector := strings.Join(f.GoPath, ".")
		for _, m := range f.Finders {
			value := jen.Id(m.Param).Add(typeCode(f.Value))
			if m.One {
				g.doc("%s returns one document whose %s equals %s, or mongo.ErrNoDocuments.", m.Name, selector, m.Param)
				g.method(m.Name).Params(ctxParam(), value).Params(jen.Op("*").Id(g.c.GoName), jen.Error()).Block(
					jen.Return(jen.Id("r").Dot("FindOne").Call(jen.Id("ctx"), eq.Clone().Call(jen.Id(m.Param)))),
				)
			} else {
				g.doc("%s returns every document whose %s equals %s.", m.Name, selector, m.Param)
				g.method(m.Name).Params(ctxParam(), value).Params(jen.Index().Id(g.c.GoName), jen.Error()).Block(
					jen.Return(jen.Id("r").Dot("Find").Call(jen.Id("ctx"), eq.Clone().Call(jen.Id(m.Param)))),
				)
			}
			g.file.Line()
		}
	}
}
