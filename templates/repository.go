package templates

import (
	"github.com/dave/jennifer/jen"
)

// repository emits the repository type: qe.Operations, embedded, for
// what needs no document type (compiled once, in package qe), and typed
// methods over a qe.Store for the rest. Each method costs a quarter to
// half a millisecond of compile in every collection, so there is one per
// operation and none for what one call of another says (FindOne(ctx,
// XWhere().ID.Eq(id)) for a FindByID, a loop of InsertOne for an
// InsertMany). There is no UpdateMany and no option to return the
// document after a change: the server refuses both on a QE collection.
func (g *gen) repository() {
	repo, doc := g.n.Repository, g.c.GoName
	ops := jen.Qual(qePkg, "Operations")
	g.doc("%s reads and writes %s documents in the %q collection. "+
		"It offers only what Queryable Encryption supports, and filters, sort keys and updates only for what the server can do with each field; Collection gives the rest. "+
		"Give it a collection from a client with automatic encryption, or see qe.WithExplicitEncryption for MongoDB Community. "+
		"Every method takes its session from ctx, so it runs inside mongo.Session.WithTransaction.", repo, doc, g.c.Name)
	g.file.Type().Id(repo).Struct(
		ops.Clone().Comment("Count, Exists, DeleteOne, DeleteMany, UpdateOne, Collection"),
		jen.Id("store").Op("*").Qual(qePkg, "Store"),
	)
	g.file.Line()

	g.doc("%s returns a repository over coll, reading from the primary. It checks once that %s still stores every encrypted field as this file says, and fails every call if not.", g.n.NewRepository, doc)
	g.file.Func().Id(g.n.NewRepository).Params(
		jen.Id("coll").Op("*").Qual(mongoPkg, "Collection"),
		jen.Id("opts").Op("...").Qual(qePkg, "RepositoryOption"),
	).Op("*").Id(repo).Block(
		jen.Id("s").Op(":=").Qual(qeimplPkg, "Store").Call(jen.Id("coll"), jen.Op("&").Id(g.n.SpecVar), jen.Parens(jen.Op("*").Id(doc)).Parens(jen.Nil()), jen.Id("opts").Op("...")),
		jen.Return(jen.Op("&").Id(repo).Values(jen.Qual(qePkg, "NewOperations").Call(jen.Id("s")), jen.Id("s"))),
	)
	g.file.Line()

	var (
		ctx        = ctxParam
		filter     = func() jen.Code { return jen.Id("filter").Qual(qePkg, "Filter") }
		update     = func() jen.Code { return jen.Id("update").Qual(qePkg, "Update") }
		findOpts   = func() jen.Code { return jen.Id("opts").Op("...").Qual(qePkg, "FindOption") }
		updateOpts = func() jen.Code { return jen.Id("opts").Op("...").Qual(qePkg, "UpdateOption") }
		docParam   = func() jen.Code { return jen.Id("doc").Op("*").Id(doc) }
		result     = func(t string) jen.Code { return jen.Params(jen.Op("*").Qual(mongoPkg, t), jen.Error()) }
		store      = func(method string, args ...jen.Code) *jen.Statement {
			return jen.Id("r").Dot("store").Dot(method).Call(append([]jen.Code{jen.Id("ctx")}, args...)...)
		}
		opts = jen.Id("opts").Op("...")
	)

	g.delegate("InsertOne inserts doc.", "InsertOne", []jen.Code{ctx(), docParam()}, result("InsertOneResult"), jen.Id("doc"))

	g.doc("Find returns every document that filter matches; build filters, sort keys and projections from %s().", g.n.Where)
	g.method("Find").Params(ctx(), filter(), findOpts()).Params(jen.Id("docs").Index().Id(doc), jen.Err().Error()).Block(
		jen.Err().Op("=").Add(store("Find", jen.Id("filter"), jen.Op("&").Id("docs"), opts.Clone())),
		jen.Return(jen.Id("docs"), jen.Err()),
	)
	g.file.Line()

	g.doc("Stream returns the documents filter matches one at a time, for results too large to hold at once; stop early by breaking out of the loop.")
	g.method("Stream").Params(ctx(), filter(), findOpts()).Qual("iter", "Seq2").Types(jen.Op("*").Id(doc), jen.Error()).Block(
		jen.Return(jen.Qual(qeimplPkg, "Stream").Types(jen.Op("*").Id(doc)).Call(jen.Id("r").Dot("store"), jen.Id("ctx"), jen.Id("filter"), jen.Id("opts"))),
	)
	g.file.Line()

	g.decoding("FindOne returns the first document that filter matches, or mongo.ErrNoDocuments.", "FindOne", []jen.Code{ctx(), filter(), findOpts()}, jen.Id("filter"), jen.Op("&").Id("doc"), opts.Clone())
	g.decoding("FindOneAndUpdate applies update to one document that filter matches and returns it as it was before, or mongo.ErrNoDocuments.",
		"FindOneAndUpdate", []jen.Code{ctx(), filter(), update(), updateOpts()}, jen.Id("filter"), jen.Id("update"), jen.Op("&").Id("doc"), opts.Clone())
	g.decoding("FindOneAndReplace replaces one document that filter matches with replacement and returns it as it was before, or mongo.ErrNoDocuments.",
		"FindOneAndReplace", []jen.Code{ctx(), filter(), jen.Id("replacement").Op("*").Id(doc)}, jen.Id("filter"), jen.Id("replacement"), jen.Op("&").Id("doc"))
	g.decoding("FindOneAndDelete deletes one document that filter matches and returns it, or mongo.ErrNoDocuments.",
		"FindOneAndDelete", []jen.Code{ctx(), filter()}, jen.Id("filter"), jen.Op("&").Id("doc"))
	g.delegate("ReplaceOne replaces one document that filter matches with doc.", "ReplaceOne", []jen.Code{ctx(), filter(), docParam()}, result("UpdateResult"), jen.Id("filter"), jen.Id("doc"))
}

// delegate emits a method that returns what the store's method of the
// same name returns.
func (g *gen) delegate(doc, name string, params []jen.Code, results jen.Code, args ...jen.Code) {
	g.doc("%s", doc)
	g.method(name).Params(params...).Add(results).Block(
		jen.Return(jen.Id("r").Dot("store").Dot(name).Call(append([]jen.Code{jen.Id("ctx")}, args...)...)),
	)
	g.file.Line()
}

// decoding emits a method that lets the store's method of the same name
// decode one document into a new one, set only on success, and returns
// it: one call and no branch, which keeps the method cheap to compile.
func (g *gen) decoding(doc, name string, params []jen.Code, args ...jen.Code) {
	g.doc("%s", doc)
	g.method(name).Params(params...).Params(jen.Id("doc").Op("*").Id(g.c.GoName), jen.Err().Error()).Block(
		jen.Err().Op("=").Id("r").Dot("store").Dot(name).Call(append([]jen.Code{jen.Id("ctx")}, args...)...),
		jen.Return(jen.Id("doc"), jen.Err()),
	)
	g.file.Line()
}

// method starts a method declaration on the repository.
func (g *gen) method(name string) *jen.Statement {
	return g.file.Func().Params(jen.Id("r").Op("*").Id(g.n.Repository)).Id(name)
}
