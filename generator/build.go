package generator

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Model is every collection found in the loaded packages, grouped by the
// file that declares its root type.
type Model struct {
	Server Server  // the target of collections without //qegen:server
	Files  []*File // sorted by Path
	// Orphans are generated files in the loaded packages whose model file
	// no longer declares a collection; qegen removes them.
	Orphans []string
}

// Collections lists every collection in file order, then declaration order.
func (m *Model) Collections() []*Collection {
	var all []*Collection
	for _, f := range m.Files {
		all = append(all, f.Collections...)
	}
	return all
}

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
	server := cfg.Server
	if server == (Server{}) {
		server = DefaultServer
	}
	b := &builder{files: map[string]*File{}, names: map[string]*Collection{}, defaultServer: server}
	for _, pkg := range pkgs {
		b.addPackage(pkg)
	}
	b.reportUnseen()
	if len(pkgs) == 0 {
		b.errs = append(b.errs, &Error{Msg: fmt.Sprintf("no Go packages match %s", strings.Join(cfg.Patterns, " "))})
	}
	if err := b.errs.err(); err != nil {
		return nil, err
	}
	m := &Model{Server: server}
	for _, f := range b.files {
		m.Files = append(m.Files, f)
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	for _, path := range b.generated {
		if b.files[strings.TrimSuffix(path, OutputSuffix)+".go"] == nil {
			m.Orphans = append(m.Orphans, path)
		}
	}
	sort.Strings(m.Orphans)
	return m, nil
}

type builder struct {
	fset  *token.FileSet
	errs  ErrorList
	files map[string]*File
	names map[string]*Collection // collection name -> first root that claimed it
	// generated lists the *_qe.go files of the loaded packages.
	generated     []string
	pkgPath       string        // the package whose collections are being built
	defaultServer Server        // the target of collections without //qegen:server
	server        Server        // the target of the collection being built
	loadErrors    int           // errors LoadPackages found
	unseen        []unseenField // fields whose types go/types could not resolve
}

func (b *builder) addPackage(pkg *packages.Package) {
	b.fset = pkg.Fset
	b.pkgPath = pkg.PkgPath
	// LoadPackages has left out uses of the names this run generates.
	for _, e := range pkg.Errors {
		b.errs = append(b.errs, &Error{Pos: parsePosition(e.Pos), Msg: e.Msg})
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
	var collections []*Collection
	for _, file := range pkg.Syntax {
		filename := b.fset.Position(file.Package).Filename
		roots := b.findRoots(pkg, file)
		if len(roots) == 0 {
			continue
		}
		out := &File{
			Path:       filename,
			OutputPath: strings.TrimSuffix(filename, ".go") + OutputSuffix,
			PkgName:    pkg.Types.Name(),
			PkgPath:    pkg.Types.Path(),
		}
		for _, r := range roots {
			if c := b.collection(r); c != nil {
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
		for _, name := range c.Names().list() {
			if obj := pkg.Types.Scope().Lookup(name); obj != nil {
				b.errs.add(c.Pos, "qegen generates %s for collection %s, but the package already declares it at %s: rename one of them", name, c.Name, where(b.fset.Position(obj.Pos())))
			}
		}
	}
}

// root is a type declaration carrying //qegen:collection.
type root struct {
	name   string // collection name from the directive
	server Server // target release
	obj    *types.TypeName
	pos    token.Pos
}

const directivePrefix = "//qegen:"
const collectionDirective = "//qegen:collection"

// serverDirective sets the target release of one collection, overriding
// Config.Server, so that a model that needs 8.2 says so beside itself.
const serverDirective = "//qegen:server"

// findRoots returns the struct types of file marked as collections, and
// reports every qegen directive that is malformed or misplaced.
func (b *builder) findRoots(pkg *packages.Package, file *ast.File) []root {
	var roots []root
	used := map[*ast.Comment]bool{}
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.TYPE {
			continue
		}
		for _, spec := range gen.Specs {
			ts := spec.(*ast.TypeSpec)
			doc := typeDoc(gen, ts)
			if doc == nil {
				continue
			}
			var collection, server *ast.Comment
			for _, c := range doc.List {
				if !strings.HasPrefix(c.Text, directivePrefix) {
					continue
				}
				used[c] = true
				switch strings.Fields(c.Text)[0] {
				case collectionDirective:
					collection = c
				case serverDirective:
					server = c
				default:
					b.errs.add(b.fset.Position(c.Pos()), "unknown directive %s: qegen knows %s NAME and %s X.Y", strings.Fields(c.Text)[0], collectionDirective, serverDirective)
				}
			}
			if collection == nil {
				if server != nil {
					b.errs.add(b.fset.Position(server.Pos()), "%s goes with %s in the doc comment of a collection's struct: add one, or remove it", serverDirective, collectionDirective)
				}
				continue
			}
			if r, ok := b.parseDirective(pkg, ts, collection); ok {
				if r.server, ok = b.parseServerDirective(server); ok {
					roots = append(roots, r)
				}
			}
		}
	}
	for _, group := range file.Comments {
		for _, c := range group.List {
			if strings.HasPrefix(c.Text, directivePrefix) && !used[c] {
				b.errs.add(b.fset.Position(c.Pos()), "%s must be in the doc comment of a struct type declaration: move it to the line above `type X struct`", strings.Fields(c.Text)[0])
			}
		}
	}
	return roots
}

// parseServerDirective reads //qegen:server X.Y; without one the target
// given to Load applies.
func (b *builder) parseServerDirective(c *ast.Comment) (Server, bool) {
	if c == nil {
		return b.defaultServer, true
	}
	words := strings.Fields(c.Text)
	if len(words) != 2 {
		b.errs.add(b.fset.Position(c.Pos()), "%s takes one release, e.g. %s 8.2", serverDirective, serverDirective)
		return Server{}, false
	}
	s, err := ParseServer(words[1])
	if err != nil {
		b.errs.add(b.fset.Position(c.Pos()), "%s: %v", serverDirective, err)
		return Server{}, false
	}
	return s, true
}

func (b *builder) parseDirective(pkg *packages.Package, ts *ast.TypeSpec, c *ast.Comment) (root, bool) {
	pos := b.fset.Position(c.Pos())
	words := strings.Fields(c.Text)
	if len(words) != 2 {
		b.errs.add(pos, "%s takes exactly one collection name, e.g. %s patients", collectionDirective, collectionDirective)
		return root{}, false
	}
	obj, _ := pkg.TypesInfo.Defs[ts.Name].(*types.TypeName)
	if obj == nil {
		return root{}, false
	}
	if _, isStruct := obj.Type().Underlying().(*types.Struct); !isStruct || ts.Assign.IsValid() {
		b.errs.add(pos, "%s is on %s, which is not a struct type declaration: put it on the struct that maps the collection's documents", collectionDirective, ts.Name.Name)
		return root{}, false
	}
	if ts.TypeParams != nil {
		b.errs.add(pos, "%s is on the generic type %s: the generated repository needs one concrete document type; declare a non-generic struct", collectionDirective, ts.Name.Name)
		return root{}, false
	}
	if msg := checkCollectionName(words[1]); msg != "" {
		b.errs.add(pos, "%s", msg)
		return root{}, false
	}
	return root{name: words[1], obj: obj, pos: c.Pos()}, true
}

// checkCollectionName applies the server's naming rules for collections.
func checkCollectionName(name string) string {
	switch {
	case strings.ContainsAny(name, "$\x00"):
		return fmt.Sprintf("collection name %q contains '$' or a NUL byte, which the server rejects: choose another name", name)
	case strings.HasPrefix(name, "system."):
		return fmt.Sprintf("collection name %q is reserved for the server (system.*): choose another name", name)
	case strings.HasPrefix(name, "enxcol_."):
		return fmt.Sprintf("collection name %q is reserved for Queryable Encryption's metadata collections (enxcol_.*): choose another name", name)
	case strings.HasPrefix(name, ".") || strings.HasSuffix(name, "."):
		return fmt.Sprintf("collection name %q starts or ends with a dot: remove it", name)
	}
	return ""
}

func (b *builder) collection(r root) *Collection {
	pos := b.fset.Position(r.pos)
	if first, dup := b.names[r.name]; dup {
		b.errs.add(pos, "collection %q is already mapped by %s at %s: give one of them another name", r.name, first.GoName, where(first.Pos))
		return nil
	}
	named := r.obj.Type().(*types.Named)
	c := &Collection{Name: r.name, GoName: r.obj.Name(), Type: named, Pos: b.fset.Position(r.obj.Pos()), Server: r.server}
	b.server = r.server
	b.names[r.name] = c
	st := named.Underlying().(*types.Struct)
	b.walkStruct(c, st, walkAt{}, []*types.Named{named})
	b.checkPaths(c)
	b.checkTagStorage(c)
	c.MinServer, c.MaxServer = b.serverRange(c)
	return c
}

// walkAt is where in the document a struct is being read.
type walkAt struct {
	path   string   // document path of the struct, "" at the root
	goPath []string // Go selector to the struct
	goName string   // Go names along the document path, for generated names
	keys   []string // document keys along the path
	// forbid, when set, is why no field below may carry a qe tag.
	forbid string
}

func (b *builder) walkStruct(c *Collection, st *types.Struct, at walkAt, stack []*types.Named) {
	for i := 0; i < st.NumFields(); i++ {
		v := st.Field(i)
		tags := reflect.StructTag(st.Tag(i))
		qeText, hasQE := tags.Lookup("qe")
		pos := b.fset.Position(v.Pos())
		if !v.Exported() {
			if hasQE {
				b.errs.add(pos, "field %s is unexported, so the driver never stores it: export it or remove the qe tag", v.Name())
			}
			continue
		}
		bt := parseBSONTag(v.Name(), tags)
		if bt.Skip {
			if hasQE {
				b.errs.add(pos, `field %s has bson:"-", so it is never stored: remove the qe tag or the "-"`, v.Name())
			}
			continue
		}
		b.noteUnseen(v, pos)
		goPath := append(append([]string(nil), at.goPath...), v.Name())
		if bt.Inline {
			if hasQE {
				b.errs.add(pos, "field %s is inline, so its fields are stored in the outer document and it cannot be encrypted whole: put qe tags on its fields, or drop \"inline\"", v.Name())
			}
			if inner, named := structOf(v.Type()); inner != nil {
				b.descend(c, v, inner, named, walkAt{path: at.path, goPath: goPath, goName: at.goName, keys: at.keys, forbid: at.forbid}, stack)
			}
			continue
		}
		keys := append(append([]string(nil), at.keys...), bt.Key)
		here := walkAt{path: joinPath(at.path, bt.Key), goPath: goPath, goName: at.goName + v.Name(), keys: keys, forbid: at.forbid}
		if at.path == "" && bt.Key == "_id" {
			c.IDType = derefPointer(v.Type())
		}
		if hasQE {
			if at.forbid != "" {
				b.errs.add(pos, "field %s cannot be encrypted: %s", v.Name(), at.forbid)
				continue
			}
			if f := b.field(v, bt, qeText, here, pos); f != nil {
				c.Fields = append(c.Fields, f)
				c.All = append(c.All, f)
			}
			if inner, named := structOf(v.Type()); inner != nil {
				here.forbid = fmt.Sprintf("it is inside %s, which is encrypted whole; remove this qe tag", here.path)
				b.descend(c, v, inner, named, here, stack)
			}
			continue
		}
		if inner, named := structOf(v.Type()); inner != nil {
			b.descend(c, v, inner, named, here, stack)
			continue
		}
		if at.forbid == "" {
			c.All = append(c.All, plainField(v, bt, here, pos))
		}
		if inner, named := elemStructOf(v.Type()); inner != nil {
			if here.forbid == "" {
				here.forbid = fmt.Sprintf("it is inside %s, a list or map of documents, and the server cannot encrypt fields there; encrypt the whole of %s instead", here.path, v.Name())
			}
			b.descend(c, v, inner, named, here, stack)
		}
	}
}

// descend walks into a nested struct unless its type is already being walked
// further up; a type that contains itself cannot hold encrypted fields,
// because their paths would never end.
func (b *builder) descend(c *Collection, via *types.Var, st *types.Struct, named *types.Named, at walkAt, stack []*types.Named) {
	if named != nil {
		for _, seen := range stack {
			if seen == named {
				if at.forbid == "" && hasQETags(st, map[*types.Struct]bool{}) {
					b.errs.add(b.fset.Position(via.Pos()), "field %s makes %s contain itself, so its encrypted fields would repeat at ever deeper paths: break the cycle or move the qe tags out of %s", via.Name(), named.Obj().Name(), named.Obj().Name())
				}
				return
			}
		}
		stack = append(stack, named)
	}
	b.walkStruct(c, st, at, stack)
}

func hasQETags(st *types.Struct, seen map[*types.Struct]bool) bool {
	if seen[st] {
		return false
	}
	seen[st] = true
	for i := 0; i < st.NumFields(); i++ {
		if _, ok := reflect.StructTag(st.Tag(i)).Lookup("qe"); ok {
			return true
		}
		t := st.Field(i).Type()
		inner, _ := structOf(t)
		if inner == nil {
			inner, _ = elemStructOf(t)
		}
		if inner != nil && hasQETags(inner, seen) {
			return true
		}
	}
	return false
}

// structOf returns the struct a field's value is stored as a document of,
// through pointers, or nil. Types the driver encodes itself (time.Time,
// bson.Decimal128, ...) are values, not documents.
func structOf(t types.Type) (*types.Struct, *types.Named) {
	for {
		t = types.Unalias(t)
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
			continue
		}
		break
	}
	named, _ := t.(*types.Named)
	if named != nil {
		if _, special := driverTypes[qualifiedName(named)]; special {
			return nil, nil
		}
	}
	st, _ := t.Underlying().(*types.Struct)
	if st == nil {
		return nil, nil
	}
	return st, named
}

// elemStructOf returns the struct stored in each element of a slice, array
// or map field, or nil.
func elemStructOf(t types.Type) (*types.Struct, *types.Named) {
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return elemStructOf(u.Elem())
	case *types.Slice:
		return structOf(u.Elem())
	case *types.Array:
		return structOf(u.Elem())
	case *types.Map:
		return structOf(u.Elem())
	}
	return nil, nil
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// parsePosition reads the "file:line:col" (or "file:line") form go/packages
// reports errors in; anything else is kept whole as the file name.
func parsePosition(s string) token.Position {
	rest, last, ok := cutNumber(s)
	if !ok {
		return token.Position{Filename: s}
	}
	if file, line, ok := cutNumber(rest); ok {
		return token.Position{Filename: file, Line: line, Column: last}
	}
	return token.Position{Filename: rest, Line: last}
}

// cutNumber splits "rest:N" into rest and N.
func cutNumber(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n < 0 {
		return s, 0, false
	}
	return s[:i], n, true
}

// where names a position inside a message briefly: file name and line.
func where(p token.Position) string {
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
