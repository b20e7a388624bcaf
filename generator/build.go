package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/qegen/qegen/schema"
)

// Load reads the packages, builds the model of every collection and checks
// it against the server's rules. It returns every problem at once, as an
// ErrorList, and no model when there is any.
func Load(cfg Config) (*Model, error) {
	pkgs, err := LoadPackages(cfg)
	if err != nil {
		return nil, err
	}
	return Build(pkgs, cfg)
}

// Build is Load after package loading: it builds and checks the model of
// the collections in pkgs, which LoadPackages returned for cfg.
func Build(pkgs []*packages.Package, cfg Config) (*Model, error) {
	target := cfg.Target
	if target.IsZero() {
		target = schema.DefaultRelease
	}
	b := &builder{files: map[string]*File{}, target: target, reached: map[*types.TypeName]bool{}}
	for _, pkg := range pkgs {
		b.addPackage(pkg)
	}
	b.reportUnseen()
	if len(pkgs) == 0 {
		b.errs.add(token.Position{}, "no Go packages match %s", strings.Join(cfg.Patterns, " "))
	}
	if err := b.errs.err(); err != nil {
		return nil, err
	}
	m := &Model{Target: target, Warnings: b.unreached(pkgs)}
	for _, f := range b.files {
		m.Files = append(m.Files, f)
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	m.Orphans = b.orphans()
	return m, nil
}

type builder struct {
	fset   *token.FileSet
	errs   ErrorList
	files  map[string]*File
	target schema.Release // of collections without //qegen:server
	// generated lists the *_qe.go files of the loaded packages.
	generated  []string
	loadErrors int           // errors LoadPackages found
	unseen     []unseenField // fields whose types go/types could not resolve
	// reached holds the struct types some collection stores, to warn about
	// the others that carry qe tags.
	reached map[*types.TypeName]bool
}

func (b *builder) position(p token.Pos) token.Position { return b.fset.Position(p) }

func (b *builder) addPackage(pkg *packages.Package) {
	b.fset = pkg.Fset
	// LoadPackages has left out uses of the names this run generates.
	for _, e := range pkg.Errors {
		b.errs = append(b.errs, &Error{Pos: parsePosition(e.Pos), Format: "%s", Args: []any{e.Msg}})
	}
	b.loadErrors += len(pkg.Errors)
	for _, path := range pkg.GoFiles {
		if strings.HasSuffix(path, OutputSuffix) {
			b.generated = append(b.generated, path)
		}
	}
	if pkg.Types == nil || pkg.TypesInfo == nil {
		return
	}
	names := map[string]*Collection{} // collection names are unique within a package
	var collections []*Collection
	for _, file := range pkg.Syntax {
		filename := b.position(file.Package).Filename
		roots := b.findRoots(pkg.TypesInfo, file)
		if len(roots) == 0 {
			continue
		}
		out := &File{
			Path:       filename,
			OutputPath: strings.TrimSuffix(filename, ".go") + OutputSuffix,
			PkgName:    pkg.Types.Name(),
			PkgPath:    pkg.Types.Path(),
		}
		var err error
		if out.BuildConstraint, err = buildConstraint(filename); err != nil {
			b.errs.add(b.position(file.Package), "reading the build constraints of %s: %v", filename, err)
		}
		for _, r := range roots {
			if first, dup := names[r.name]; dup {
				b.errs.add(r.pos, "collection %q is already mapped by %s at %s: give one of them another name", r.name, first.GoName, first.Pos)
				continue
			}
			if c := b.collection(r, pkg.Types.Path()); c != nil {
				names[r.name] = c
				out.Collections = append(out.Collections, c)
			}
		}
		b.files[filename] = out
		collections = append(collections, out.Collections...)
	}
	b.checkGeneratedNames(pkg, collections)
}

// checkGeneratedNames reports generated identifiers that the package
// already declares.
func (b *builder) checkGeneratedNames(pkg *packages.Package, collections []*Collection) {
	for _, c := range collections {
		for _, name := range c.Names.List() {
			if obj := pkg.Types.Scope().Lookup(name); obj != nil {
				b.errs.add(c.Pos, "qegen generates %s for collection %s, but the package already declares it at %s: rename one of them", name, c.Name, b.position(obj.Pos()))
			}
		}
	}
}

// orphans are the generated files whose model file no longer declares a
// collection. A model file that is excluded by the current build tags, or
// fails to build, keeps its generated file: only its own directives say
// whether its models are gone.
func (b *builder) orphans() []string {
	var out []string
	for _, path := range b.generated {
		model := strings.TrimSuffix(path, OutputSuffix) + ".go"
		if b.files[model] != nil || declaresCollections(model) {
			continue
		}
		out = append(out, path)
	}
	sort.Strings(out)
	return out
}

// declaresCollections reports whether the file at path has a
// //qegen:collection directive, reading its syntax only.
func declaresCollections(path string) bool {
	src, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	file, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ParseComments|parser.SkipObjectResolution)
	if file == nil {
		return err == nil
	}
	for _, group := range file.Comments {
		for _, c := range group.List {
			if strings.HasPrefix(c.Text, collectionDirective) {
				return true
			}
		}
	}
	return false
}

// unreached warns about struct types with qe tags that no collection of
// this run stores: their fields would be stored in clear unless a
// collection in a package not loaded here stores them.
func (b *builder) unreached(pkgs []*packages.Package) ErrorList {
	var warnings ErrorList
	for _, pkg := range pkgs {
		if pkg.TypesInfo == nil {
			continue
		}
		for _, file := range pkg.Syntax {
			for _, decl := range file.Decls {
				gen, ok := decl.(*ast.GenDecl)
				if !ok || gen.Tok != token.TYPE {
					continue
				}
				for _, spec := range gen.Specs {
					obj, _ := pkg.TypesInfo.Defs[spec.(*ast.TypeSpec).Name].(*types.TypeName)
					if obj == nil || b.reached[obj] {
						continue
					}
					if st, ok := obj.Type().Underlying().(*types.Struct); ok && hasQETags(st, map[*types.Struct]bool{}) {
						warnings = append(warnings, &Error{Pos: pkg.Fset.Position(obj.Pos()), Severity: "warning",
							Format: "%s has qe tags, but no //qegen:collection of this run stores it, so nothing generated encrypts its fields: mark its collection's struct with //qegen:collection, or run qegen on the package that does (%s)",
							Args:   []any{obj.Name(), "qegen ./..."}})
					}
				}
			}
		}
	}
	warnings.sort()
	return warnings
}
