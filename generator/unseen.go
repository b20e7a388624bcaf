package generator

import (
	"go/token"
	"go/types"
)

// A field's type is invalid when it names something go/types could not
// resolve. Usually a type error says so and the run stops there. Without
// one, the type is a C type, which qegen sees as invalid because it reads
// cgo files without running cgo, or a name qegen generates, whose uses
// are not errors while its output is missing (unwritten.go). Neither is a
// type the driver can store.

// unseenField is a stored field whose type is invalid.
type unseenField struct {
	name string
	pos  token.Position
}

// noteUnseen remembers v when its type is invalid.
func (b *builder) noteUnseen(v *types.Var, pos token.Position) {
	if hasInvalid(v.Type(), 0) {
		b.unseen = append(b.unseen, unseenField{name: v.Name(), pos: pos})
	}
}

// reportUnseen reports the fields of invalid types, unless loading
// reported errors, which explain them.
func (b *builder) reportUnseen() {
	if b.loadErrors > 0 {
		return
	}
	for _, f := range b.unseen {
		b.errs.add(f.pos, "field %s: qegen cannot see its type, which is a C type (qegen does not run cgo) or a name qegen generates: use a Go type the driver can store", f.name)
	}
}

// hasInvalid reports whether t is invalid, or is made of an invalid type.
func hasInvalid(t types.Type, depth int) bool {
	if depth > 8 {
		return false
	}
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		return t.Kind() == types.Invalid
	case *types.Named:
		return hasInvalid(t.Underlying(), depth+1)
	case *types.Pointer:
		return hasInvalid(t.Elem(), depth+1)
	case *types.Slice:
		return hasInvalid(t.Elem(), depth+1)
	case *types.Array:
		return hasInvalid(t.Elem(), depth+1)
	case *types.Map:
		return hasInvalid(t.Key(), depth+1) || hasInvalid(t.Elem(), depth+1)
	}
	return false
}
