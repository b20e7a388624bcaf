package templates

import (
	"github.com/dave/jennifer/jen"
)

// repository emits the repository type: typed methods over a qe.Store,
// which holds every operation common to all collections. The methods are
// small and not generic, so that a package with many collections stays
// quick to compile.
func (g *gen) repository() {
	repo, doc := g.n.Repository, g.c.GoName
	g.doc("%s reads and writes %s documents in the %q collection. "+
		"It offers only what Queryable Encryption supports, and query functions only for fields the server can query; Collection gives the rest. "+
		"Give it a collection from a client with automatic encryption, or see qe.WithExplicitEncryption for MongoDB Community.", repo, doc, g.c.Name)
	g.file.Type().Id(repo).Struct(jen.Id("store").Op("*").Qual(qePkg, "Store"))
	g.file.Line()

	g.doc("%s returns a repository over coll. It checks once that %s still stores every encrypted field as this file says, and fails every call if not.", g.n.NewRepository, doc)
	g.file.Func().Id(g.n.NewRepository).Params(
		jen.Id("coll").Op("*").Qual(mongoPkg, "Collection"),
		jen.Id("opts").Op("...").Qual(qePkg, "RepositoryOption"),
	).Op("*").Id(repo).Block(
		jen.Return(jen.Op("&").Id(repo).Values(
			jen.Qual(qeimplPkg, "NewStore").Call(jen.Id("coll"), jen.Id(g.n.SpecVar), jen.Parens(jen.Op("*").Id(doc)).Parens(jen.Nil()), jen.Id("opts").Op("...")),
		)),
	)
	g.file.Line()

	store := func(method string, args ...jen.Code) *jen.Statement {
		return jen.Id("r").Dot("store").Dot(method).Call(append([]jen.Code{jen.Id("ctx")}, args...)...)
	}
	filter := jen.Id("filter").Qual(qePkg, "Filter")
	id := jen.Id("id").Add(typeCode(g.c.IDType))

	g.doc("Collection returns the underlying collection. Queryable Encryption allows no multi-document updates on it and no sorting by an encrypted field, and in explicit mode nothing sent through it is encrypted.")
	g.method("Collection").Params().Op("*").Qual(mongoPkg, "Collection").Block(jen.Return(jen.Id("r").Dot("store").Dot("Collection").Call()))
	g.file.Line()

	g.doc("InsertOne inserts doc.")
	g.method("InsertOne").Params(ctxParam(), jen.Id("doc").Op("*").Id(doc)).
		Params(jen.Op("*").Qual(mongoPkg, "InsertOneResult"), jen.Error()).Block(jen.Return(store("InsertOne", jen.Id("doc"))))
	g.file.Line()

	g.doc("InsertMany inserts docs in order, one insert command each, as the server requires. On a failure it returns the documents inserted so far and a *qe.InsertManyError.")
	g.method("InsertMany").Params(ctxParam(), jen.Id("docs").Index().Op("*").Id(doc)).
		Params(jen.Op("*").Qual(mongoPkg, "InsertManyResult"), jen.Error()).Block(
		jen.Id("batch").Op(":=").Make(jen.Index().Any(), jen.Len(jen.Id("docs"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("doc")).Op(":=").Range().Id("docs")).Block(jen.Id("batch").Index(jen.Id("i")).Op("=").Id("doc")),
		jen.Return(store("InsertMany", jen.Id("batch"))),
	)
	g.file.Line()

	g.doc("Find returns every document that filter matches; build filters from %s().", g.n.Where)
	g.method("Find").Params(ctxParam(), filter.Clone()).Params(jen.Index().Id(doc), jen.Error()).Block(
		jen.Var().Id("docs").Index().Id(doc),
		jen.If(jen.Err().Op(":=").Add(store("Find", jen.Id("filter"), jen.Op("&").Id("docs"))), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("docs"), jen.Nil()),
	)
	g.file.Line()

	g.doc("FindOne returns one document that filter matches, or mongo.ErrNoDocuments.")
	g.method("FindOne").Params(ctxParam(), filter.Clone()).Params(jen.Op("*").Id(doc), jen.Error()).Block(
		decodeOne(doc, store("FindOne", jen.Id("filter"), jen.Op("&").Id("doc")))...,
	)
	g.file.Line()

	g.doc("Count counts the documents that filter matches.")
	g.method("Count").Params(ctxParam(), filter.Clone()).Params(jen.Int64(), jen.Error()).Block(jen.Return(store("Count", jen.Id("filter"))))
	g.file.Line()

	g.doc("DeleteOne deletes one document that filter matches.")
	g.method("DeleteOne").Params(ctxParam(), filter.Clone()).Params(jen.Op("*").Qual(mongoPkg, "DeleteResult"), jen.Error()).Block(jen.Return(store("DeleteOne", jen.Id("filter"))))
	g.file.Line()

	g.doc("FindByID returns the document whose _id is id, or mongo.ErrNoDocuments.")
	g.method("FindByID").Params(ctxParam(), id.Clone()).Params(jen.Op("*").Id(doc), jen.Error()).Block(
		decodeOne(doc, store("FindByID", jen.Id("id"), jen.Op("&").Id("doc")))...,
	)
	g.file.Line()

	g.doc("ReplaceByID replaces the document whose _id is id with doc.")
	g.method("ReplaceByID").Params(ctxParam(), id.Clone(), jen.Id("doc").Op("*").Id(doc)).
		Params(jen.Op("*").Qual(mongoPkg, "UpdateResult"), jen.Error()).Block(jen.Return(store("ReplaceByID", jen.Id("id"), jen.Id("doc"))))
	g.file.Line()

	g.doc("DeleteByID deletes the document whose _id is id.")
	g.method("DeleteByID").Params(ctxParam(), id.Clone()).Params(jen.Op("*").Qual(mongoPkg, "DeleteResult"), jen.Error()).Block(jen.Return(store("DeleteByID", jen.Id("id"))))
	g.file.Line()
}

// decodeOne declares doc, lets call decode into it, and returns it.
func decodeOne(doc string, call *jen.Statement) []jen.Code {
	return []jen.Code{
		jen.Var().Id("doc").Id(doc),
		jen.If(jen.Err().Op(":=").Add(call), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Op("&").Id("doc"), jen.Nil()),
	}
}

// method starts a method declaration on the repository.
func (g *gen) method(name string) *jen.Statement {
	return g.file.Func().Params(jen.Id("r").Op("*").Id(g.n.Repository)).Id(name)
}
