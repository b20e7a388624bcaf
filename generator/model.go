package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"go/token"
	"go/types"

	"github.com/qegen/qegen/schema"
)

// Model is every collection found in the loaded packages, grouped by the
// file that declares its root type, with every name, type expression and
// encryptedFields document the emitters need already resolved: the
// emitters only read it.
type Model struct {
	Target schema.Release // of collections without //qegen:server
	Files  []*File        // sorted by Path
	// Orphans are generated files whose model file no longer declares a
	// collection; qegen removes them.
	Orphans []string
	// Warnings are problems that do not stop generation.
	Warnings ErrorList
}

// Collections lists every collection in file order, then declaration order.
func (m *Model) Collections() []*Collection {
	var all []*Collection
	for _, f := range m.Files {
		all = append(all, f.Collections...)
	}
	return all
}

// File is one Go source file that declares collection roots, and the
// generated file that goes beside it.
type File struct {
	Path       string // absolute path of the model file
	OutputPath string // absolute path of the generated <name>_qe.go
	PkgName    string // package clause of both files
	PkgPath    string // import path of the package
	// BuildConstraint is the //go:build expression the generated file
	// needs so that it is built exactly when the model file is: the model
	// file's own constraint, its GOOS/GOARCH file name suffix, and cgo
	// when it imports "C". Empty when there is none.
	BuildConstraint string
	Collections     []*Collection
}

// Collection is one struct type marked with //qegen:collection.
type Collection struct {
	Name   string         // the MongoDB collection name
	GoName string         // the root struct type's name
	Type   *types.Named   `json:"-"` // the root struct type; emitters do not read it
	Pos    token.Position // where the type is declared
	// Target is the release whose rules and names were applied.
	Target schema.Release
	// MinServer is the oldest release that can create the collection, from
	// the query kinds it uses; MaxServer, when not zero, is the first
	// release that cannot (9.0 dropped the 8.2 preview names).
	MinServer, MaxServer schema.Release
	// Schema is the encryptedFields document, every KeyID nil.
	Schema schema.EncryptedFields
	// Names are the identifiers generated for the collection.
	Names Names
	// ImplicitID names the filter field for _id when the model declares
	// none: an OrderedField of the bson.ObjectID the driver assigns. Empty
	// when the model declares _id, which Fields then holds.
	ImplicitID string
	// Fields lists every stored leaf path in struct order, encrypted or
	// not: fields of embedded documents rather than the documents, and
	// arrays of documents as one path.
	Fields []*Field
	// Guards are the encrypted fields' selectors, for the function that
	// stops compiling when one of them is renamed or retyped.
	Guards []Guard
	// ShardKey is the collection's shard key as qe reads it, e.g.
	// "region,patient_id:hashed"; empty when it has none.
	ShardKey string
}

// Encrypted lists the encrypted fields, in struct order.
func (c *Collection) Encrypted() []*Field {
	var out []*Field
	for _, f := range c.Fields {
		if f.Schema != nil {
			out = append(out, f)
		}
	}
	return out
}

// Field is one document path.
type Field struct {
	Path string // dotted document path, e.g. "patient_record.ssn"
	// GoPath is the Go selector from the root to the field, including the
	// names of inlined structs, e.g. ["PatientRecord", "SSN"].
	GoPath []string
	// GoName joins the Go names along the document path, leaving out
	// inlined structs; it names the field in the generated filter fields,
	// e.g. "PatientRecordSSN".
	GoName string
	Pos    token.Position
	// Declared is the field's Go type, as written, for -list; emitters
	// read Value and the guards' types instead.
	Declared types.Type `json:"-"`
	// Schema is the field's entry of encryptedFields; nil when the field
	// is stored in clear.
	Schema *schema.Field
	// BSONType is what the driver stores; empty for an unencrypted field
	// whose BSON type the driver picks per value.
	BSONType schema.BSONType
	// Filter is the qe field type the generated filter fields use for it;
	// empty when there is none: an encrypted field that is not queryable,
	// or an unencrypted one whose type the generated file cannot name.
	Filter FilterType
	// Value is the Go type filters and updates take (the declared
	// type without a pointer; for ArrayField, the type of its elements);
	// nil when Filter is not generic or empty.
	Value *GoType
	// Twin is qe's type without type parameters for Filter[Value]
	// (EqualityString for EqualityField[string]), which generated code
	// uses instead, so that it compiles no instantiation; empty when qe
	// has none.
	Twin string
}

// FilterType names a qe field type.
type FilterType string

// The qe field types.
const (
	// Fields stored in clear, by what their values allow.
	PlainFilter   FilterType = "PlainField"   // compared for equality
	OrderedFilter FilterType = "OrderedField" // and ordered: dates, ObjectIDs, timestamps
	NumberFilter  FilterType = "NumberField"  // and incremented: numbers
	StringFilter  FilterType = "StringField"  // ordered and matched by regular expressions
	ArrayFilter   FilterType = "ArrayField"   // arrays, by their elements
	// Encrypted fields, by their query kinds.
	EncryptedFilter    FilterType = "EncryptedField" // not queryable: set and unset only
	EqualityFilter     FilterType = "EqualityField"
	RangeFilter        FilterType = "RangeField"
	PrefixFilter       FilterType = "PrefixField"
	SuffixFilter       FilterType = "SuffixField"
	PrefixSuffixFilter FilterType = "PrefixSuffixField"
	SubstringFilter    FilterType = "SubstringField"
)

// Generic reports whether the type takes a type argument: the field's
// value type, or for ArrayField the type of its elements.
func (t FilterType) Generic() bool {
	switch t {
	case PlainFilter, OrderedFilter, NumberFilter, ArrayFilter, EncryptedFilter, EqualityFilter, RangeFilter:
		return true
	}
	return false
}

// Filterable reports whether filters can compare the field.
func (t FilterType) Filterable() bool { return t != "" && t != EncryptedFilter }

// Guard is one selector of the compile-time guard.
type Guard struct {
	Selector []string
	// Type is the field's Go type; nil when the generated file cannot
	// name it, so that the guard checks the name only (a type change is
	// still caught at run time, by the store's check of BSON types).
	Type *GoType
}

// Names are the package-level identifiers generated for one collection.
type Names struct {
	Collection          string // const: the collection name
	EncryptedFieldsJSON string // const: encryptedFields as canonical Extended JSON
	Spec                string // func returning a copy of the qe.CollectionSpec
	SpecVar             string // unexported var describing it, static data
	Fields              string // struct type of the typed filter fields
	FieldsVar           string // unexported var holding them, filled once
	Where               string // func returning the filter fields
	Repository          string // the repository type
	NewRepository       string // its constructor
}

// List returns every name, for the check against the package's own.
func (n Names) List() []string {
	return []string{n.Collection, n.EncryptedFieldsJSON, n.Spec, n.SpecVar, n.Fields, n.FieldsVar, n.Where, n.Repository, n.NewRepository}
}

// RepositoryMethods are the methods every generated repository has.
var RepositoryMethods = []string{
	"Collection", "Count", "DeleteMany", "DeleteOne", "Exists", "Find", "FindOne",
	"FindOneAndDelete", "FindOneAndReplace", "FindOneAndUpdate", "InsertOne", "ReplaceOne",
	"Stream", "UpdateOne",
}

// Fingerprint identifies everything the emitters read of f: two files
// with equal fingerprints generate the same bytes with one release of
// qegen.
func (f *File) Fingerprint() (string, error) {
	data, err := json.Marshal(f)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}
