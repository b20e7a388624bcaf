package generator

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/qegen/qegen/schema"
)

// root is a type declaration carrying //qegen:collection.
type root struct {
	name     string         // collection name from the directive
	target   schema.Release // of //qegen:server, or the run's
	shardKey *ast.Comment   // //qegen:shardkey, or nil
	obj      *types.TypeName
	pos      token.Position
}

const (
	directivePrefix     = "//qegen:"
	collectionDirective = "//qegen:collection"
	// serverDirective sets the target release of one collection, so that a
	// model that needs 8.2 says so beside itself.
	serverDirective = "//qegen:server"
	// shardKeyDirective names the fields a sharded cluster distributes
	// the collection by.
	shardKeyDirective = "//qegen:shardkey"
)

// findRoots returns the struct types of file marked as collections, and
// reports every qegen directive that is malformed, misplaced or nearly
// right (a space after //), since a directive qegen does not see leaves a
// collection's fields in clear.
func (b *builder) findRoots(info *types.Info, file *ast.File) []root {
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
			var collection, server, shardKey *ast.Comment
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
				case shardKeyDirective:
					shardKey = c
				default:
					b.errs.add(b.position(c.Pos()), "unknown directive %s: qegen knows %s NAME, %s X.Y and %s FIELD[,FIELD...]", strings.Fields(c.Text)[0], collectionDirective, serverDirective, shardKeyDirective)
				}
			}
			if collection == nil {
				for _, c := range []*ast.Comment{server, shardKey} {
					if c != nil {
						b.errs.add(b.position(c.Pos()), "%s goes with %s in the doc comment of a collection's struct: add one, or remove it", strings.Fields(c.Text)[0], collectionDirective)
					}
				}
				continue
			}
			if r, ok := b.parseDirective(info, ts, collection); ok {
				r.shardKey = shardKey
				if r.target, ok = b.parseServerDirective(server); ok {
					roots = append(roots, r)
				}
			}
		}
	}
	for _, group := range file.Comments {
		for _, c := range group.List {
			switch {
			case strings.HasPrefix(c.Text, directivePrefix) && !used[c]:
				b.errs.add(b.position(c.Pos()), "%s must be in the doc comment of a struct type declaration: move it to the line above `type X struct`", strings.Fields(c.Text)[0])
			case nearDirective(c.Text):
				b.errs.add(b.position(c.Pos()), "%q looks like a qegen directive, but qegen reads only //qegen: with no space or other text between // and qegen: write it as //qegen:%s", firstLine(c.Text), nearDirectiveRest(c.Text))
			}
		}
	}
	return roots
}

// nearDirective reports whether a comment that is not a directive looks
// like one: "// qegen:collection", "//  QEGEN:server", "/*qegen:...*/".
func nearDirective(text string) bool {
	if strings.HasPrefix(text, directivePrefix) {
		return false
	}
	rest := strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(text, "//"), "/*"), " \t")
	return strings.HasPrefix(strings.ToLower(rest), "qegen:")
}

func nearDirectiveRest(text string) string {
	rest := strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(text, "//"), "/*"), " \t")
	return strings.TrimSuffix(strings.TrimSpace(firstLine(rest[len("qegen:"):])), "*/")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// parseServerDirective reads //qegen:server X.Y; without one the run's
// target applies.
func (b *builder) parseServerDirective(c *ast.Comment) (schema.Release, bool) {
	if c == nil {
		return b.target, true
	}
	words := strings.Fields(c.Text)
	if len(words) != 2 {
		b.errs.add(b.position(c.Pos()), "%s takes one release, e.g. %s 8.2", serverDirective, serverDirective)
		return schema.Release{}, false
	}
	r, err := schema.ParseRelease(words[1])
	if err != nil {
		b.errs.add(b.position(c.Pos()), "%s: %v", serverDirective, err)
		return schema.Release{}, false
	}
	return r, true
}

func (b *builder) parseDirective(info *types.Info, ts *ast.TypeSpec, c *ast.Comment) (root, bool) {
	pos := b.position(c.Pos())
	words := strings.Fields(c.Text)
	if len(words) != 2 {
		b.errs.add(pos, "%s takes exactly one collection name, e.g. %s patients", collectionDirective, collectionDirective)
		return root{}, false
	}
	obj, _ := info.Defs[ts.Name].(*types.TypeName)
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
	return root{name: words[1], obj: obj, pos: pos}, true
}

// checkCollectionName applies the server's naming rules for collections.
func checkCollectionName(name string) string {
	switch {
	case strings.ContainsAny(name, "$\x00"):
		return fmt.Sprintf("collection name %q contains '$' or a NUL byte, which the server rejects: choose another name", name)
	case !validText(name):
		return fmt.Sprintf("collection name %q has control characters or is not valid UTF-8: choose another name", name)
	case strings.HasPrefix(name, "system."):
		return fmt.Sprintf("collection name %q is reserved for the server (system.*): choose another name", name)
	case strings.HasPrefix(name, "enxcol_."):
		return fmt.Sprintf("collection name %q is reserved for Queryable Encryption's metadata collections (enxcol_.*): choose another name", name)
	case strings.HasPrefix(name, ".") || strings.HasSuffix(name, "."):
		return fmt.Sprintf("collection name %q starts or ends with a dot: remove it", name)
	}
	return ""
}
