package templates

import (
	"strings"

	"github.com/dave/jennifer/jen"
)

// fieldGuard emits a function that never runs but fails to compile when an
// encrypted field was renamed or changed type after this file was
// generated, so stale output cannot build. A bson tag change compiles;
// the store's check at run time catches it.
func (g *gen) fieldGuard() {
	if len(g.c.Guards) == 0 {
		return
	}
	body := []jen.Code{jen.Var().Id("doc").Id(g.c.GoName)}
	for _, guard := range g.c.Guards {
		sel := jen.Id("doc." + strings.Join(guard.Selector, "."))
		if guard.Type != nil {
			body = append(body, jen.Var().Id("_").Add(typeCode(guard.Type)).Op("=").Add(sel))
		} else {
			body = append(body, jen.Id("_").Op("=").Add(sel))
		}
	}
	g.doc("The lines below stop compiling when a field of %s they name has changed since this file was generated: run go generate again.", g.c.GoName)
	g.file.Func().Id("_").Params().Block(body...)
	g.file.Line()
}
