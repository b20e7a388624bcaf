package schema

import (
	"slices"
	"strings"
)

// Kind is what a qe tag asks for a field: encryption only, or a query
// kind. Its value is the tag's spelling.
type Kind string

// The kinds, as qe tags spell them.
const (
	Encrypt   Kind = "encrypt" // encrypted, not queryable ("unindexed")
	Equality  Kind = "equality"
	Range     Kind = "range"
	Prefix    Kind = "prefix"
	Suffix    Kind = "suffix"
	Substring Kind = "substring"
)

// Kinds lists every kind in the order qegen documents them.
var Kinds = []Kind{Encrypt, Equality, Range, Prefix, Suffix, Substring}

// kindRule is what the server and libmongocrypt say about one kind.
type kindRule struct {
	algorithm string     // for explicit encryption
	since     Release    // the first release that serves it
	types     []BSONType // the BSON types it takes (encryption_fields_util.h)
}

var kindRules = map[Kind]kindRule{
	Encrypt: {"Unindexed", Release70, []BSONType{Double, String, Object, Array, BinData, ObjectID, Bool, Date, Regex,
		DBPointer, JavaScript, Symbol, JavaScriptWithScope, Int, Timestamp, Long, Decimal}},
	Equality:  {"Indexed", Release70, []BSONType{BinData, JavaScript, Regex, String, Int, Long, Bool, Timestamp, Date, ObjectID, Symbol, DBPointer}},
	Range:     {"Range", Release80, []BSONType{Int, Long, Double, Decimal, Date}},
	Prefix:    {"String", Release82, []BSONType{String}},
	Suffix:    {"String", Release82, []BSONType{String}},
	Substring: {"String", Release82, []BSONType{String}},
}

// ParseKind reads a kind as a qe tag spells it.
func ParseKind(s string) (Kind, bool) {
	k := Kind(s)
	_, ok := kindRules[k]
	return k, ok
}

// Algorithm is the explicit encryption algorithm for values of kind k:
// "Unindexed", "Indexed", "Range" or "String".
func (k Kind) Algorithm() string { return kindRules[k].algorithm }

// Since is the first release that serves k.
func (k Kind) Since() Release { return kindRules[k].since }

// Types lists the BSON types the server accepts for k.
func (k Kind) Types() []BSONType { return kindRules[k].types }

// Accepts reports whether the server accepts k on a field of type t.
func (k Kind) Accepts(t BSONType) bool { return slices.Contains(kindRules[k].types, t) }

// IsText reports whether k is one of the text search kinds.
func (k Kind) IsText() bool { return k == Prefix || k == Suffix || k == Substring }

// Queryable reports whether k lets the server query the field.
func (k Kind) Queryable() bool { return k != Encrypt }

// QueryType is the server's queryType for k on a collection made for
// release r: 8.2 serves the text kinds as previews under other names,
// which 9.0 removed. Encrypt has none.
func (k Kind) QueryType(r Release) string {
	switch {
	case k == Encrypt:
		return ""
	case k.IsText() && !r.AtLeast(Release90):
		return string(k) + "Preview"
	}
	return string(k)
}

// Combinable reports whether the server allows kinds together on one
// field: a single kind, or prefix with suffix.
func Combinable(kinds []Kind) bool {
	return len(kinds) == 1 || len(kinds) == 2 && slices.Contains(kinds, Prefix) && slices.Contains(kinds, Suffix)
}

// QueryType is one spelling of a query kind in encryptedFields.
type QueryType struct {
	Name string // e.g. "prefixPreview"
	Kind Kind
	// Removed, when set, is the first server release that refuses to
	// create collections with it.
	Removed Release
	// Libmongocrypt is the libmongocrypt releases that can encrypt it.
	Libmongocrypt Span
}

// queryTypes are every spelling qegen knows, with what serves them
// (libmongocrypt's CHANGELOG; measured with 1.21.1).
var queryTypes = []QueryType{
	{Name: "equality", Kind: Equality, Libmongocrypt: Span{First: Version{1, 8, 0}, Why: "Queryable Encryption v2 needs 1.8.0"}},
	{Name: "range", Kind: Range, Libmongocrypt: Span{First: Version{1, 11, 0}, Why: "range queries need 1.11.0"}},
	{Name: "rangePreview", Kind: Range, Removed: Release80, Libmongocrypt: Span{First: Version{1, 8, 0}, Removed: Version{1, 11, 0},
		Why: "rangePreview was removed in 1.11.0: recreate the collection with range (MongoDB 8.0)"}},
	{Name: "prefix", Kind: Prefix, Libmongocrypt: stringAlgorithm},
	{Name: "suffix", Kind: Suffix, Libmongocrypt: stringAlgorithm},
	{Name: "substring", Kind: Substring, Libmongocrypt: Span{First: Version{1, 20, 0}, Why: "substring queries need 1.20.0"}},
	{Name: "prefixPreview", Kind: Prefix, Removed: Release90, Libmongocrypt: textPreview},
	{Name: "suffixPreview", Kind: Suffix, Removed: Release90, Libmongocrypt: textPreview},
	{Name: "substringPreview", Kind: Substring, Removed: Release90, Libmongocrypt: textPreview},
}

var (
	unindexed       = Span{First: Version{1, 8, 0}, Why: "Queryable Encryption v2 needs 1.8.0"}
	stringAlgorithm = Span{First: Version{1, 19, 0}, Why: "the String algorithm and the prefix and suffix queries need 1.19.0"}
	// Explicit mode needs the String algorithm (1.19.0, which refused
	// the preview names; 1.19.1 restored them); 1.21.0 removed them.
	textPreview = Span{First: Version{1, 19, 1}, Removed: Version{1, 21, 0},
		Why: "MongoDB 8.2's text preview names (prefixPreview, suffixPreview, substringPreview) work with 1.19.1 to 1.20.x only, as 1.21.0 removed them: regenerate for MongoDB 9.0 (qegen -server 9.0) and create a new collection, or link libmongocrypt 1.20"}
)

// LookupQueryType finds a queryType by the server's spelling.
func LookupQueryType(name string) (QueryType, bool) {
	for _, q := range queryTypes {
		if q.Name == name {
			return q, true
		}
	}
	return QueryType{}, false
}

// IsPreview reports whether q is one of 8.2's text preview spellings.
func (q QueryType) IsPreview() bool { return q.Kind.IsText() && strings.HasSuffix(q.Name, "Preview") }
