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
		"The server must be %s on a replica set or a sharded cluster%s.", g.n.Create, g.c.Name, releases, shardNote(g.c.ShardKey))
	g.file.Func().Id(g.n.Create).Params(
		ctxParam(),
		jen.Id("db").Op("*").Qual(mongoPkg, "Database"),
		jen.Id("keys").Qual(qePkg, "Keys"),
	).Params(jen.Op("*").Qual(mongoPkg, "Collection"), jen.Error()).Block(
		jen.Return(jen.Qual(qeimplPkg, "Create").Call(jen.Id("ctx"), jen.Id("db"), jen.Op("&").Id(g.n.SpecVar), jen.Id("keys"))),
	)
	g.file.Line()

	g.doc("%s drops the %q collection from db with its metadata collections (enxcol_.<name>.esc and .ecoc), which would otherwise break a collection created again under its name. The data keys stay in the key vault.", g.n.Drop, g.c.Name)
	g.file.Func().Id(g.n.Drop).Params(ctxParam(), jen.Id("db").Op("*").Qual(mongoPkg, "Database")).Error().Block(
		jen.Return(jen.Qual(qeimplPkg, "Drop").Call(jen.Id("ctx"), jen.Id("db"), jen.Op("&").Id(g.n.SpecVar))),
	)
	g.file.Line()
}

// shardNote says what the creation does on a sharded cluster.
func shardNote(key string) string {
	if key == "" {
		return ""
	}
	return fmt.Sprintf("; on a sharded cluster it shards the new collection by %s (never its metadata collections)", key)
}
