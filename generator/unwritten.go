package generator

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// While qegen's output is missing, or stale and read as empty, every use
// of a name it generates fails to type-check: a call to
// NewPatientRepository in the same package, m.PatientWhere in another.
// This run writes those names, so such errors are dropped. They are told
// apart by where they are, not by their wording: the error is at an
// identifier that resolves to nothing, and the identifier is a name that
// the //qegen:collection directives of its package (the one it is
// qualified with, or its own) generate.

// nameRef is an identifier named like a generated name.
type nameRef struct {
	id *ast.Ident
	// selector is set when id is the selected name of x.id; qualifier is
	// x when it is an identifier (maybe a package name).
	selector  bool
	qualifier *ast.Ident
}

// recordGenerated notes the names generated for p's collections.
func (l *loader) recordGenerated(p *sourcePackage) {
	for _, f := range p.syntax {
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				if !hasDirective(typeDoc(gen, ts), collectionDirective) {
					continue
				}
				names := l.generated[p.list.ImportPath]
				if names == nil {
					names = map[string]bool{}
					l.generated[p.list.ImportPath] = names
				}
				for _, name := range namesFor(ts.Name.Name).List() {
					names[name] = true
					l.allGenerated[name] = true
				}
			}
		}
	}
}

// isUnwritten reports whether a type error is at a use of a name this run
// generates.
func (l *loader) isUnwritten(p *sourcePackage, te types.Error) bool {
	if len(l.allGenerated) == 0 {
		return false
	}
	if p.refs == nil {
		p.refs = indexNameRefs(p.syntax, l.allGenerated)
	}
	ref, ok := p.refs[te.Pos]
	if !ok || p.info.Uses[ref.id] != nil || p.info.Defs[ref.id] != nil {
		return false
	}
	owner := p.list.ImportPath
	if ref.selector {
		if ref.qualifier == nil {
			return false
		}
		pkg, ok := p.info.Uses[ref.qualifier].(*types.PkgName)
		if !ok {
			return false // a field or method, which is no generated name
		}
		owner = pkg.Imported().Path()
	}
	return l.generated[owner][ref.id.Name]
}

// indexNameRefs finds, by position, the identifiers named in names.
func indexNameRefs(files []*ast.File, names map[string]bool) map[token.Pos]nameRef {
	refs := map[token.Pos]nameRef{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if names[n.Sel.Name] {
					x, _ := n.X.(*ast.Ident)
					refs[n.Sel.Pos()] = nameRef{id: n.Sel, selector: true, qualifier: x}
				}
			case *ast.Ident:
				if _, seen := refs[n.Pos()]; !seen && names[n.Name] {
					refs[n.Pos()] = nameRef{id: n}
				}
			}
			return true
		})
	}
	return refs
}

// typeDoc is the doc comment of a type spec: its own, or its declaration's
// when the declaration holds only this spec.
func typeDoc(gen *ast.GenDecl, ts *ast.TypeSpec) *ast.CommentGroup {
	if ts.Doc == nil && len(gen.Specs) == 1 {
		return gen.Doc
	}
	return ts.Doc
}

// hasDirective reports whether doc holds a comment line starting with the
// directive as a word.
func hasDirective(doc *ast.CommentGroup, directive string) bool {
	if doc == nil {
		return false
	}
	for _, c := range doc.List {
		if words := strings.Fields(c.Text); len(words) > 0 && words[0] == directive {
			return true
		}
	}
	return false
}
