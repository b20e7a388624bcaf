package templates

import (
	"strings"

	"github.com/dave/jennifer/jen"
)

// fieldGuard emits a function that never runs but fails to compile when an
// encrypted field was renamed or changed type after this file was generated,
// so stale output cannot build.
func (g *gen) fieldGuard() {
	if len(g.c.Fields) == 0 {
		return
	}
	doc := paramName(g.c.GoName)
	if doc == "value" {
		doc = "model"
	}
	body := []jen.Code{jen.Var().Id(doc).Id(g.c.GoName)}
	for _, f := range g.c.Fields {
		sel := jen.Id(doc + "." + strings.Join(f.GoPath, "."))
		if t := typeCode(f.Type, g.pkgPath); t != nil {
			body = append(body, jen.Var().Id("_").Add(t).Op("=").Add(sel))
		} else {
			body = append(body, jen.Id("_").Op("=").Add(sel))
		}
	}
	g.doc("The lines below stop compiling when a field of %s they name has changed\nsince this file was generated: run go generate again.", g.c.GoName)
	g.file.Func().Id("_").Params().Block(body...)
	g.file.Line()
}
