package qe

import (
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
	regex            bool  // the value type is bson.Regex: {path: v} would be a pattern match
	input            any   // "$path", boxed once, for text searches
	err              error // set when the generated description disagrees with the spec
}

// fieldValue is implemented by every field type, so that FillFields can
// set the fields of a generated struct.
type fieldValue interface {
	setRef(*fieldRef)
	kind() fieldKind
}

// Field is any field of a collection's generated fields, as projections
// name them.
type Field interface {
	ref() *fieldRef
}

// field is what every field type holds: the one description of its path.
type field struct{ r *fieldRef }

func (f *field) setRef(r *fieldRef) { f.r = r }
func (f field) ref() *fieldRef      { return f.r }

// Path is the field's document path.
func (f field) Path() string { return f.r.path }

// Unset removes the field from a document ($unset).
func (f field) Unset() Update { return update(opUnset, f.r, "") }

// EncryptedField is a field encrypted without queries: it can be set and
// unset, never compared.
type EncryptedField[V any] struct{ field }

func (*EncryptedField[V]) kind() fieldKind { return encryptedKind }

// Set sets the field to v ($set); explicit mode encrypts v.
func (f EncryptedField[V]) Set(v V) Update { return update(opSet, f.r, v) }

// EqualityField is a field encrypted for equality queries, holding values
// of type V.
type EqualityField[V any] struct{ field }

func (*EqualityField[V]) kind() fieldKind { return equalityKind }

// Eq matches documents whose field equals v.
func (f EqualityField[V]) Eq(v V) Filter { return compare(f.r, opEq, v) }

// Ne matches documents whose field differs from v or is missing.
func (f EqualityField[V]) Ne(v V) Filter { return compare(f.r, opNe, v) }

// In matches documents whose field equals one of values.
func (f EqualityField[V]) In(values ...V) Filter { return compare(f.r, opIn, list(values)) }

// Nin matches documents whose field equals none of values.
func (f EqualityField[V]) Nin(values ...V) Filter { return compare(f.r, opNin, list(values)) }

// Exists matches documents that have (or, with false, lack) the field.
func (f EqualityField[V]) Exists(exists bool) Filter { return compare(f.r, opExists, exists) }

// Set sets the field to v ($set); explicit mode encrypts v.
func (f EqualityField[V]) Set(v V) Update { return update(opSet, f.r, v) }

// RangeField is a field encrypted for range queries. The server also
// answers equality on it, as a range of one value.
type RangeField[V any] struct{ EqualityField[V] }

func (*RangeField[V]) kind() fieldKind { return rangeKind }

// Lt matches documents whose field is below v.
func (f RangeField[V]) Lt(v V) Filter { return compare(f.r, opLt, v) }

// Lte matches documents whose field is at most v.
func (f RangeField[V]) Lte(v V) Filter { return compare(f.r, opLte, v) }

// Gt matches documents whose field is above v.
func (f RangeField[V]) Gt(v V) Filter { return compare(f.r, opGt, v) }

// Gte matches documents whose field is at least v.
func (f RangeField[V]) Gte(v V) Filter { return compare(f.r, opGte, v) }

// Between matches documents whose field is in [lo, hi], both included.
func (f RangeField[V]) Between(lo, hi V) Filter {
	return Filter{op: opBetween, field: f.r, value: lo, hi: hi}
}

// textField is what the text kinds share.
type textField struct{ field }

// Set sets the field to s ($set); explicit mode encrypts s.
func (f textField) Set(s string) Update { return update(opSet, f.r, s) }

// PrefixField is a string field encrypted for prefix queries.
type PrefixField struct{ textField }

func (*PrefixField) kind() fieldKind { return prefixKind }

// StartsWith matches documents whose field starts with prefix.
func (f PrefixField) StartsWith(prefix string) Filter { return compare(f.r, opStartsWith, prefix) }

// SuffixField is a string field encrypted for suffix queries.
type SuffixField struct{ textField }

func (*SuffixField) kind() fieldKind { return suffixKind }

// EndsWith matches documents whose field ends with suffix.
func (f SuffixField) EndsWith(suffix string) Filter { return compare(f.r, opEndsWith, suffix) }

// PrefixSuffixField is a string field encrypted for prefix and suffix
// queries.
type PrefixSuffixField struct{ textField }

func (*PrefixSuffixField) kind() fieldKind { return prefixSuffixKind }

// StartsWith matches documents whose field starts with prefix.
func (f PrefixSuffixField) StartsWith(prefix string) Filter {
	return compare(f.r, opStartsWith, prefix)
}

// EndsWith matches documents whose field ends with suffix.
func (f PrefixSuffixField) EndsWith(suffix string) Filter { return compare(f.r, opEndsWith, suffix) }

// SubstringField is a string field encrypted for substring queries.
type SubstringField struct{ textField }

func (*SubstringField) kind() fieldKind { return substringKind }

// Contains matches documents whose field contains substring.
func (f SubstringField) Contains(substring string) Filter {
	return compare(f.r, opContains, substring)
}

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
		target, isField := v.Field(i).Addr().Interface().(fieldValue)
		if !ok || !isField {
			continue
		}
		ref := newFieldRef(spec, path, target.kind(), valueType(sf.Type))
		target.setRef(ref)
		if ref.err != nil {
			errs = append(errs, ref.err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// valueType is V of a field type F[V]: the parameter of its Eq method;
// nil for text fields, which have none.
func valueType(t reflect.Type) reflect.Type {
	if m, ok := reflect.PointerTo(t).MethodByName("Eq"); ok {
		return m.Type.In(1)
	}
	return nil
}

// newFieldRef describes the field at path, checking the generated kind
// and value type against the spec.
func newFieldRef(spec CollectionSpec, path string, kind fieldKind, value reflect.Type) *fieldRef {
	ref := &fieldRef{collection: spec.Name, path: path, kind: kind, input: "$" + path}
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
		t, _, err := bson.MarshalValue(reflect.Zero(value).Interface())
		if err != nil || t != f.BSONType.Type() {
			return fmt.Errorf("it is encrypted as %s, and its filter takes %s", f.BSONType, value)
		}
	}
	return nil
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

// NewFilterField returns the filter field of type F (EqualityField[V],
// RangeField[V], PlainField[V], PrefixField, ...) for path in the
// collection of spec, or why it does not fit. Generated code fills whole
// structs with FillFields; this serves code and tests that need one.
func NewFilterField[F any](_ generated.Token, spec CollectionSpec, path string) (F, error) {
	var f F
	target, ok := any(&f).(fieldValue)
	if !ok {
		return f, fmt.Errorf("qe: %T is not a filter field type", f)
	}
	ref := newFieldRef(spec, path, target.kind(), valueType(reflect.TypeFor[F]()))
	target.setRef(ref)
	return f, ref.err
}
