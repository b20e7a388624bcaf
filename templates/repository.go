package templates

import (
	"github.com/dave/jennifer/jen"
)

// repository emits the repository type: qe.Repository, which holds every
// operation common to all collections, typed with the document and _id
// types, plus the query functions that finders emits.
func (g *gen) repository() {
	repo := g.names.Repository
	doc := g.c.GoName
	base := jen.Qual(qePkg, "Repository").Types(jen.Id(doc), g.idType())

	g.doc("%s reads and writes %s documents in the %s collection.\n"+
		"It offers only what Queryable Encryption supports, and query functions\n"+
		"only for fields the server can query; Collection gives the rest. Give it\n"+
		"a collection from a client with automatic encryption, or see\n"+
		"qe.WithExplicitEncryption for MongoDB Community.", repo, doc, g.c.Name)
	g.file.Type().Id(repo).Struct(jen.Op("*").Add(base.Clone()))
	g.file.Line()

	g.doc("%s returns a repository over coll.", g.names.NewRepository)
	g.file.Func().Id(g.names.NewRepository).Params(
		jen.Id("coll").Op("*").Qual(mongoPkg, "Collection"),
		jen.Id("opts").Op("...").Qual(qePkg, "RepositoryOption"),
	).Op("*").Id(repo).Block(
		jen.Return(jen.Op("&").Id(repo).Values(
			jen.Qual(qePkg, "NewRepository").Types(jen.Id(doc), g.idType()).Call(jen.Id("coll"), jen.Id(g.names.Spec).Call(), jen.Id("opts").Op("...")),
		)),
	)
	g.file.Line()
}

// idType is the Go type of _id, or any when the document has none.
func (g *gen) idType() jen.Code {
	if g.c.IDType != nil {
		if t := typeCode(derefType(g.c.IDType), g.pkgPath); t != nil {
			return t
		}
	}
	return jen.Any()
}

// method starts a method declaration on the repository.
func (g *gen) method(name string) *jen.Statement {
	return g.file.Func().Params(jen.Id("r").Op("*").Id(g.names.Repository)).Id(name)
}

func ctxParam() jen.Code { return jen.Id("ctx").Qual(contextPkg, "Context") }
