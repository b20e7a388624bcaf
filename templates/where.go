package templates

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/qegen/qegen/generator"
)

// where emits XWhere: one value per field that a filter may test, typed so
// that it offers only the comparisons the server supports on that field.
// Fields that are encrypted but not queryable are left out entirely.
func (g *gen) where() {
	var decls, values []jen.Code
	for _, f := range g.c.All {
		ctor, typ := g.fieldKind(f)
		if ctor == "" {
			continue
		}
		doc := "not encrypted"
		if f.Encrypted {
			doc = "encrypted, " + queryKinds(f)
		}
		if f.BSONType == "date" {
			doc += "; dates compare to the millisecond"
		}
		decls = append(decls, jen.Id(f.GoName).Add(typ).Comment(f.Path+": "+doc))
		values = append(values, jen.Id(f.GoName).Op(":").Add(g.fieldCtor(ctor, f)))
	}
	g.doc("%s names the fields of %s documents that a filter can test, each\n"+
		"with only the comparisons the server supports on it, e.g.\n"+
		"%s.Find(ctx, %s.<Field>.Eq(v)). Fields that are encrypted but\n"+
		"not queryable are not here.", g.names.Where, g.c.GoName, g.names.Repository, g.names.Where)
	g.file.Var().Id(g.names.Where).Op("=").Struct(decls...).Custom(multiline, values...)
	g.file.Line()
}

// fieldKind picks the qe field type for f; "" when f cannot be filtered on.
// The types are generic over the value type only, so a package with many
// collections instantiates a handful of them.
func (g *gen) fieldKind(f *generator.Field) (string, jen.Code) {
	value := typeCode(f.ValueType, g.pkgPath)
	if !f.Encrypted {
		if value == nil {
			return "", nil
		}
		return "Plain", jen.Qual(qePkg, "PlainField").Types(value)
	}
	switch {
	case f.Queryable(string(generator.KindRange)):
		return "Range", jen.Qual(qePkg, "RangeField").Types(value)
	case f.Queryable(string(generator.KindEquality)):
		return "Equality", jen.Qual(qePkg, "EqualityField").Types(value)
	case hasKind(f, generator.KindPrefix) && hasKind(f, generator.KindSuffix):
		return "PrefixSuffix", jen.Qual(qePkg, "PrefixSuffixField")
	case hasKind(f, generator.KindPrefix):
		return "Prefix", jen.Qual(qePkg, "PrefixField")
	case hasKind(f, generator.KindSuffix):
		return "Suffix", jen.Qual(qePkg, "SuffixField")
	case hasKind(f, generator.KindSubstring):
		return "Substring", jen.Qual(qePkg, "SubstringField")
	}
	return "", nil
}

func (g *gen) fieldCtor(ctor string, f *generator.Field) jen.Code {
	call := jen.Qual(qePkg, ctor)
	switch ctor {
	case "Plain", "Range", "Equality":
		call = call.Types(typeCode(f.ValueType, g.pkgPath))
	}
	return call.Call(jen.Id(g.names.Collection), jen.Lit(f.Path))
}

func hasKind(f *generator.Field, k generator.Kind) bool {
	for _, q := range f.Queries {
		if q.Kind == k {
			return true
		}
	}
	return false
}

func queryKinds(f *generator.Field) string {
	if len(f.Queries) == 0 {
		return "not queryable"
	}
	kinds := make([]string, len(f.Queries))
	for i, q := range f.Queries {
		kinds[i] = string(q.Kind)
	}
	return strings.Join(kinds, " and ") + " queries"
}
