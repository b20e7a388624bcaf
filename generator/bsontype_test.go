package generator

import (
	"go/types"
	"math"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/tools/go/packages"

	"github.com/qegen/qegen/generator/internal/typecases"
)

func loadTypeCases(t *testing.T) *types.Package {
	t.Helper()
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedTypes | packages.NeedName}, "github.com/qegen/qegen/generator/internal/typecases")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("loading typecases: %v %v", err, pkgs)
	}
	return pkgs[0].Types
}

// bsonAlias maps the driver's type codes to the server's aliases.
var bsonAlias = map[bson.Type]string{
	bson.TypeDouble: "double", bson.TypeString: "string", bson.TypeEmbeddedDocument: "object",
	bson.TypeArray: "array", bson.TypeBinary: "binData", bson.TypeObjectID: "objectId",
	bson.TypeBoolean: "bool", bson.TypeDateTime: "date", bson.TypeNull: "null", bson.TypeRegex: "regex",
	bson.TypeDBPointer: "dbPointer", bson.TypeJavaScript: "javascript", bson.TypeSymbol: "symbol",
	bson.TypeCodeWithScope: "javascriptWithScope", bson.TypeInt32: "int", bson.TypeTimestamp: "timestamp",
	bson.TypeInt64: "long", bson.TypeDecimal128: "decimal", bson.TypeMinKey: "minKey", bson.TypeMaxKey: "maxKey",
}

// TestBSONTypeMatchesDriver marshals a value of every Fixed field with the
// driver and checks that qegen predicted the BSON type the driver wrote.
func TestBSONTypeMatchesDriver(t *testing.T) {
	pkg := loadTypeCases(t)
	st := pkg.Scope().Lookup("Fixed").Type().Underlying().(*types.Struct)
	rt := reflect.TypeOf(typecases.Fixed{})
	for i := 0; i < st.NumFields(); i++ {
		v := st.Field(i)
		sf, _ := rt.FieldByName(v.Name())
		tag := parseBSONTag(v.Name(), reflect.StructTag(st.Tag(i)))
		got, err := bsonTypeOf(v.Type(), tag.MinSize)
		if err != nil {
			t.Errorf("%s: bsonTypeOf: %v", v.Name(), err)
			continue
		}
		doc := reflect.New(rt).Elem()
		// A zero CodeWithScope has a nil scope, which the driver cannot write.
		doc.Set(reflect.ValueOf(typecases.Fixed{CodeScope: bson.CodeWithScope{Scope: bson.D{}}}))
		if k := sf.Type.Kind(); k == reflect.Pointer || k == reflect.Slice || k == reflect.Map {
			doc.FieldByIndex(sf.Index).Set(nonNil(sf.Type))
		}
		raw, err := bson.Marshal(doc.Interface())
		if err != nil {
			t.Fatalf("%s: marshal: %v", v.Name(), err)
		}
		written, err := bson.Raw(raw).LookupErr(tag.Key)
		if err != nil {
			t.Errorf("%s: driver wrote no key %q", v.Name(), tag.Key)
			continue
		}
		if want := bsonAlias[written.Type]; string(got.Name) != want {
			t.Errorf("%s (%s): qegen says %s, driver wrote %s", v.Name(), v.Type(), got.Name, want)
		}
		if wantNil := sf.Type.Kind() == reflect.Pointer || sf.Type.Kind() == reflect.Slice || sf.Type.Kind() == reflect.Map; got.Nillable != wantNil {
			t.Errorf("%s: Nillable = %v, want %v", v.Name(), got.Nillable, wantNil)
		}
	}
}

// nonNil returns a non-empty value of a pointer, slice or map type, so that
// the driver writes the field despite omitempty.
func nonNil(t reflect.Type) reflect.Value {
	switch t.Kind() {
	case reflect.Pointer:
		return reflect.New(t.Elem())
	case reflect.Slice:
		return reflect.MakeSlice(t, 1, 1)
	}
	m := reflect.MakeMap(t)
	m.SetMapIndex(reflect.Zero(t.Key()), reflect.Zero(t.Elem()))
	return m
}

// TestBSONTypeUnfixed checks that qegen refuses every Unfixed field, and
// that the driver really writes two BSON types for the numeric ones.
func TestBSONTypeUnfixed(t *testing.T) {
	pkg := loadTypeCases(t)
	st := pkg.Scope().Lookup("Unfixed").Type().Underlying().(*types.Struct)
	for i := 0; i < st.NumFields(); i++ {
		v := st.Field(i)
		tag := parseBSONTag(v.Name(), reflect.StructTag(st.Tag(i)))
		if got, err := bsonTypeOf(v.Type(), tag.MinSize); err == nil {
			t.Errorf("%s (%s): bsonTypeOf = %s, want an error", v.Name(), v.Type(), got.Name)
		}
	}
	rawType, rawValue, err := bson.MarshalValue(int32(1))
	if err != nil {
		t.Fatal(err)
	}
	raw := bson.RawValue{Type: rawType, Value: rawValue}
	small := typecases.Unfixed{Int: 1, Uint: 1, MinSize: 1, Number: "1", Raw: raw}
	large := typecases.Unfixed{Int: math.MaxInt32 + 1, Uint: math.MaxInt32 + 1, MinSize: math.MaxInt32 + 1, Number: "1.5", Raw: raw}
	if _, err := bson.Marshal(typecases.Unfixed{Uint64: math.MaxUint64, Number: "1", Raw: raw}); err == nil {
		t.Errorf("uint64: the driver wrote a value above the int64 range; the rejection may be obsolete")
	}
	for _, key := range []string{"int", "minsize", "number"} {
		a, b := lookupType(t, small, key), lookupType(t, large, key)
		if a == b {
			t.Errorf("%s: driver wrote %s for both a small and a large value; the rejection may be obsolete", key, a)
		}
	}
}

func lookupType(t *testing.T, doc any, key string) bson.Type {
	t.Helper()
	raw, err := bson.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return bson.Raw(raw).Lookup(key).Type
}

// TestBSONTagMatchesDriver checks the document key qegen derives for each
// field against the keys the driver writes. The struct is built with
// reflect, since go vet rightly refuses a bare tag in source, and the
// driver still honours one.
func TestBSONTagMatchesDriver(t *testing.T) {
	str := reflect.TypeOf("")
	rt := reflect.StructOf([]reflect.StructField{
		{Name: "Plain", Type: str},
		{Name: "Named", Type: str, Tag: `bson:"named_key"`},
		{Name: "Bare", Type: str, Tag: `bare_key`},
		{Name: "OmitOnly", Type: str, Tag: `bson:",omitempty"`},
		{Name: "Skipped", Type: str, Tag: `bson:"-"`},
		{Name: "JSONOnly", Type: str, Tag: `json:"json_key"`},
		{Name: "MixedCase", Type: str, Tag: `bson:"MiXeD"`},
	})
	v := reflect.New(rt).Elem()
	for i := range rt.NumField() {
		v.Field(i).SetString("x")
	}
	raw, err := bson.Marshal(v.Interface())
	if err != nil {
		t.Fatal(err)
	}
	elems, _ := bson.Raw(raw).Elements()
	var written []string
	for _, e := range elems {
		written = append(written, e.Key())
	}
	var predicted []string
	for i := range rt.NumField() {
		if tag := parseBSONTag(rt.Field(i).Name, rt.Field(i).Tag); !tag.Skip {
			predicted = append(predicted, tag.Key)
		}
	}
	if !reflect.DeepEqual(predicted, written) {
		t.Errorf("qegen predicts keys %q, driver wrote %q", predicted, written)
	}
}

// TestEmbeddedStructIsASubdocument pins the driver's rule that qegen
// follows: an embedded struct without ",inline" is stored under its
// lower-cased type name, not flattened.
func TestEmbeddedStructIsASubdocument(t *testing.T) {
	type Meta struct{ Source string }
	type doc struct{ Meta }
	raw, err := bson.Marshal(doc{Meta{Source: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	key := parseBSONTag("Meta", "").Key
	if v, err := bson.Raw(raw).LookupErr(key, "source"); err != nil || v.StringValue() != "x" {
		t.Errorf("driver wrote %s; qegen expects the embedded struct under %q", bson.Raw(raw), key)
	}
}
