package templates

import "github.com/dave/jennifer/jen"

// encryptedFields emits a function returning the encryptedFields document.
// A function, not a variable: callers get a fresh copy they may modify.
func (g *gen) encryptedFields() error {
	doc, err := bsonLiteral(g.c.EncryptedFields())
	if err != nil {
		return err
	}
	g.doc("%s returns the encryptedFields document of the %s\ncollection, with every keyId null: %s fills them in\nwith one data key per field.", g.names.EncryptedFields, g.c.Name, "Create"+g.c.GoName+"Collection")
	g.file.Func().Id(g.names.EncryptedFields).Params().Qual(bsonPkg, "D").Block(jen.Return(doc))
	g.file.Line()
	return nil
}
