package generator

import (
	"errors"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qegen/qegen/schema"
)

// encryptedField builds one encrypted field from its qe tag, or reports
// why it cannot be encrypted.
func (cb *collectionBuilder) encryptedField(v *types.Var, bt bsonTag, qeText string, at walkAt, pos token.Position) {
	name := strings.Join(at.goPath, ".")
	fail := func(format string, args ...any) {
		cb.b.errs.add(pos, "field %s: "+format, append([]any{name}, args...)...)
	}
	tag, err := ParseTag(qeText)
	if err != nil {
		fail("%v", err)
		return
	}
	typeName := types.TypeString(v.Type(), shortQualifier)
	typ, err := bsonTypeOf(v.Type(), bt.MinSize)
	switch {
	case errors.Is(err, errInvalidType):
		return // the type checker's error is reported already
	case err != nil:
		cb.b.errs.add(pos, "field %s (%s) cannot be encrypted: %v", name, typeName, err)
		return
	case !typ.Name.Encryptable():
		cb.b.errs.add(pos, "field %s (%s) is stored as BSON %s, which the server never encrypts: remove the qe tag", name, typeName, typ.Name)
		return
	case typ.Nillable && !bt.OmitEmpty:
		cb.b.errs.add(pos, `field %s (%s): a nil value is stored as null, and null cannot be encrypted: add omitempty to its bson tag (bson:"%s,omitempty")`, name, typeName, bt.Key)
		return
	}
	if msg := keyProblem(at); msg != "" {
		cb.b.errs.add(pos, "field %s cannot be encrypted: %s", name, msg)
		return
	}
	if at.keys[0] == "_id" {
		cb.b.errs.add(pos, "field %s cannot be encrypted: the server does not allow encrypting _id or fields inside it: remove the qe tag", name)
		return
	}
	qs, tags, err := queries(tag, typ.Name, typeName, cb.c.Target)
	if err != nil {
		fail("%v", err)
		return
	}
	f := &Field{
		Path: at.path, GoPath: at.goPath, GoName: at.goName, Pos: pos, Declared: v.Type(),
		Schema:   &schema.Field{Path: at.path, BSONType: typ.Name, Queries: qs},
		BSONType: typ.Name,
	}
	f.Filter = filterTypeOf(*f.Schema)
	if f.Filter.Generic() {
		f.Value, err = resolveType(derefPointer(v.Type()), cb.pkgPath)
		switch {
		case err != nil && len(qs) > 0:
			fail("its query functions cannot take it: %v", err)
			return
		case err != nil:
			f.Filter = "" // not queryable, and updates cannot name its type: set it by replacing the document
		default:
			f.Twin = twinOf(f.Filter, derefPointer(v.Type()))
		}
	}
	cb.tags += tags
	if tags > 0 && cb.tags > schema.MaxTagsPerDocument {
		fail("with this field, one document's text fields can produce %d search tags, above the server's limit of %d (16 MiB of tags): narrow the query lengths of its text fields", cb.tags, schema.MaxTagsPerDocument)
		return
	}
	cb.c.Fields = append(cb.c.Fields, f)
}

// plainField describes a field stored unencrypted. Its BSON type is empty
// when the driver picks it per value (int, interfaces), which is fine for
// data that is not encrypted; it gets a typed filter when the generated
// file can name its type and its path reads the same as its keys.
func (cb *collectionBuilder) plainField(v *types.Var, bt bsonTag, at walkAt, pos token.Position) {
	typ, _ := bsonTypeOf(v.Type(), bt.MinSize)
	f := &Field{Path: at.path, GoPath: at.goPath, GoName: at.goName, Pos: pos, Declared: v.Type(), BSONType: typ.Name}
	if keyProblem(at) == "" {
		f.Filter, f.Value, f.Twin = plainFilterOf(derefPointer(v.Type()), typ.Name, cb.pkgPath)
	}
	cb.c.Fields = append(cb.c.Fields, f)
}

// plainFilterOf picks the field type of an unencrypted field by what its
// values allow, the type it takes and qe's twin for that pair; none when
// generated code cannot name the type.
func plainFilterOf(t types.Type, bsonType schema.BSONType, pkgPath string) (FilterType, *GoType, string) {
	if s, ok := t.Underlying().(*types.Slice); ok && bsonType == schema.Array {
		if elem, err := resolveType(s.Elem(), pkgPath); err == nil {
			return ArrayFilter, elem, twinOf(ArrayFilter, s.Elem())
		}
		return "", nil, ""
	}
	value, err := resolveType(t, pkgPath)
	if err != nil {
		return "", nil, ""
	}
	filter := PlainFilter
	switch bsonType {
	case schema.String:
		if basic, ok := types.Unalias(t).(*types.Basic); ok && basic.Kind() == types.String {
			return StringFilter, nil, ""
		}
		filter = OrderedFilter // a named string type keeps its name
	case schema.Int, schema.Long, schema.Double, schema.Decimal:
		filter = NumberFilter
	case schema.Date, schema.ObjectID, schema.Timestamp:
		filter = OrderedFilter
	}
	return filter, value, twinOf(filter, t)
}

// filterTypeOf is the qe field type of an encrypted field.
func filterTypeOf(f schema.Field) FilterType {
	return filterOfShape[f.Shape()]
}

// filterOfShape is the qe field type each shape of encrypted field takes.
var filterOfShape = [...]FilterType{
	schema.EncryptedShape:    EncryptedFilter,
	schema.EqualityShape:     EqualityFilter,
	schema.RangeShape:        RangeFilter,
	schema.PrefixShape:       PrefixFilter,
	schema.SuffixShape:       SuffixFilter,
	schema.PrefixSuffixShape: PrefixSuffixFilter,
	schema.SubstringShape:    SubstringFilter,
}

func derefPointer(t types.Type) types.Type {
	if p, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
		return p.Elem()
	}
	return t
}

// keyProblem applies the path rules that concern single document keys,
// and says what is wrong.
func keyProblem(at walkAt) string {
	for _, key := range at.keys {
		var problem string
		switch {
		case key == "":
			problem = "is empty"
		case strings.Contains(key, "."):
			problem = "contains a dot, which the server reads as a path separator"
		case strings.HasPrefix(key, "$"):
			problem = "starts with '$', which the server reads as an operator"
		case key == "__safeContent__":
			problem = "is __safeContent__, which the server reserves for encryption tags"
		}
		if problem != "" {
			return "key " + strconv.Quote(key) + " of its path " + at.path + " " + problem + ": rename it in the bson tag"
		}
	}
	return ""
}

// validText reports whether s is valid UTF-8 without control characters
// or NUL, as every user string that reaches generated code must be.
func validText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func shortQualifier(p *types.Package) string { return p.Name() }
