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
	// IDType is the Go type of the field stored as _id; nil when the struct
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
	Type       string // the server's queryType, e.g. "equality"
	Contention int64
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
	}
}

func (n Names) list() []string {
	return []string{n.Collection, n.EncryptedFields, n.EncryptedFieldsJSON, n.Create, n.Repository, n.NewRepository}
}
