package templates

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/qegen/qegen/generator"
)

// constants emits the collection name and the encryptedFields JSON text.
func (g *gen) constants() error {
	c := g.c
	g.doc("%s is the name of the collection that stores %s documents.", g.names.Collection, c.GoName)
	g.file.Const().Id(g.names.Collection).Op("=").Lit(c.Name)
	g.file.Line()

	text, err := generator.CanonicalJSON(c.EncryptedFields())
	if err != nil {
		return fmt.Errorf("collection %s: %w", c.Name, err)
	}
	g.doc("%s is %s as canonical Extended JSON:\nexactly what the server receives when the collection is created, before\ndata keys fill in each keyId.", g.names.EncryptedFieldsJSON, g.names.EncryptedFields)
	g.file.Const().Id(g.names.EncryptedFieldsJSON).Op("=").Add(stringLiteral(string(text)))
	g.file.Line()
	return nil
}

// stringLiteral prefers a raw string, so the JSON reads as JSON in reviews.
func stringLiteral(s string) jen.Code {
	if strings.Contains(s, "`") || strings.Contains(s, "\r") {
		return jen.Lit(s)
	}
	return jen.Op("`" + s + "`")
}
