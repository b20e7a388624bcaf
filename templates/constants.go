package templates

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
)

// constants emits the collection's name, its encryptedFields as canonical
// Extended JSON (written once: reviewers read it in every diff, and a
// string costs the compiler nothing), and its spec, read from that JSON
// once.
func (g *gen) constants() error {
	c := g.c
	g.doc("%s is the name of the collection that stores %s documents.", g.n.Collection, c.GoName)
	g.file.Const().Id(g.n.Collection).Op("=").Lit(c.Name)
	g.file.Line()

	text, err := c.Schema.JSON()
	if err != nil {
		return fmt.Errorf("collection %s: %w", c.Name, err)
	}
	g.doc("%s is the encryptedFields document of the %q collection, as canonical Extended JSON: what the server receives when qe.CreateCollection creates the collection from %s(), once a data key fills in each keyId.", g.n.EncryptedFieldsJSON, c.Name, g.n.Spec)
	g.file.Const().Id(g.n.EncryptedFieldsJSON).Op("=").Add(stringLiteral(string(text)))
	g.file.Line()

	maxServer := ""
	if !c.MaxServer.IsZero() {
		maxServer = c.MaxServer.String()
	}
	// Static data only: nothing runs for the collection at start, and the
	// encryptedFields are read on first use.
	fields := []jen.Code{
		jen.Id("Name").Op(":").Id(g.n.Collection),
		jen.Id("EncryptedFieldsJSON").Op(":").Id(g.n.EncryptedFieldsJSON),
		jen.Id("MinServer").Op(":").Lit(c.MinServer.String()),
	}
	if maxServer != "" {
		fields = append(fields, jen.Id("MaxServer").Op(":").Lit(maxServer))
	}
	if c.ShardKey != "" {
		fields = append(fields, jen.Id("ShardKey").Op(":").Lit(c.ShardKey))
	}
	g.file.Var().Id(g.n.SpecVar).Op("=").Qual(qeimplPkg, "Collection").Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, fields...)
	g.file.Line()

	releases := fmt.Sprintf("MongoDB %s or later", c.MinServer)
	if !c.MaxServer.IsZero() {
		releases = fmt.Sprintf("MongoDB %s or later, before %s,", c.MinServer, c.MaxServer)
	}
	g.doc("%s describes the %q collection to the qe runtime: its name, its encryptedFields and the MongoDB releases that can hold it. It returns a copy, which the caller may change. "+
		"qe.CreateCollection(ctx, db, %s(), keys) creates the collection with one data key per encrypted field, and qe.DropCollection drops it with its metadata collections. "+
		"The server must be %s on a replica set or a sharded cluster%s.", g.n.Spec, c.Name, g.n.Spec, releases, shardNote(c.ShardKey))
	g.file.Func().Id(g.n.Spec).Params().Qual(qePkg, "CollectionSpec").Block(jen.Return(jen.Id(g.n.SpecVar).Dot("Spec").Call()))
	g.file.Line()
	return nil
}

// stringLiteral prefers a raw string, so the JSON reads as JSON in reviews.
func stringLiteral(s string) jen.Code {
	if strings.ContainsAny(s, "`\r") {
		return jen.Lit(s)
	}
	return jen.Op("`" + s + "`")
}

// shardNote says what the creation does on a sharded cluster.
func shardNote(key string) string {
	if key == "" {
		return ""
	}
	return fmt.Sprintf("; on a sharded cluster qe.CreateCollection shards the new collection by %s (never its metadata collections)", key)
}
