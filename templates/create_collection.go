package templates

import "github.com/dave/jennifer/jen"

// createCollection emits the function that makes keys and the collection.
func (g *gen) createCollection() {
	name := g.names.Create
	g.doc("%s creates the %s collection in db with Queryable\n"+
		"Encryption, or reuses it if it exists. It first ensures the key vault's\n"+
		"unique keyAltNames index and one data key per encrypted field, named\n"+
		"\"<database>.%s/<path>\" (qe.KeyAltName), so running it again creates no\n"+
		"new keys. The server must be MongoDB 7.0 or later on a replica set or a\n"+
		"sharded cluster.", name, g.c.Name, g.c.Name)
	g.file.Func().Id(name).Params(
		jen.Id("ctx").Qual(contextPkg, "Context"),
		jen.Id("db").Op("*").Qual(mongoPkg, "Database"),
		jen.Id("keys").Qual(qePkg, "Keys"),
	).Params(jen.Op("*").Qual(mongoPkg, "Collection"), jen.Error()).Block(
		jen.Return(jen.Qual(qePkg, "CreateCollection").Call(
			jen.Id("ctx"), jen.Id("db"), jen.Id(g.names.Collection), jen.Id(g.names.EncryptedFields).Call(), jen.Id("keys"),
		)),
	)
	g.file.Line()
}
