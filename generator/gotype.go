package generator

import (
	"fmt"
	"go/types"
)

// GoType is a Go type expression that the generated file can write.
type GoType struct {
	Kind GoTypeKind
	// Name and PkgPath name a named or predeclared type; PkgPath is empty
	// for predeclared types and for those of the generated file's own
	// package, and PkgName is the package's name, for its import.
	Name, PkgPath, PkgName string
	Len                    int64     // of an array
	Elem                   *GoType   // of a pointer, slice, array or map
	Key                    *GoType   // of a map
	Args                   []*GoType // type arguments of a named type
}

// GoTypeKind is the shape of a GoType.
type GoTypeKind uint8

// The shapes of type expressions qegen writes.
const (
	NamedType GoTypeKind = iota
	PointerType
	SliceType
	ArrayType
	MapType
)

// resolveType turns t into a type expression that code in package pkgPath
// can write, or says why it cannot: an unexported type of another
// package, a struct or interface literal, a channel or a function.
func resolveType(t types.Type, pkgPath string) (*GoType, error) {
	switch t := t.(type) {
	case *types.Basic:
		if t.Kind() == types.Invalid {
			return nil, errInvalidType
		}
		return &GoType{Kind: NamedType, Name: t.Name()}, nil
	case *types.Named:
		return resolveNamed(t.Obj(), t.TypeArgs(), pkgPath)
	case *types.Alias:
		return resolveNamed(t.Obj(), t.TypeArgs(), pkgPath)
	case *types.Pointer:
		return wrapType(PointerType, t.Elem(), pkgPath, 0)
	case *types.Slice:
		return wrapType(SliceType, t.Elem(), pkgPath, 0)
	case *types.Array:
		return wrapType(ArrayType, t.Elem(), pkgPath, t.Len())
	case *types.Map:
		key, err := resolveType(t.Key(), pkgPath)
		if err != nil {
			return nil, err
		}
		out, err := wrapType(MapType, t.Elem(), pkgPath, 0)
		if out != nil {
			out.Key = key
		}
		return out, err
	}
	return nil, fmt.Errorf("its type %s has no name that generated code can write: declare a named type for it", t)
}

func wrapType(kind GoTypeKind, elem types.Type, pkgPath string, n int64) (*GoType, error) {
	e, err := resolveType(elem, pkgPath)
	if err != nil {
		return nil, err
	}
	return &GoType{Kind: kind, Elem: e, Len: n}, nil
}

func resolveNamed(obj *types.TypeName, args *types.TypeList, pkgPath string) (*GoType, error) {
	out := &GoType{Kind: NamedType, Name: obj.Name()}
	if pkg := obj.Pkg(); pkg != nil && pkg.Path() != pkgPath {
		if !obj.Exported() {
			return nil, fmt.Errorf("its type uses %s, which is not exported from %s, so generated code cannot name it: export the type", obj.Name(), pkg.Path())
		}
		out.PkgPath, out.PkgName = pkg.Path(), pkg.Name()
	}
	for i := range args.Len() {
		arg, err := resolveType(args.At(i), pkgPath)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, arg)
	}
	return out, nil
}

// Packages lists the import paths and names the type expression needs.
func (t *GoType) Packages() map[string]string {
	out := map[string]string{}
	var walk func(*GoType)
	walk = func(t *GoType) {
		if t == nil {
			return
		}
		if t.PkgPath != "" {
			out[t.PkgPath] = t.PkgName
		}
		walk(t.Elem)
		walk(t.Key)
		for _, a := range t.Args {
			walk(a)
		}
	}
	walk(t)
	return out
}

// String writes the expression with package names, for messages.
func (t *GoType) String() string {
	switch t.Kind {
	case PointerType:
		return "*" + t.Elem.String()
	case SliceType:
		return "[]" + t.Elem.String()
	case ArrayType:
		return fmt.Sprintf("[%d]%s", t.Len, t.Elem)
	case MapType:
		return "map[" + t.Key.String() + "]" + t.Elem.String()
	}
	s := t.Name
	if t.PkgName != "" {
		s = t.PkgName + "." + s
	}
	if len(t.Args) > 0 {
		s += "["
		for i, a := range t.Args {
			if i > 0 {
				s += ", "
			}
			s += a.String()
		}
		s += "]"
	}
	return s
}
