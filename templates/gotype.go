package templates

import (
	"go/types"

	"github.com/dave/jennifer/jen"
)

// typeCode renders a Go type as jennifer code, qualifying names declared
// outside pkgPath so that jennifer adds their imports. It returns nil for
// types that cannot be named in a declaration without copying their
// definition (struct and interface literals, channels, functions).
func typeCode(t types.Type, pkgPath string) *jen.Statement {
	switch t := t.(type) {
	case *types.Alias:
		return namedCode(t.Obj(), t.TypeArgs(), pkgPath)
	case *types.Named:
		return namedCode(t.Obj(), t.TypeArgs(), pkgPath)
	case *types.Basic:
		return jen.Id(t.Name())
	case *types.Pointer:
		return wrap(jen.Op("*"), t.Elem(), pkgPath)
	case *types.Slice:
		return wrap(jen.Index(), t.Elem(), pkgPath)
	case *types.Array:
		return wrap(jen.Index(jen.Lit(int(t.Len()))), t.Elem(), pkgPath)
	case *types.Map:
		key, elem := typeCode(t.Key(), pkgPath), typeCode(t.Elem(), pkgPath)
		if key == nil || elem == nil {
			return nil
		}
		return jen.Map(key).Add(elem)
	}
	return nil
}

func wrap(outer *jen.Statement, elem types.Type, pkgPath string) *jen.Statement {
	inner := typeCode(elem, pkgPath)
	if inner == nil {
		return nil
	}
	return outer.Add(inner)
}

func namedCode(obj *types.TypeName, args *types.TypeList, pkgPath string) *jen.Statement {
	var s *jen.Statement
	if obj.Pkg() != nil && obj.Pkg().Path() != pkgPath && !obj.Exported() {
		return nil // unexported elsewhere: cannot be named here
	}
	if obj.Pkg() == nil || obj.Pkg().Path() == pkgPath {
		s = jen.Id(obj.Name())
	} else {
		s = jen.Qual(obj.Pkg().Path(), obj.Name())
	}
	if args.Len() == 0 {
		return s
	}
	codes := make([]jen.Code, args.Len())
	for i := range args.Len() {
		arg := typeCode(args.At(i), pkgPath)
		if arg == nil {
			return nil
		}
		codes[i] = arg
	}
	return s.Types(codes...)
}

// packagesOf lists the packages of the named types that make up t.
func packagesOf(t types.Type) []*types.Package {
	switch t := t.(type) {
	case *types.Named:
		var pkgs []*types.Package
		if t.Obj().Pkg() != nil {
			pkgs = append(pkgs, t.Obj().Pkg())
		}
		for i := range t.TypeArgs().Len() {
			pkgs = append(pkgs, packagesOf(t.TypeArgs().At(i))...)
		}
		return pkgs
	case *types.Alias:
		if t.Obj().Pkg() != nil {
			return []*types.Package{t.Obj().Pkg()}
		}
	case *types.Pointer:
		return packagesOf(t.Elem())
	case *types.Slice:
		return packagesOf(t.Elem())
	case *types.Array:
		return packagesOf(t.Elem())
	case *types.Map:
		return append(packagesOf(t.Key()), packagesOf(t.Elem())...)
	}
	return nil
}
