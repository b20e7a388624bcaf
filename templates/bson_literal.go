package templates

import (
	"fmt"
	"strconv"

	"github.com/dave/jennifer/jen"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// multiline lays out composite literals one element per line.
var multiline = jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}

// bsonLiteral renders a document built by the generator as a Go literal,
// so the generated code and the generated JSON come from one value.
func bsonLiteral(v any) (jen.Code, error) {
	switch v := v.(type) {
	case nil:
		return jen.Nil(), nil
	case string, bool, int32, int64, float64:
		return jen.Lit(v), nil
	case bson.DateTime:
		// An untyped constant: int64 milliseconds since the Unix epoch.
		return jen.Qual(bsonPkg, "DateTime").Call(jen.Op(strconv.FormatInt(int64(v), 10))), nil
	case bson.Decimal128:
		return jen.Qual(qePkg, "MustDecimal128").Call(jen.Lit(v.String())), nil
	case bson.D:
		elems := make([]jen.Code, len(v))
		for i, e := range v {
			value, err := bsonLiteral(e.Value)
			if err != nil {
				return nil, err
			}
			elems[i] = element(jen.Lit(e.Key), value)
		}
		return jen.Qual(bsonPkg, "D").Custom(multiline, elems...), nil
	case bson.A:
		elems := make([]jen.Code, len(v))
		for i, e := range v {
			value, err := bsonLiteral(e)
			if err != nil {
				return nil, err
			}
			elems[i] = value
		}
		return jen.Qual(bsonPkg, "A").Custom(multiline, elems...), nil
	}
	return nil, fmt.Errorf("no Go literal for %T in encryptedFields", v)
}
