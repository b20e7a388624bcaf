package qe

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// checked caches checkDocumentType by type and collection.
var checked sync.Map // typeSpec -> error

type typeSpec struct {
	t    reflect.Type
	name string
}

// checkDocumentType fails unless values of type t (or what t points to),
// as the driver encodes them, store every encrypted path of spec with the
// spec's BSON type. It encodes a probe value with every field set, so the
// driver's own rules decide, bson tags, inline and marshalers included.
func checkDocumentType(t reflect.Type, spec CollectionSpec) error {
	if t == nil {
		return fmt.Errorf("qe: collection %s: no document type to check", spec.Name)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	key := typeSpec{t, spec.Name}
	if err, ok := checked.Load(key); ok {
		return errOrNil(err)
	}
	err := probeDocumentType(t, spec)
	checked.Store(key, err)
	return err
}

func errOrNil(v any) error {
	err, _ := v.(error)
	return err
}

func probeDocumentType(t reflect.Type, spec CollectionSpec) error {
	probe := reflect.New(t)
	fill(probe.Elem(), 0, map[reflect.Type]bool{})
	raw, err := bson.Marshal(probe.Interface())
	if err != nil {
		return fmt.Errorf("qe: checking how the driver stores %s: %w", t, err)
	}
	var problems []string
	for _, f := range spec.EncryptedFields.Fields {
		v, err := bson.Raw(raw).LookupErr(strings.Split(f.Path, ".")...)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s no longer stores %s", t, f.Path))
		case f.BSONType.Known() && v.Type != f.BSONType.Type():
			problems = append(problems, fmt.Sprintf("%s stores %s as BSON %s, and the collection encrypts it as %s", t, f.Path, v.Type, f.BSONType))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("qe: collection %s: %s: the model changed since qegen ran; run go generate (nothing is sent until then, so no value goes out unencrypted)", spec.Name, strings.Join(problems, "; "))
	}
	return nil
}

var timeType = reflect.TypeFor[time.Time]()

// fill sets v to a value with every settable field non-zero, so that
// omitempty keeps it; recursion through a type stops at its first repeat.
func fill(v reflect.Value, depth int, seen map[reflect.Type]bool) {
	if depth > 32 || !v.CanSet() {
		return
	}
	t := v.Type()
	if t == timeType {
		v.Set(reflect.ValueOf(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)))
		return
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Pointer:
		if seen[t.Elem()] {
			return
		}
		seen[t.Elem()] = true
		p := reflect.New(t.Elem())
		fill(p.Elem(), depth+1, seen)
		v.Set(p)
		delete(seen, t.Elem())
	case reflect.Struct:
		if seen[t] && depth > 0 {
			return
		}
		seen[t] = true
		for i := range v.NumField() {
			fill(v.Field(i), depth+1, seen)
		}
		delete(seen, t)
	case reflect.Slice:
		s := reflect.MakeSlice(t, 1, 1)
		fill(s.Index(0), depth+1, seen)
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), depth+1, seen)
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return
		}
		m := reflect.MakeMap(t)
		elem := reflect.New(t.Elem()).Elem()
		fill(elem, depth+1, seen)
		m.SetMapIndex(reflect.ValueOf("k").Convert(t.Key()), elem)
		v.Set(m)
	}
}
