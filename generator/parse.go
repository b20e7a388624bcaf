package generator

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
)

// parseMode keeps comments for the directives and skips object
// resolution, which go/types does not use.
const parseMode = parser.AllErrors | parser.ParseComments | parser.SkipObjectResolution

// parse parses the files of pkgs, GOMAXPROCS at a time.
func (l *loader) parse(pkgs []*sourcePackage) {
	type job struct {
		pkg  *sourcePackage
		i    int
		errs []packages.Error
	}
	var jobs []*job
	for _, p := range pkgs {
		p.syntax = make([]*ast.File, len(p.files))
		for i := range p.files {
			jobs = append(jobs, &job{pkg: p, i: i})
		}
	}
	var wg sync.WaitGroup
	limit := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, j := range jobs {
		wg.Add(1)
		limit <- struct{}{}
		go func() {
			defer func() { <-limit; wg.Done() }()
			j.pkg.syntax[j.i], j.errs = parseFile(l.fset, j.pkg.files[j.i])
		}()
	}
	wg.Wait()
	for _, j := range jobs {
		j.pkg.errs = append(j.pkg.errs, j.errs...)
	}
	for _, p := range pkgs {
		p.syntax = slices.DeleteFunc(p.syntax, func(f *ast.File) bool { return f == nil })
	}
}

// parseFile parses one file. qegen's own output is read as a file with
// only a package clause, so that output made stale by a model change never
// stops qegen from replacing it.
func parseFile(fset *token.FileSet, path string) (*ast.File, []packages.Error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, []packages.Error{{Msg: err.Error(), Kind: packages.ParseError}}
	}
	mode := parseMode
	if strings.HasSuffix(path, OutputSuffix) && IsGenerated(src) {
		mode = parser.PackageClauseOnly
	}
	f, err := parser.ParseFile(fset, path, src, mode)
	var errs []packages.Error
	if list, ok := err.(scanner.ErrorList); ok {
		for _, e := range list {
			errs = append(errs, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
		}
	} else if err != nil {
		errs = append(errs, packages.Error{Pos: path, Msg: err.Error(), Kind: packages.ParseError})
	}
	return f, errs
}
