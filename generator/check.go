package generator

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/packages"
)

// checkRoots type-checks every root, and on the way the packages between
// roots that they import, and returns the roots as go/packages would.
func (l *loader) checkRoots() []*packages.Package {
	var pkgs []*packages.Package
	for _, r := range l.roots {
		if r.state == unchecked {
			l.check(r)
		}
	}
	for _, r := range l.roots {
		pkgs = append(pkgs, &packages.Package{
			ID:         r.list.ImportPath,
			Name:       r.list.Name,
			PkgPath:    r.list.ImportPath,
			GoFiles:    r.files,
			Errors:     r.errs,
			Fset:       l.fset,
			Syntax:     r.syntax,
			Types:      r.types,
			TypesInfo:  r.info,
			TypesSizes: l.sizes,
			IllTyped:   len(r.errs) > 0,
		})
	}
	return pkgs
}

// check type-checks p from source. Declarations are all qegen reads, so
// function bodies are skipped: an error in one never changes a model.
func (l *loader) check(p *sourcePackage) {
	if len(p.list.GoFiles)+len(p.list.CgoFiles) == 0 {
		p.state = checked
		return // go list said why
	}
	p.state = checking
	l.checking = append(l.checking, p)
	conf := &types.Config{
		Importer:         importerFunc(func(path string) (*types.Package, error) { return l.importFrom(p, path) }),
		Sizes:            l.sizes,
		IgnoreFuncBodies: true,
		// cgo files are read as written: C's names are not checked and
		// have invalid types, which build.go refuses in models.
		FakeImportC: len(p.list.CgoFiles) > 0,
		Error:       func(err error) { l.typeError(p, err) },
	}
	if m := p.list.Module; m != nil && m.GoVersion != "" {
		conf.GoVersion = "go" + m.GoVersion
	}
	p.info = &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	p.types, _ = conf.Check(p.list.ImportPath, l.fset, p.syntax, p.info) // errors went to conf.Error
	l.checking = l.checking[:len(l.checking)-1]
	p.state = checked
	if !p.root && len(l.checking) > 0 {
		// Nobody asked for p, but a root cannot be right while p is wrong.
		outer := l.checking[0]
		outer.errs = append(outer.errs, p.errs...)
	}
}

// importFrom resolves an import written in p: packages checked from
// source are checked first, everything else comes from export data.
func (l *loader) importFrom(p *sourcePackage, path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if to, ok := p.list.ImportMap[path]; ok {
		path = to
	}
	q := l.source[path]
	if q == nil {
		return l.exports.load(path)
	}
	switch q.state {
	case checking:
		return nil, l.cycleError(q)
	case unchecked:
		l.check(q)
	}
	if q.types == nil {
		return nil, fmt.Errorf("package %s has no Go files", path)
	}
	return q.types, nil
}

// cycleError names the packages of an import cycle that ends at q.
func (l *loader) cycleError(q *sourcePackage) error {
	var chain []string
	for i, p := range l.checking {
		if p == q {
			for _, p := range l.checking[i:] {
				chain = append(chain, p.list.ImportPath)
			}
			break
		}
	}
	if len(chain) == 1 {
		return fmt.Errorf("package %s imports itself: remove the import", q.list.ImportPath)
	}
	chain = append(chain, q.list.ImportPath)
	return fmt.Errorf("import cycle not allowed: %s: move what they share into a package that imports neither", strings.Join(chain, " imports "))
}

// typeError records a type error, unless it is a use of a name this run
// generates.
func (l *loader) typeError(p *sourcePackage, err error) {
	te, ok := err.(types.Error)
	if !ok {
		p.errs = append(p.errs, packages.Error{Msg: err.Error(), Kind: packages.TypeError})
		return
	}
	if l.isUnwritten(p, te) {
		return
	}
	p.errs = append(p.errs, packages.Error{Pos: l.fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError})
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
