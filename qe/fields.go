package qe

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/qe/internal/generated"
	"github.com/qegen/qegen/schema"
)

// fieldKind is how a field is stored, and so what a filter may ask of it.
type fieldKind uint8

const (
	plainKind     fieldKind = iota
	encryptedKind           // encrypted, not queryable
	equalityKind
	rangeKind
	prefixKind
	suffixKind
	prefixSuffixKind
	substringKind
)

// fieldRef is one field of a collection, shared by every filter, update
// and sort key on it.
type fieldRef struct {
	collection, path string
	kind             fieldKind
	regex            bool      // the value type is bson.Regex: {path: v} would be a pattern match
	input            any       // "$path", boxed once, for text searches
	err              error     // set when the generated description disagrees with the spec
	self             *fieldRef // where newFieldRef made it: a copy elsewhere is not a field
	_                [0]func() // not comparable: no equality function for each field type
}

// fieldValue is implemented by every field type (a pointer to one, as
// generated structs hold them), so that FillFields knows its kind.
type fieldValue interface {
	Field
	typeKind() fieldKind // the kind a field of this type is stored as
}

// Field is any field of a collection's generated fields, as projections
// name them.
type Field interface {
	ref() *fieldRef
}

// The field types (fields_gen.go) are the one fieldRef of their path,
// typed; generated structs hold pointers to them.
//
//go:generate go run ./internal/fieldgen -o fields_gen.go

// unfilled stands for a field that no generated struct filled (a nil
// pointer, a field type's zero value, or a value copied from another
// field): every filter, update and sort key on it fails, and it counts as
// encrypted, so nothing marshals it.
var unfilled = &fieldRef{kind: encryptedKind, err: errors.New("qe: a field that generated code did not fill was used: take fields from the generated XWhere()")}

// filled is r, or unfilled for a field no generated struct filled: a nil
// pointer, a zero value, or a value copied over a field (*w.A = *w.B),
// which would otherwise point every filter on A, program-wide, at B.
func filled(r *fieldRef) *fieldRef {
	if r == nil || r.self != r || r.collection == "" {
		return unfilled
	}
	return r
}

// Path is the field's document path.
func (r *fieldRef) Path() string { return filled(r).path }

// FillFields sets every field of the struct that fields points to, one
// per document path named in its `path` tag, for the collection of spec.
// Generated code calls it through qeimpl; a field whose type does not fit
// how spec stores its path (another kind, or a value of another BSON
// type) makes every filter on it fail, saying to regenerate.
func FillFields(_ generated.Token, fields any, spec CollectionSpec) error {
	v := reflect.ValueOf(fields)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("qe: FillFields needs a pointer to a struct, not %T", fields)
	}
	v = v.Elem()
	var errs []string
	for i := range v.NumField() {
		sf := v.Type().Field(i)
		path, ok := sf.Tag.Lookup("path")
		if !ok || !sf.IsExported() {
			continue
		}
		target, isField := v.Field(i).Interface().(fieldValue)
		if !isField {
			continue
		}
		ref := newFieldRef(spec, path, target.typeKind(), valueType(sf.Type))
		v.Field(i).Set(reflect.ValueOf(ref).Convert(sf.Type))
		if ref.err != nil {
			errs = append(errs, ref.err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// valueType is V of a field type *F[V]: the parameter of its Eq method;
// nil for text fields, which have none.
func valueType(t reflect.Type) reflect.Type {
	if m, ok := t.MethodByName("Eq"); ok {
		return m.Type.In(1)
	}
	return nil
}

// newFieldRef describes the field at path, checking the generated kind
// and value type against the spec.
func newFieldRef(spec CollectionSpec, path string, kind fieldKind, value reflect.Type) *fieldRef {
	ref := &fieldRef{collection: spec.Name, path: path, kind: kind, input: "$" + path}
	ref.self = ref
	if value != nil {
		ref.regex = value == reflect.TypeFor[bson.Regex]()
	}
	if err := spec.fieldFits(path, kind, value); err != nil {
		ref.err = fmt.Errorf("qe: field %s of collection %s: %v: the generated code and the model disagree; run go generate", path, spec.Name, err)
	}
	return ref
}

// fieldFits checks that a field of this kind and value type can be
// queried at path as the spec stores it.
func (spec CollectionSpec) fieldFits(path string, kind fieldKind, value reflect.Type) error {
	if spec.err != nil {
		return spec.err
	}
	f, related := spec.lookup(path)
	if f == nil {
		if related != nil {
			return fmt.Errorf("it is inside or above encrypted %s, so it cannot be compared", related.Path)
		}
		if kind != plainKind {
			return fmt.Errorf("it is not encrypted, but its filter type is for an encrypted field")
		}
		return nil
	}
	want := fieldKindOf(*f)
	if kind != want {
		return fmt.Errorf("it is encrypted for %v, but its filter type is for another kind", f.Kinds())
	}
	if value != nil {
		t, _, err := bson.MarshalValue(sampleOf(value))
		if err != nil || t != f.BSONType.Type() {
			return fmt.Errorf("it is encrypted as %s, and its filter takes %s", f.BSONType, value)
		}
	}
	return nil
}

// sampleOf is a value of type t that marshals to the BSON type every
// value of t does: the zero value, but an empty slice or map rather than
// nil, which would marshal to null ([]byte is binData).
func sampleOf(t reflect.Type) any {
	switch t.Kind() {
	case reflect.Slice:
		return reflect.MakeSlice(t, 0, 0).Interface()
	case reflect.Map:
		return reflect.MakeMap(t).Interface()
	}
	return reflect.Zero(t).Interface()
}

// fieldKindOf is the filter type a field encrypted as f needs.
func fieldKindOf(f schema.Field) fieldKind {
	return kindOfShape[f.Shape()]
}

// kindOfShape is the field type each shape of encrypted field takes.
var kindOfShape = [...]fieldKind{
	schema.EncryptedShape:    encryptedKind,
	schema.EqualityShape:     equalityKind,
	schema.RangeShape:        rangeKind,
	schema.PrefixShape:       prefixKind,
	schema.SuffixShape:       suffixKind,
	schema.PrefixSuffixShape: prefixSuffixKind,
	schema.SubstringShape:    substringKind,
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}

// NewFilterField returns the filter field of type F (*EqualityField[V],
// *RangeField[V], *PlainField[V], *PrefixField, ...) for path in the
// collection of spec, or why it does not fit. Generated code fills whole
// structs with FillFields; this serves code and tests that need one.
func NewFilterField[F Field](_ generated.Token, spec CollectionSpec, path string) (F, error) {
	var f F
	t := reflect.TypeFor[F]()
	target, ok := any(f).(fieldValue)
	if !ok || t.Kind() != reflect.Pointer {
		return f, fmt.Errorf("qe: %s is not a filter field type", t)
	}
	ref := newFieldRef(spec, path, target.typeKind(), valueType(t))
	return reflect.ValueOf(ref).Convert(t).Interface().(F), ref.err
}
