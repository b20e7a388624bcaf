package generator

import (
	"reflect"
	"testing"
)

// TestFingerprintSeesEverything guards the render cache: a file is
// rendered again only when its fingerprint, the JSON of the model file,
// changes. A model field JSON leaves out (unexported, json:"-", or an
// interface it cannot see into) would let an edit go unnoticed and
// leave stale generated code behind.
func TestFingerprintSeesEverything(t *testing.T) {
	notRendered := map[string]bool{"Collection.Type": true, "Field.Declared": true}
	// bson.RawValue's Type and Value are its content; r is a decoding registry.
	ignored := map[string]bool{"RawValue.r": true}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, at string)
	walk = func(typ reflect.Type, at string) {
		switch typ.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(typ.Elem(), at)
			return
		case reflect.Map:
			walk(typ.Key(), at)
			walk(typ.Elem(), at)
			return
		case reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer:
			t.Errorf("%s: %s is invisible to the fingerprint", at, typ)
			return
		case reflect.Struct:
		default:
			return
		}
		if seen[typ] {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			name := typ.Name() + "." + f.Name
			if ignored[name] {
				continue
			}
			if notRendered[name] {
				if f.Tag.Get("json") != "-" {
					t.Errorf("%s: not read by the emitters; tag it json:\"-\"", name)
				}
				continue
			}
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				t.Errorf("%s: left out of the fingerprint; emitters that read it would use a stale cache", name)
				continue
			}
			walk(f.Type, name)
		}
	}
	walk(reflect.TypeFor[File](), "File")
	if len(seen) < 5 {
		t.Fatalf("walked only %d struct types", len(seen))
	}
}
