package generator

import (
	"go/types"

	"github.com/qegen/qegen/internal/fieldtypes"
)

// twinOf names qe's twin of filter for values of type t, or "" when qe
// has none: the twin is chosen only for exactly the type it takes (a
// named type of the model's own, even over string, keeps the generic
// field, whose methods take that type).
func twinOf(filter FilterType, t types.Type) string {
	for _, twins := range fieldtypes.All {
		if twins.Generic != string(filter) {
			continue
		}
		for _, v := range twins.Values {
			if isValue(types.Unalias(t), v) {
				return fieldtypes.Name(twins.Generic, v)
			}
		}
	}
	return ""
}

// isValue reports whether t is the type v describes.
func isValue(t types.Type, v fieldtypes.Value) bool {
	if v.Slice {
		s, ok := t.(*types.Slice)
		if !ok {
			return false
		}
		t = types.Unalias(s.Elem())
	}
	switch t := t.(type) {
	case *types.Basic:
		return v.PkgPath == "" && types.Identical(t, types.Universe.Lookup(v.Name).Type())
	case *types.Named:
		obj := t.Obj()
		return obj.Pkg() != nil && obj.Pkg().Path() == v.PkgPath && obj.Name() == v.Name && t.TypeArgs().Len() == 0
	}
	return false
}
