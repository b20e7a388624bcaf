package generator

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"

	"golang.org/x/tools/go/packages"
)

// sourcePackage is a package qegen parses and type-checks itself.
type sourcePackage struct {
	list   *listedPackage
	root   bool     // named on the command line
	files  []string // absolute paths: GoFiles, then CgoFiles
	syntax []*ast.File
	errs   []packages.Error
	types  *types.Package
	info   *types.Info
	state  checkState
	refs   map[token.Pos]nameRef // uses of generated names; built on the first type error
}

type checkState int

const (
	unchecked checkState = iota
	checking
	checked
)

func newSourcePackage(p *listedPackage, root bool) *sourcePackage {
	s := &sourcePackage{list: p, root: root}
	for _, name := range slices.Concat(p.GoFiles, p.CgoFiles) {
		s.files = append(s.files, filepath.Join(p.Dir, name))
	}
	return s
}

// parseSources parses the roots, then every package between them that
// they import, each file concurrently.
func (l *loader) parseSources() {
	between := l.betweenRoots()
	todo := l.roots
	for len(todo) > 0 {
		l.parse(todo)
		var next []*sourcePackage
		for _, p := range todo {
			l.addListErrors(p)
			l.recordGenerated(p)
			for _, path := range p.imports() {
				if between[path] && l.source[path] == nil {
					s := newSourcePackage(l.listed[path], false)
					l.source[path] = s
					next = append(next, s)
				}
			}
		}
		todo = next
	}
}

// betweenRoots returns the packages that are not roots but import one,
// directly or not: the go command would compile that root to give their
// export data, so qegen checks them from source too.
func (l *loader) betweenRoots() map[string]bool {
	importers := map[string][]string{}
	for path, p := range l.listed {
		for _, imp := range p.Imports {
			importers[imp] = append(importers[imp], path)
		}
	}
	between := map[string]bool{}
	var queue []string
	for _, r := range l.roots {
		queue = append(queue, r.list.ImportPath)
	}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		for _, imp := range importers[path] {
			if !between[imp] && !l.isRoot(imp) {
				between[imp] = true
				queue = append(queue, imp)
			}
		}
	}
	return between
}

func (l *loader) isRoot(path string) bool {
	p := l.source[path]
	return p != nil && p.root
}

// imports lists the packages p's parsed files import, after vendoring;
// qegen's own output, read as empty, imports nothing.
func (p *sourcePackage) imports() []string {
	var paths []string
	for _, f := range p.syntax {
		for _, spec := range f.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				continue // the parser reported it
			}
			if to, ok := p.list.ImportMap[path]; ok {
				path = to
			}
			paths = append(paths, path)
		}
	}
	return paths
}

// exportedImports lists, sorted, what the packages checked from source
// import from packages that are not: go list -export gives their export
// data without compiling any root.
func (l *loader) exportedImports() []string {
	var paths []string
	for _, p := range l.source {
		for _, path := range p.imports() {
			if l.source[path] == nil && path != "unsafe" && path != "C" {
				paths = append(paths, path)
			}
		}
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

// addListErrors keeps what go list found wrong with p, unless qegen
// reports it better: an import cycle where the import is written, a
// syntax error as the parser found it. Errors of p's dependencies are
// reported where p imports them.
func (l *loader) addListErrors(p *sourcePackage) {
	e := p.list.Error
	if e == nil || isImportCycle(e) {
		return
	}
	pos := absPos(l.dir, e.Pos)
	for _, seen := range p.errs {
		if pos != "" && seen.Pos == pos {
			return
		}
	}
	p.errs = append(p.errs, packages.Error{Pos: pos, Msg: flatten(e.Err), Kind: packages.ListError})
}

// isImportCycle reports whether the go command's import stack visits a
// package twice, as it does for a cycle.
func isImportCycle(e *listError) bool {
	seen := map[string]bool{}
	for _, path := range e.ImportStack {
		if seen[path] {
			return true
		}
		seen[path] = true
	}
	return false
}
