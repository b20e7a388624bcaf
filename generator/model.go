package generator

import (
	"go/token"
	"go/types"
)

// File is one Go source file that declares collection roots, and the
// generated file that goes beside it.
type File struct {
	Path        string // absolute path of the model file
	OutputPath  string // absolute path of the generated <name>_qe.go
	PkgName     string // package clause of both files
	PkgPath     string // import path of the package
	Collections []*Collection
}

// Collection is one struct type marked with //qegen:collection.
type Collection struct {
	Name   string         // the MongoDB collection name
	GoName string         // the root struct type's name
	Type   *types.Named   // the root struct type
	Pos    token.Position // where the type is declared
	// Server is the target release whose rules and names were applied.
	Server Server
	// MinServer is the oldest release that can create the collection, from
	// the query kinds it uses; MaxServer, when set, is the first release
	// that cannot (9.0 dropped the 8.2 preview names of the text kinds).
	MinServer Server
	MaxServer *Server
	// IDType is the Go type of the field stored as _id, without a pointer
	// (ids are passed by value); nil when the struct
	// has none and the server assigns an ObjectID.
	IDType types.Type
	Fields []*Field // encrypted fields, in struct order (depth first)
	// All lists every stored leaf path in struct order, encrypted or not:
	// fields of embedded documents rather than the documents, and arrays of
	// documents as one path. Encrypted fields are the same values as in Fields.
	All []*Field
}

// Field is one document path; most of the model is about encrypted ones.
type Field struct {
	Encrypted bool
	Path      string // dotted document path, e.g. "patient_record.ssn"
	// GoPath is the Go selector from the root to the field, including the
	// names of inlined structs, e.g. ["PatientRecord", "SSN"].
	GoPath []string
	// GoName joins the Go names along the document path, leaving out
	// inlined structs; it names generated functions, e.g. "PatientRecordSSN".
	GoName string
	// Type is the field's declared Go type; ValueType is the same with one
	// pointer removed, which is what queries on the field take.
	Type, ValueType types.Type
	// BSONType is the server's BSON type alias; empty for an unencrypted
	// field whose type the driver picks per value.
	BSONType string
	Queries  []Query // nil when the field is not queryable while encrypted
	Pos      token.Position
}

// Queryable reports whether the field has a query of the given type.
func (f *Field) Queryable(queryType string) bool {
	for _, q := range f.Queries {
		if q.Type == queryType {
			return true
		}
	}
	return false
}

// Query is one entry of a field's "queries" in encryptedFields.
type Query struct {
	Kind       Kind   // as written in the tag
	Type       string // the server's queryType at the target, e.g. "prefixPreview"
	Contention int64
	Range      *RangeOptions // set for range queries only
	Text       *TextOptions  // set for prefix, suffix and substring only
}

// RangeOptions are a range query's options, with defaults filled in so that
// explicit encryption and the server agree on every value.
type RangeOptions struct {
	// Min and Max are in the field's BSON type (int32, int64, float64,
	// bson.Decimal128 or bson.DateTime); both nil for an unbounded domain.
	Min, Max   any
	Sparsity   int64
	TrimFactor int32
	Precision  *int32 // nil unless set (double and decimal only)
}

// TextOptions are the options of the prefix, suffix and substring kinds.
type TextOptions struct {
	StrMinQueryLength  int32
	StrMaxQueryLength  int32
	StrMaxLength       *int32 // substring only
	CaseSensitive      bool
	DiacriticSensitive bool
	// Tags is the most search tags one value can produce, counted across
	// every text kind of the field, for the server's tag limits.
	Tags int64
}

// DefaultContention is the server's default since 8.0. It is always written
// out, because 7.0 used another default and a mismatch loses query results.
const DefaultContention = 8

// Names are the package-level identifiers generated for one collection.
type Names struct {
	Collection          string // const: the collection name
	EncryptedFields     string // func returning the encryptedFields document
	EncryptedFieldsJSON string // const: the same as canonical Extended JSON
	Create              string // func creating keys and the collection
	Repository          string // the repository type
	NewRepository       string // its constructor
	Where               string // var holding the filterable fields
	Spec                string // func returning the qe.CollectionSpec
}

// Names returns the identifiers generated for c, all derived from its Go name.
func (c *Collection) Names() Names {
	return Names{
		Collection:          c.GoName + "Collection",
		EncryptedFields:     c.GoName + "EncryptedFields",
		EncryptedFieldsJSON: c.GoName + "EncryptedFieldsJSON",
		Create:              "Create" + c.GoName + "Collection",
		Repository:          c.GoName + "Repository",
		NewRepository:       "New" + c.GoName + "Repository",
		Where:               c.GoName + "Where",
		Spec:                c.GoName + "Spec",
	}
}

func (n Names) list() []string {
	return []string{n.Collection, n.EncryptedFields, n.EncryptedFieldsJSON, n.Create, n.Repository, n.NewRepository, n.Where, n.Spec}
}

// RepositoryMethods are the methods every generated repository has.
var RepositoryMethods = []string{
	"Collection", "Count", "DeleteByID", "DeleteOne", "Find", "FindByID", "FindOne", "InsertMany", "InsertOne", "ReplaceByID",
}

// FinderNames lists the query functions generated for f, which depend on
// its query kinds: none for a field that is not queryable.
func (f *Field) FinderNames() []string {
	var names []string
	for _, q := range f.Queries {
		switch q.Kind {
		case KindEquality:
			names = append(names, "FindBy"+f.GoName, "FindOneBy"+f.GoName, "CountBy"+f.GoName, "DeleteOneBy"+f.GoName)
		case KindRange:
			for _, op := range []string{"Between", "Gt", "Gte", "Lt", "Lte"} {
				names = append(names, "FindBy"+f.GoName+op)
			}
		case KindPrefix:
			names = append(names, "FindBy"+f.GoName+"StartsWith")
		case KindSuffix:
			names = append(names, "FindBy"+f.GoName+"EndsWith")
		case KindSubstring:
			names = append(names, "FindBy"+f.GoName+"Contains")
		}
	}
	return names
}
