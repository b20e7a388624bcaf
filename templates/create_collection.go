package templates

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// createCollection emits the function that makes keys and the collection.
func (g *gen) createCollection() {
	releases := fmt.Sprintf("MongoDB %s or later", g.c.MinServer)
	if !g.c.MaxServer.IsZero() {
		releases = fmt.Sprintf("MongoDB %s or later, before %s,", g.c.MinServer, g.c.MaxServer)
	}
	g.doc("%s creates the %q collection in db with Queryable Encryption. "+
		"It first ensures the key vault's unique keyAltNames index and one data key per encrypted field, "+
		"named \"<database>.<collection>/<path>\" (qe.KeyAltName), so running it again creates no new keys. "+
		"An existing collection is reused if its encryptedFields match the model; otherwise the error lists every difference. "+
		"The server must be %s on a replica set or a sharded cluster.", g.n.Create, g.c.Name, releases)
	g.file.Func().Id(g.n.Create).Params(
		ctxParam(),
		jen.Id("db").Op("*").Qual(mongoPkg, "Database"),
		jen.Id("keys").Qual(qePkg, "Keys"),
	).Params(jen.Op("*").Qual(mongoPkg, "Collection"), jen.Error()).Block(
		jen.Return(jen.Qual(qePkg, "CreateCollection").Call(jen.Id("ctx"), jen.Id("db"), jen.Id(g.n.SpecVar), jen.Id("keys"))),
	)
	g.file.Line()
}
