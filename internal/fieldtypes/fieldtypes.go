// Package fieldtypes lists the twins of qe's generic field types: for the
// value types models use most, qe also declares a type without type
// parameters (EqualityString for EqualityField[string]). Go compiles the
// methods of every instantiation of a generic type in each package that
// uses it, and a package of generated code uses many: with twins it
// compiles none for fields of these types (the bench's 100 collections:
// 214 ms and 10 MB less).
// qe/internal/fieldgen writes the twins from this list, and the generator
// picks them for generated fields, so the two cannot disagree.
package fieldtypes

import "strings"

// Value is a value type that has twins.
type Value struct {
	Suffix  string // the twin's name after its kind: EqualityString
	Source  string // the type as qe's source writes it: time.Time, []byte
	PkgPath string // of a named type; "" for a predeclared one
	Name    string // the named or predeclared type; the element for a slice
	Slice   bool   // the type is []Name
}

var (
	stringV     = Value{"String", "string", "", "string", false}
	boolV       = Value{"Bool", "bool", "", "bool", false}
	int32V      = Value{"Int32", "int32", "", "int32", false}
	int64V      = Value{"Int64", "int64", "", "int64", false}
	float64V    = Value{"Float64", "float64", "", "float64", false}
	bytesV      = Value{"Bytes", "[]byte", "", "byte", true}
	timeV       = Value{"Time", "time.Time", "time", "Time", false}
	objectIDV   = Value{"ObjectID", "bson.ObjectID", "go.mongodb.org/mongo-driver/v2/bson", "ObjectID", false}
	decimal128V = Value{"Decimal128", "bson.Decimal128", "go.mongodb.org/mongo-driver/v2/bson", "Decimal128", false}
)

// Twins are the twins of one generic field type.
type Twins struct {
	Generic string // EqualityField
	Values  []Value
}

// All lists every twin, in the order qe declares them.
var All = []Twins{
	{"EncryptedField", []Value{stringV, boolV, int32V, int64V, float64V, bytesV, timeV, objectIDV, decimal128V}},
	{"EqualityField", []Value{stringV, boolV, int32V, int64V, bytesV, timeV, objectIDV}},
	{"RangeField", []Value{int32V, int64V, float64V, timeV, decimal128V}},
	{"PlainField", []Value{boolV}},
	{"OrderedField", []Value{timeV, objectIDV}},
	{"NumberField", []Value{int32V, int64V, float64V, decimal128V}},
	{"ArrayField", []Value{stringV, int32V, int64V, objectIDV}},
}

// Name is the twin of generic for v: EqualityField and string give
// EqualityString.
func Name(generic string, v Value) string {
	return strings.TrimSuffix(generic, "Field") + v.Suffix
}

// Of is the twin of generic for the named type pkgPath.name, or "" when
// there is none.
func Of(generic, pkgPath, name string) string {
	for _, twins := range All {
		for _, v := range twins.Values {
			if twins.Generic == generic && v.PkgPath == pkgPath && v.Name == name && !v.Slice {
				return Name(generic, v)
			}
		}
	}
	return ""
}
