package generator

import (
	"errors"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// The BSON types the server accepts per use (mongo/crypto/encryption_fields_util.h).
var (
	neverEncryptable = map[string]bool{"null": true, "undefined": true, "minKey": true, "maxKey": true}
	equalityTypes    = map[string]bool{
		"binData": true, "javascript": true, "regex": true, "string": true, "int": true, "long": true,
		"bool": true, "timestamp": true, "date": true, "objectId": true, "symbol": true, "dbPointer": true,
	}
)

// optionKinds says which query kinds each tag option belongs to.
var optionKinds = map[string][]Kind{
	"contention":         {KindEquality, KindRange, KindPrefix, KindSuffix, KindSubstring},
	"min":                {KindRange},
	"max":                {KindRange},
	"sparsity":           {KindRange},
	"trimFactor":         {KindRange},
	"precision":          {KindRange},
	"strMinQueryLength":  {KindPrefix, KindSuffix, KindSubstring},
	"strMaxQueryLength":  {KindPrefix, KindSuffix, KindSubstring},
	"caseSensitive":      {KindPrefix, KindSuffix, KindSubstring},
	"diacriticSensitive": {KindPrefix, KindSuffix, KindSubstring},
	"strMaxLength":       {KindSubstring},
}

// field builds one encrypted field from its qe tag, or reports why it cannot
// be encrypted and returns nil.
func (b *builder) field(v *types.Var, bt bsonTag, qeText string, at walkAt, pos token.Position) *Field {
	name := strings.Join(at.goPath, ".")
	tag, err := ParseTag(qeText)
	if err != nil {
		b.errs.add(pos, "field %s: %v", name, err)
		return nil
	}
	typeName := types.TypeString(v.Type(), shortQualifier)
	typ, err := bsonTypeOf(v.Type(), bt.MinSize)
	if errors.Is(err, errInvalidType) {
		return nil // the type checker's error is reported already
	}
	if err != nil {
		b.errs.add(pos, "field %s (%s) cannot be encrypted: %v", name, typeName, err)
		return nil
	}
	if neverEncryptable[typ.Name] {
		b.errs.add(pos, "field %s (%s) is stored as BSON %s, which the server never encrypts: remove the qe tag", name, typeName, typ.Name)
		return nil
	}
	if typ.Nillable && !bt.OmitEmpty {
		b.errs.add(pos, `field %s (%s): a nil value is stored as null, and null cannot be encrypted: add omitempty to its bson tag (bson:"%s,omitempty")`, name, typeName, bt.Key)
		return nil
	}
	if !b.checkKeys(at, name, pos) {
		return nil
	}
	queries, ok := b.queries(tag, typ.Name, name, typeName, pos)
	if !ok {
		return nil
	}
	valueType := derefPointer(v.Type())
	if len(queries) > 0 {
		if hidden := unexportedIn(valueType, b.pkgPath); hidden != nil {
			b.errs.add(pos, "field %s: its type uses %s, which is not exported from %s, so the generated query functions cannot take it: export the type", name, hidden.Name(), hidden.Pkg().Path())
			return nil
		}
	}
	return &Field{
		Encrypted: true,
		Path:      at.path,
		GoPath:    at.goPath,
		GoName:    at.goName,
		Type:      v.Type(),
		ValueType: valueType,
		BSONType:  typ.Name,
		Queries:   queries,
		Pos:       pos,
	}
}

// plainField describes a field stored unencrypted. Its BSON type is empty
// when the driver picks it per value (int, interfaces), which is fine for
// data that is not encrypted.
func plainField(v *types.Var, bt bsonTag, at walkAt, pos token.Position) *Field {
	typ, _ := bsonTypeOf(v.Type(), bt.MinSize)
	return &Field{
		Path:      at.path,
		GoPath:    at.goPath,
		GoName:    at.goName,
		Type:      v.Type(),
		ValueType: derefPointer(v.Type()),
		BSONType:  typ.Name,
		Pos:       pos,
	}
}

func derefPointer(t types.Type) types.Type {
	if p, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
		return p.Elem()
	}
	return t
}

// checkKeys applies the path rules that concern single document keys.
func (b *builder) checkKeys(at walkAt, name string, pos token.Position) bool {
	for _, key := range at.keys {
		var problem string
		switch {
		case key == "":
			problem = "is empty"
		case strings.Contains(key, "."):
			problem = "contains a dot, which the server reads as a path separator"
		case strings.HasPrefix(key, "$"):
			problem = "starts with '$', which the server reads as an operator"
		case key == "__safeContent__":
			problem = "is __safeContent__, which the server reserves for encryption tags"
		}
		if problem != "" {
			b.errs.add(pos, "field %s cannot be encrypted: key %q of its path %s %s: rename it in the bson tag", name, key, at.path, problem)
			return false
		}
	}
	if at.keys[0] == "_id" {
		b.errs.add(pos, "field %s cannot be encrypted: the server does not allow encrypting _id or fields inside it: remove the qe tag", name)
		return false
	}
	return true
}

// queries turns a tag's kinds and options into encryptedFields queries,
// checking them against the field's BSON type and the target server.
func (b *builder) queries(tag *Tag, bsonType, name, typeName string, pos token.Position) ([]Query, bool) {
	ok := true
	fail := func(format string, args ...any) {
		b.errs.add(pos, "field %s: "+format, append([]any{name}, args...)...)
		ok = false
	}
	if tag.Has(KindEncrypt) {
		for _, o := range tag.Options {
			fail("option %s applies to queryable fields, and encrypt is not queryable: remove it", o.Name)
		}
		return nil, ok
	}
	for _, o := range tag.Options {
		if !appliesToAny(o.Name, tag.Kinds) {
			fail("option %s applies to %s queries, not to %s: remove it", o.Name, kindNames(optionKinds[o.Name]), kindNames(tag.Kinds))
		}
	}
	if len(tag.Kinds) > 1 && !(len(tag.Kinds) == 2 && tag.Has(KindPrefix) && tag.Has(KindSuffix)) {
		fail("the server allows two query kinds on one field only as prefix with suffix, not %s: keep one", kindNames(tag.Kinds))
		return nil, false
	}
	contention := int64(DefaultContention)
	if o := tag.Option("contention"); o != nil {
		if o.Int < 0 {
			fail("contention=%d: the server needs 0 or more", o.Int)
		}
		contention = o.Int
	}
	for _, k := range tag.Kinds {
		if need := minServerFor(k); !b.server.AtLeast(need) {
			extra := ""
			if k == KindRange {
				extra = " (7.0 had only rangePreview, which libmongocrypt 1.11 and later refuse)"
			}
			fail("%s queries need MongoDB %s or later%s, and the target is %s: run qegen -server %s, or use equality", k, need, extra, b.server, need)
			return nil, false
		}
	}

	var queries []Query
	var text *TextOptions // shared by prefix and suffix on one field
	textDone := false
	for _, k := range tag.Kinds {
		q := Query{Kind: k, Type: queryTypeName(k, b.server), Contention: contention}
		switch k {
		case KindEquality:
			if !equalityTypes[bsonType] {
				fail("equality queries need one of the BSON types %s, but %s is stored as %s: use qe:\"encrypt\" to store it without queries, or change its Go type", sortedKeys(equalityTypes), typeName, bsonType)
			}
		case KindRange:
			q.Range = b.rangeOptions(tag, bsonType, typeName, fail)
		default:
			if !textDone {
				text, textDone = b.textOptions(tag, bsonType, typeName, fail), true
			}
			q.Text = text
		}
		queries = append(queries, q)
	}
	return queries, ok
}

// serverRange is the releases a collection can be created on.
func (b *builder) serverRange(c *Collection) (Server, *Server) {
	lowest, text := Server70, false
	for _, f := range c.Fields {
		for _, q := range f.Queries {
			if need := minServerFor(q.Kind); need.AtLeast(lowest) {
				lowest = need
			}
			text = text || q.Text != nil
		}
	}
	if text && !b.server.AtLeast(Server90) {
		// The preview names were removed in 9.0.
		return lowest, &Server90
	}
	if text {
		lowest = Server90
	}
	return lowest, nil
}

// checkPaths applies the server's rules across a collection's encrypted
// paths (no duplicates), and makes sure generated names do not collide.
func (b *builder) checkPaths(c *Collection) {
	// A path inside another encrypted path is already refused while
	// walking (the outer field is encrypted whole), so only equal paths,
	// from inlined structs, are left to find here.
	for i, f := range c.Fields {
		for _, g := range c.Fields[:i] {
			if f.Path == g.Path {
				b.errs.add(f.Pos, "field %s is stored at %s, like %s at %s: the server needs each encrypted path once; rename one in its bson tag", strings.Join(f.GoPath, "."), f.Path, strings.Join(g.GoPath, "."), where(g.Pos))
			}
		}
	}
	methods := map[string]*Field{}
	for _, name := range RepositoryMethods {
		methods[name] = nil
	}
	fields := map[string]*Field{}
	for _, f := range c.All {
		if g, dup := fields[f.GoName]; dup && g.Path != f.Path {
			b.errs.add(f.Pos, "fields %s and %s would both be %s.%s: rename one of them", strings.Join(g.GoPath, "."), strings.Join(f.GoPath, "."), c.Names().Where, f.GoName)
			continue
		}
		fields[f.GoName] = f
		for _, name := range f.FinderNames() {
			if g, dup := methods[name]; dup {
				other := "a method every repository has"
				if g != nil {
					other = "the one generated for " + strings.Join(g.GoPath, ".")
				}
				b.errs.add(f.Pos, "field %s would get a query function %s, which clashes with %s: rename the field", strings.Join(f.GoPath, "."), name, other)
				break
			}
			methods[name] = f
		}
	}
}

func appliesToAny(option string, kinds []Kind) bool {
	for _, want := range optionKinds[option] {
		for _, k := range kinds {
			if k == want {
				return true
			}
		}
	}
	return false
}

func kindNames(kinds []Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, "/")
}

func sortedKeys(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func shortQualifier(p *types.Package) string { return p.Name() }

// unexportedIn returns a type name inside t that code in package pkgPath
// cannot refer to, or nil.
func unexportedIn(t types.Type, pkgPath string) *types.TypeName {
	switch t := t.(type) {
	case *types.Named:
		if obj := t.Obj(); obj.Pkg() != nil && obj.Pkg().Path() != pkgPath && !obj.Exported() {
			return obj
		}
		for i := range t.TypeArgs().Len() {
			if obj := unexportedIn(t.TypeArgs().At(i), pkgPath); obj != nil {
				return obj
			}
		}
	case *types.Alias:
		if obj := t.Obj(); obj.Pkg() != nil && obj.Pkg().Path() != pkgPath && !obj.Exported() {
			return obj
		}
	case *types.Pointer:
		return unexportedIn(t.Elem(), pkgPath)
	case *types.Slice:
		return unexportedIn(t.Elem(), pkgPath)
	case *types.Array:
		return unexportedIn(t.Elem(), pkgPath)
	}
	return nil
}
