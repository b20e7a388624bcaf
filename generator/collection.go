package generator

import (
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"github.com/qegen/qegen/schema"
)

// collectionBuilder builds one collection; what it needs to know about the
// collection being built lives here, not in the builder.
type collectionBuilder struct {
	b       *builder
	c       *Collection
	pkgPath string // the package the generated file belongs to
	hasID   bool   // a field is stored as _id
	tags    int64  // worst-case text search tags of one document
}

// collection builds the model of the collection r declares in package
// pkgPath, reporting every problem it finds.
func (b *builder) collection(r root, pkgPath string) *Collection {
	named := r.obj.Type().(*types.Named)
	c := &Collection{Name: r.name, GoName: r.obj.Name(), Type: named, Pos: b.position(r.obj.Pos()), Target: r.target, Names: namesFor(r.obj.Name())}
	cb := &collectionBuilder{b: b, c: c, pkgPath: pkgPath}
	b.reached[r.obj] = true
	errs := len(b.errs)
	if m := marshalerMethod(named); m != "" {
		b.errs.add(c.Pos, "%s has its own %s, so the driver does not store its fields as declared and qegen cannot know where they go: remove the method, or map the collection with a plain struct", c.GoName, m)
		return nil
	}
	cb.walkStruct(named.Underlying().(*types.Struct), walkAt{level: map[string]levelEntry{}}, []*types.Named{named})
	cb.implicitID()
	cb.checkNames()
	cb.shardKey(r.shardKey)
	if len(b.errs) > errs {
		return nil
	}
	cb.finish()
	return c
}

// shardKey reads //qegen:shardkey PATH[,PATH...], each path a field
// stored in clear, one of them at most ending in :hashed. The server
// refuses a shard key on, inside or above an encrypted field.
func (cb *collectionBuilder) shardKey(c *ast.Comment) {
	if c == nil {
		return
	}
	pos := cb.b.position(c.Pos())
	words := strings.Fields(c.Text)
	if len(words) != 2 {
		cb.b.errs.add(pos, "%s takes the fields of the shard key, comma-separated, e.g. %s region,patient_id or %s patient_id:hashed", shardKeyDirective, shardKeyDirective, shardKeyDirective)
		return
	}
	hashed := 0
	for _, part := range strings.Split(words[1], ",") {
		path, isHashed := strings.CutSuffix(part, ":hashed")
		if isHashed {
			hashed++
		}
		var found *Field
		for _, f := range cb.c.Fields {
			switch {
			case f.Path == path:
				found = f
			case f.Schema != nil && (strings.HasPrefix(path, f.Path+".") || strings.HasPrefix(f.Path, path+".")):
				cb.b.errs.add(pos, "%s: %s is inside or above encrypted %s, and the server refuses a shard key on encrypted fields", shardKeyDirective, path, f.Path)
				return
			}
		}
		switch {
		case found == nil && path == "_id" && cb.c.ImplicitID != "":
			// the ObjectID the driver assigns: stored in clear, one per document
		case found == nil:
			cb.b.errs.add(pos, "%s: %s is not a field %s stores: name a document path, e.g. patient_id", shardKeyDirective, strconv.Quote(path), cb.c.GoName)
			return
		case found.Schema != nil:
			cb.b.errs.add(pos, "%s: %s is encrypted, and the server refuses a shard key on encrypted fields: shard by a field stored in clear", shardKeyDirective, path)
			return
		case found.Filter == ArrayFilter || isArray(found.Declared):
			cb.b.errs.add(pos, "%s: %s is an array, and the server refuses arrays in a shard key: shard by a field with one value per document", shardKeyDirective, path)
			return
		}
	}
	if hashed > 1 {
		cb.b.errs.add(pos, "%s: a shard key has at most one hashed field", shardKeyDirective)
		return
	}
	cb.c.ShardKey = words[1]
}

// implicitID names the filter field for the _id of a model that declares
// none: the ObjectID the driver assigns on insert, which InsertOne
// returns and filters then need. It is ID unless a field takes that name.
func (cb *collectionBuilder) implicitID() {
	if cb.hasID {
		return
	}
	taken := map[string]bool{}
	for _, f := range cb.c.Fields {
		taken[f.GoName] = true
	}
	for _, name := range []string{"ID", "ObjectID", "DocumentID"} {
		if !taken[name] {
			cb.c.ImplicitID = name
			return
		}
	}
	cb.b.errs.add(cb.c.Pos, "%s declares no _id, and its fields take the names ID, ObjectID and DocumentID that %s would give the _id the driver assigns: declare the _id under another Go name, e.g. Key bson.ObjectID `bson:\"_id,omitempty\"`", cb.c.GoName, cb.c.Names.Fields)
}

// checkNames makes sure the names generated for the fields do not collide.
func (cb *collectionBuilder) checkNames() {
	byName := map[string]*Field{}
	for _, f := range cb.c.Fields {
		if f.Filter == "" {
			continue
		}
		if g, dup := byName[f.GoName]; dup {
			cb.b.errs.add(f.Pos, "fields %s and %s would both be %s.%s: rename one of them", strings.Join(g.GoPath, "."), strings.Join(f.GoPath, "."), cb.c.Names.Fields, f.GoName)
			continue
		}
		byName[f.GoName] = f
	}
}

// finish fills in what derives from the fields: the encryptedFields
// document, the releases that can hold the collection and guards.
func (cb *collectionBuilder) finish() {
	c := cb.c
	text := false
	for _, f := range c.Fields {
		if f.Schema == nil {
			continue
		}
		c.Schema.Fields = append(c.Schema.Fields, *f.Schema)
		guard := Guard{Selector: f.GoPath}
		guard.Type, _ = resolveType(f.Declared, cb.pkgPath)
		c.Guards = append(c.Guards, guard)
		for _, q := range f.Schema.Queries {
			c.MinServer = latest(c.MinServer, q.Kind().Since())
			text = text || q.Kind().IsText()
		}
	}
	c.MinServer = latest(c.MinServer, schema.Release70)
	if text {
		// libmongocrypt adds this when text fields exist and fails on a
		// mismatch; writing it keeps the server's copy identical.
		c.Schema.StrEncodeVersion = 1
		if c.Target.AtLeast(schema.Release90) {
			c.MinServer = schema.Release90
		} else {
			c.MaxServer = schema.Release90 // the preview names were removed in 9.0
		}
	}
}

func latest(a, b schema.Release) schema.Release {
	if a.AtLeast(b) {
		return a
	}
	return b
}

// isArray reports whether the driver stores t as a BSON array: a slice or
// array other than of bytes, through pointers.
func isArray(t types.Type) bool {
	for t != nil {
		switch u := t.Underlying().(type) {
		case *types.Pointer:
			t = u.Elem()
		case *types.Slice:
			return !isByte(u.Elem())
		case *types.Array:
			return !isByte(u.Elem())
		default:
			return false
		}
	}
	return false
}

func isByte(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
}
