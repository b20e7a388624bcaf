package templates

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// createCollection emits the function that makes keys and the collection.
func (g *gen) createCollection() {
	name := g.names.Create
	g.doc("%s creates the %s collection in db with Queryable\n"+
		"Encryption. It first ensures the key vault's unique keyAltNames index and\n"+
		"one data key per encrypted field, named \"<database>.%s/<path>\"\n"+
		"(qe.KeyAltName), so running it again creates no new keys. An existing\n"+
		"collection is reused if its encryptedFields match the model; otherwise the\n"+
		"error lists every difference. The server must be %s on a\n"+
		"replica set or a sharded cluster.", name, g.c.Name, g.c.Name, g.serverText())
	g.file.Func().Id(name).Params(
		jen.Id("ctx").Qual(contextPkg, "Context"),
		jen.Id("db").Op("*").Qual(mongoPkg, "Database"),
		jen.Id("keys").Qual(qePkg, "Keys"),
	).Params(jen.Op("*").Qual(mongoPkg, "Collection"), jen.Error()).Block(
		jen.Return(jen.Qual(qePkg, "CreateCollection").Call(
			jen.Id("ctx"), jen.Id("db"), jen.Id(g.names.Spec).Call(), jen.Id("keys"),
		)),
	)
	g.file.Line()
}

// specFunc emits XSpec, what the qe runtime needs to know of the collection.
func (g *gen) specFunc() {
	g.doc("%s describes the %s collection to the qe runtime: its name, its\n"+
		"encryptedFields and the MongoDB releases that can hold it.", g.names.Spec, g.c.Name)
	g.file.Func().Id(g.names.Spec).Params().Qual(qePkg, "CollectionSpec").Block(jen.Return(g.spec()))
	g.file.Line()
}

// spec is the qe.CollectionSpec literal of the collection.
func (g *gen) spec() jen.Code {
	fields := jen.Dict{
		jen.Id("Name"):            jen.Id(g.names.Collection),
		jen.Id("EncryptedFields"): jen.Id(g.names.EncryptedFields).Call(),
		jen.Id("MinServer"):       jen.Lit(g.c.MinServer.String()),
	}
	if g.c.MaxServer != nil {
		fields[jen.Id("MaxServer")] = jen.Lit(g.c.MaxServer.String())
	}
	return jen.Qual(qePkg, "CollectionSpec").Values(fields)
}

// serverText says which releases can hold the collection.
func (g *gen) serverText() string {
	if g.c.MaxServer != nil {
		return fmt.Sprintf("MongoDB %s or later, before %s,", g.c.MinServer, g.c.MaxServer)
	}
	return fmt.Sprintf("MongoDB %s or later", g.c.MinServer)
}
