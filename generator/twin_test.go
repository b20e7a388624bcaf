package generator

import (
	"go/types"
	"testing"

	"github.com/qegen/qegen/schema"
)

// TestTwinOf: a twin is chosen only for exactly the type it takes.
func TestTwinOf(t *testing.T) {
	named := func(path, name string, underlying types.Type) *types.Named {
		return types.NewNamed(types.NewTypeName(0, types.NewPackage(path, path[len(path)-1:]), name, nil), underlying, nil)
	}
	str := types.Typ[types.String]
	ssn := named("example.com/m", "SSN", str)
	alias := types.NewAlias(types.NewTypeName(0, types.NewPackage("example.com/m", "m"), "Name", nil), str)
	shadow := named("example.com/m", "string", types.NewStruct(nil, nil))
	tests := []struct {
		filter FilterType
		t      types.Type
		want   string
	}{
		{EqualityFilter, str, "EqualityString"},
		{EqualityFilter, alias, "EqualityString"},
		{EqualityFilter, ssn, ""},
		{EqualityFilter, shadow, ""},
		{EqualityFilter, types.NewSlice(types.Universe.Lookup("byte").Type()), "EqualityBytes"},
		{EqualityFilter, types.NewSlice(ssn), ""},
		{EqualityFilter, named("time", "Time", types.NewStruct(nil, nil)), "EqualityTime"},
		{EqualityFilter, named("example.com/time", "Time", types.NewStruct(nil, nil)), ""},
		{OrderedFilter, named(bsonPkgPath, "ObjectID", types.NewArray(types.Typ[types.Byte], 12)), "OrderedObjectID"},
		{RangeFilter, str, ""}, // no twin: range takes no strings
		{NumberFilter, types.Typ[types.Int64], "NumberInt64"},
		{NumberFilter, types.Typ[types.Int], ""},
		{ArrayFilter, str, "ArrayString"},
	}
	for _, tt := range tests {
		if got := twinOf(tt.filter, tt.t); got != tt.want {
			t.Errorf("twinOf(%s, %s) = %q, want %q", tt.filter, tt.t, got, tt.want)
		}
	}
}

// TestPlainFilterOfAlias: an alias of string is a string, with Regex.
func TestPlainFilterOfAlias(t *testing.T) {
	alias := types.NewAlias(types.NewTypeName(0, types.NewPackage("example.com/m", "m"), "Name", nil), types.Typ[types.String])
	if got, _, _ := plainFilterOf(alias, schema.String, "example.com/m"); got != StringFilter {
		t.Errorf("plainFilterOf(alias of string) = %s, want %s", got, StringFilter)
	}
}
