package generator

import (
	"errors"
	"fmt"
	"go/types"

	"github.com/qegen/qegen/schema"
)

const bsonPkgPath = "go.mongodb.org/mongo-driver/v2/bson"

// driverTypes maps the types the driver registers an exact encoder for to
// the BSON type it writes. The lookup is by exact type, as in the driver:
// a type defined as `type T time.Time` does not get time's encoder.
var driverTypes = map[string]schema.BSONType{
	"time.Time":                    schema.Date,
	bsonPkgPath + ".DateTime":      schema.Date,
	bsonPkgPath + ".ObjectID":      schema.ObjectID,
	bsonPkgPath + ".Binary":        schema.BinData,
	bsonPkgPath + ".Decimal128":    schema.Decimal,
	bsonPkgPath + ".Regex":         schema.Regex,
	bsonPkgPath + ".JavaScript":    schema.JavaScript,
	bsonPkgPath + ".Symbol":        schema.Symbol,
	bsonPkgPath + ".Timestamp":     schema.Timestamp,
	bsonPkgPath + ".DBPointer":     schema.DBPointer,
	bsonPkgPath + ".CodeWithScope": schema.JavaScriptWithScope,
	bsonPkgPath + ".Null":          schema.Null,
	bsonPkgPath + ".Undefined":     schema.Undefined,
	bsonPkgPath + ".MinKey":        schema.MinKey,
	bsonPkgPath + ".MaxKey":        schema.MaxKey,
	bsonPkgPath + ".D":             schema.Object,
	bsonPkgPath + ".M":             schema.Object,
	bsonPkgPath + ".Raw":           schema.Object,
	bsonPkgPath + ".A":             schema.Array,
	bsonPkgPath + ".Vector":        schema.BinData,
}

// unfixedTypes are encoded by the driver with a BSON type chosen per value.
var unfixedTypes = map[string]string{
	bsonPkgPath + ".RawValue": "bson.RawValue carries its own BSON type per value: use the concrete Go type",
	bsonPkgPath + ".RawArray": "bson.RawArray is written as-is: use a Go slice",
	"encoding/json.Number":    "json.Number is written as an int64 or a double depending on its text: use int64 or float64",
}

// bsonType is what the driver writes for a Go type.
type bsonType struct {
	Name     schema.BSONType // the server's alias, e.g. "string", "long"
	Nillable bool            // a nil value is written as BSON null
}

// bsonTypeOf returns the BSON type the driver writes for a value of type t,
// or an error with the fix when that type is not fixed by the Go type alone.
// minSize is the bson tag's ",minsize" flag.
func bsonTypeOf(t types.Type, minSize bool) (bsonType, error) {
	return resolveBSONType(t, minSize, 0)
}

func resolveBSONType(t types.Type, minSize bool, depth int) (bsonType, error) {
	if depth > 32 {
		return bsonType{}, fmt.Errorf("type %s is too deeply nested to resolve", t)
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		key := qualifiedName(named)
		if name, ok := driverTypes[key]; ok {
			return bsonType{Name: name, Nillable: isNilKind(named.Underlying())}, nil
		}
		if why, ok := unfixedTypes[key]; ok {
			return bsonType{}, fmt.Errorf("%s", why)
		}
		if m := marshalerMethod(named); m != "" {
			return bsonType{}, fmt.Errorf("type %s has a %s method, so its BSON type is decided at run time: encrypt a field of a plain type instead", named.Obj().Name(), m)
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return basicBSONType(u, minSize)
	case *types.Pointer:
		inner, err := resolveBSONType(u.Elem(), minSize, depth+1)
		inner.Nillable = true
		return inner, err // errors, errInvalidType among them, pass through
	case *types.Slice:
		if types.Identical(u.Elem(), types.Typ[types.Byte]) {
			return bsonType{Name: schema.BinData, Nillable: true}, nil
		}
		return bsonType{Name: schema.Array, Nillable: true}, nil
	case *types.Array:
		if types.Identical(u.Elem(), types.Typ[types.Byte]) {
			return bsonType{Name: schema.BinData}, nil
		}
		return bsonType{Name: schema.Array}, nil
	case *types.Map:
		if b, ok := u.Key().Underlying().(*types.Basic); !ok || b.Info()&types.IsString == 0 {
			return bsonType{}, fmt.Errorf("map keys of type %s are not strings, so the driver cannot write the map as a document: use map[string]%s", u.Key(), u.Elem())
		}
		if _, err := resolveBSONType(u.Elem(), false, depth+1); errors.Is(err, errInvalidType) {
			return bsonType{}, err
		} else if err != nil {
			return bsonType{}, fmt.Errorf("map values of type %s have no fixed BSON type (%v): use a struct or a map of a concrete type", u.Elem(), err)
		}
		return bsonType{Name: schema.Object, Nillable: true}, nil
	case *types.Struct:
		return bsonType{Name: schema.Object}, nil
	case *types.Interface:
		return bsonType{}, fmt.Errorf("an interface is written with the BSON type of whatever value it holds: use a concrete type")
	default:
		return bsonType{}, fmt.Errorf("the driver cannot write a value of type %s", t)
	}
}

// errInvalidType marks a type the type checker could not resolve; its own
// error says why, so no second one is reported.
var errInvalidType = errors.New("invalid type")

func basicBSONType(b *types.Basic, minSize bool) (bsonType, error) {
	switch b.Kind() {
	case types.Invalid:
		return bsonType{}, errInvalidType
	case types.String:
		return bsonType{Name: schema.String}, nil
	case types.Bool:
		return bsonType{Name: schema.Bool}, nil
	case types.Int8, types.Int16, types.Int32, types.Uint8, types.Uint16:
		return bsonType{Name: schema.Int}, nil
	case types.Int64, types.Uint32:
		if minSize {
			return bsonType{}, fmt.Errorf(`",minsize" makes the driver write small values as int32 and large ones as int64: remove ",minsize" from the bson tag`)
		}
		return bsonType{Name: schema.Long}, nil
	case types.Int:
		return bsonType{}, fmt.Errorf("the driver writes an int as int32 or int64 depending on its value, and the server accepts only one: use int32 or int64")
	case types.Uint, types.Uint64, types.Uintptr:
		return bsonType{}, fmt.Errorf("the driver writes a %s as int64 and fails on values above the int64 range: use int64", b.Name())
	case types.Float32, types.Float64:
		return bsonType{Name: schema.Double}, nil
	}
	return bsonType{}, fmt.Errorf("the driver cannot write a value of type %s", b)
}

func isNilKind(t types.Type) bool {
	switch t.(type) {
	case *types.Pointer, *types.Slice, *types.Map, *types.Interface:
		return true
	}
	return false
}

func qualifiedName(n *types.Named) string {
	if n.Obj().Pkg() == nil {
		return n.Obj().Name()
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}

// marshalerMethod names the bson marshaling method a type (or its pointer)
// has, if any. The driver then calls it instead of using the Go type.
func marshalerMethod(n *types.Named) string {
	for _, name := range []string{"MarshalBSONValue", "MarshalBSON"} {
		if obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(n), true, n.Obj().Pkg(), name); obj != nil {
			if _, isFunc := obj.(*types.Func); isFunc {
				return name
			}
		}
	}
	return ""
}
