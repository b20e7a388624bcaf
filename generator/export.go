package generator

import (
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"strings"

	"golang.org/x/tools/go/gcexportdata"
)

// exportImporter imports packages from the export data go list -export
// pointed at.
type exportImporter struct {
	fset   *token.FileSet
	listed map[string]*listedPackage // by import path
	// pkgs is shared by every read, so that a type reached through two
	// packages is one type.
	pkgs map[string]*types.Package
}

func newExportImporter(fset *token.FileSet, listed []*listedPackage) *exportImporter {
	x := &exportImporter{fset: fset, listed: map[string]*listedPackage{}, pkgs: map[string]*types.Package{}}
	for _, p := range listed {
		x.listed[p.ImportPath] = p
	}
	return x
}

func (x *exportImporter) load(path string) (*types.Package, error) {
	if pkg := x.pkgs[path]; pkg != nil && pkg.Complete() {
		return pkg, nil
	}
	p := x.listed[path]
	if p == nil {
		return nil, fmt.Errorf("go list -export said nothing about %s", path)
	}
	if p.Export == "" {
		return nil, errors.New(whyNoExport(p))
	}
	f, err := os.Open(p.Export)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Until Go 1.28 go list -export names a compiled archive, which only
	// NewReader unwraps; it reads the later export files too.
	//lint:ignore SA1019 see above
	r, err := gcexportdata.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("reading export data of %s: %w", path, err)
	}
	return gcexportdata.Read(r, x.fset, x.pkgs, path)
}

// whyNoExport explains, from go list's report, why a package has no
// export data: it is missing or does not build, or one it imports.
func whyNoExport(p *listedPackage) string {
	if e := p.Error; e != nil {
		// A build failure comes as the compiler's output under "# path".
		msg, _ := strings.CutPrefix(e.Err, "# "+p.ImportPath+"\n")
		if e.Pos != "" {
			msg = e.Pos + ": " + msg
		}
		return flatten(msg)
	}
	if len(p.DepsErrors) > 0 {
		e := p.DepsErrors[0]
		msg := e.Err
		if e.Pos != "" {
			msg = e.Pos + ": " + msg
		}
		if len(e.ImportStack) > 0 {
			msg = strings.Join(e.ImportStack, " imports ") + ": " + msg
		}
		return flatten(msg)
	}
	return "go list -export gave no export data"
}
