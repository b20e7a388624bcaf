package templates

import (
	"github.com/dave/jennifer/jen"
)

// repository emits the repository type with the operations every document
// supports: inserts, and reads, replaces and deletes by _id.
func (g *gen) repository() {
	repo := g.names.Repository
	doc := g.c.GoName
	g.doc("%s reads and writes %s documents in the %s collection.\n"+
		"Give it a collection from a client with automatic encryption, so values\n"+
		"are encrypted on the way out and decrypted on the way in. It offers only\n"+
		"what Queryable Encryption supports, and query functions only for fields\n"+
		"the server can query; Collection gives access to everything else.", repo, doc, g.c.Name)
	g.file.Type().Id(repo).Struct(jen.Id("coll").Op("*").Qual(mongoPkg, "Collection"))
	g.file.Line()

	g.doc("New%s returns a repository over coll.", repo)
	g.file.Func().Id("New" + repo).Params(jen.Id("coll").Op("*").Qual(mongoPkg, "Collection")).Op("*").Id(repo).Block(
		jen.Return(jen.Op("&").Id(repo).Values(jen.Dict{jen.Id("coll"): jen.Id("coll")})),
	)
	g.file.Line()

	g.doc("Collection returns the underlying collection. Queryable Encryption allows\n" +
		"no multi-document updates or deletes on it and no sorting by an encrypted\n" +
		"field.")
	g.method("Collection").Params().Op("*").Qual(mongoPkg, "Collection").Block(jen.Return(jen.Id("r").Dot("coll")))
	g.file.Line()

	g.doc("InsertOne inserts doc.")
	g.method("InsertOne").Params(ctxParam(), jen.Id("doc").Op("*").Id(doc)).
		Params(jen.Op("*").Qual(mongoPkg, "InsertOneResult"), jen.Error()).Block(
		jen.Return(g.coll("InsertOne", jen.Id("doc"))),
	)
	g.file.Line()

	g.doc("InsertMany inserts docs.")
	g.method("InsertMany").Params(ctxParam(), jen.Id("docs").Index().Op("*").Id(doc)).
		Params(jen.Op("*").Qual(mongoPkg, "InsertManyResult"), jen.Error()).Block(
		jen.Return(g.coll("InsertMany", jen.Id("docs"))),
	)
	g.file.Line()

	g.byFilter()
	g.byID()
}

// byFilter emits the operations that take a typed filter.
func (g *gen) byFilter() {
	doc := g.c.GoName
	filter := jen.Id("filter").Qual(qePkg, "Filter").Types(jen.Id(doc))
	query := jen.Id("filter").Dot("Document").Call()

	g.doc("Find returns every document that filter matches; build filters from %s.", g.names.Where)
	g.method("Find").Params(ctxParam(), filter.Clone()).Add(g.results("Find")).Block(
		jen.List(jen.Id("cursor"), jen.Err()).Op(":=").Add(g.coll("Find", query)),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Var().Id("docs").Index().Id(doc),
		jen.If(jen.Err().Op(":=").Id("cursor").Dot("All").Call(jen.Id("ctx"), jen.Op("&").Id("docs")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Err()),
		),
		jen.Return(jen.Id("docs"), jen.Nil()),
	)
	g.file.Line()

	g.doc("FindOne returns one document that filter matches, or mongo.ErrNoDocuments.")
	g.method("FindOne").Params(ctxParam(), filter.Clone()).Add(g.results("FindOne")).Block(findOneBody(g, doc, query)...)
	g.file.Line()

	g.doc("Count counts the documents that filter matches.")
	g.method("Count").Params(ctxParam(), filter.Clone()).Add(g.results("Count")).Block(
		jen.Return(g.coll("CountDocuments", query)),
	)
	g.file.Line()

	g.doc("DeleteOne deletes one document that filter matches. Queryable Encryption\nhas no multi-document delete.")
	g.method("DeleteOne").Params(ctxParam(), filter.Clone()).Add(g.results("DeleteOne")).Block(
		jen.Return(g.coll("DeleteOne", query)),
	)
	g.file.Line()
}

// byID emits the functions keyed by _id, which is never encrypted.
func (g *gen) byID() {
	doc := g.c.GoName
	idType := jen.Any()
	if g.c.IDType != nil {
		if t := typeCode(derefType(g.c.IDType), g.pkgPath); t != nil {
			idType = t
		}
	}
	filter := bsonFilter("_id", jen.Id("id"))

	g.doc("FindByID returns the document whose _id is id, or mongo.ErrNoDocuments.")
	g.method("FindByID").Params(ctxParam(), jen.Id("id").Add(idType)).Params(jen.Op("*").Id(doc), jen.Error()).Block(
		findOneBody(g, doc, filter)...,
	)
	g.file.Line()

	g.doc("ReplaceByID replaces the document whose _id is id with doc.")
	g.method("ReplaceByID").Params(ctxParam(), jen.Id("id").Add(idType), jen.Id("doc").Op("*").Id(doc)).
		Params(jen.Op("*").Qual(mongoPkg, "UpdateResult"), jen.Error()).Block(
		jen.Return(g.coll("ReplaceOne", filter, jen.Id("doc"))),
	)
	g.file.Line()

	g.doc("DeleteByID deletes the document whose _id is id.")
	g.method("DeleteByID").Params(ctxParam(), jen.Id("id").Add(idType)).
		Params(jen.Op("*").Qual(mongoPkg, "DeleteResult"), jen.Error()).Block(
		jen.Return(g.coll("DeleteOne", filter)),
	)
	g.file.Line()
}

// method starts a method declaration on the repository.
func (g *gen) method(name string) *jen.Statement {
	return g.file.Func().Params(jen.Id("r").Op("*").Id(g.names.Repository)).Id(name)
}

// coll calls a method of the repository's collection with ctx first.
func (g *gen) coll(method string, args ...jen.Code) *jen.Statement {
	return jen.Id("r").Dot("coll").Dot(method).Call(append([]jen.Code{jen.Id("ctx")}, args...)...)
}

func ctxParam() jen.Code { return jen.Id("ctx").Qual(contextPkg, "Context") }

// bsonFilter is bson.D{{Key: path, Value: value}}.
func bsonFilter(path string, value jen.Code) *jen.Statement {
	return jen.Qual(bsonPkg, "D").Values(element(jen.Lit(path), value))
}

// findOneBody decodes one document matching filter into a new doc.
func findOneBody(g *gen, doc string, filter jen.Code) []jen.Code {
	return []jen.Code{
		jen.Var().Id("doc").Id(doc),
		jen.If(jen.Err().Op(":=").Add(g.coll("FindOne", filter)).Dot("Decode").Call(jen.Op("&").Id("doc")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Err()),
		),
		jen.Return(jen.Op("&").Id("doc"), jen.Nil()),
	}
}
