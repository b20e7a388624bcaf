package generator

import (
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"strings"
)

// walkAt is where in the document a struct is being read.
type walkAt struct {
	path   string   // document path of the struct, "" at the root
	goPath []string // Go selector to the struct
	goName string   // Go names along the document path, for generated names
	keys   []string // document keys along the path
	// forbid, when set, is why no field below may carry a qe tag.
	forbid string
	// level holds the keys of the document being written, shared with
	// the structs inlined into it, to find two fields stored at one key.
	level map[string]levelEntry
}

type levelEntry struct {
	goPath string
	pos    token.Position
}

// walkStruct reads the fields of st as the driver's struct codec stores
// them, adding the collection's fields and reporting every field qegen
// cannot be sure about.
func (cb *collectionBuilder) walkStruct(st *types.Struct, at walkAt, stack []*types.Named) {
	for i := 0; i < st.NumFields(); i++ {
		v := st.Field(i)
		pos := cb.b.position(v.Pos())
		name := strings.Join(append(append([]string(nil), at.goPath...), v.Name()), ".")
		qeText, hasQE, err := qeTag(st.Tag(i))
		if err != nil {
			cb.b.errs.add(pos, "field %s: %v", name, err)
			continue
		}
		if !v.Exported() {
			if hasQE {
				cb.b.errs.add(pos, "field %s is unexported, so the driver never stores it: export it or remove the qe tag", name)
			}
			continue
		}
		bt := parseBSONTag(v.Name(), reflect.StructTag(st.Tag(i)))
		if bt.Skip {
			if hasQE {
				cb.b.errs.add(pos, `field %s has bson:"-", so it is never stored: remove the qe tag or the "-"`, name)
			}
			continue
		}
		cb.b.noteUnseen(v, pos)
		goPath := append(append([]string(nil), at.goPath...), v.Name())
		inner, named := structOf(v.Type())
		if named != nil {
			if m := marshalerMethod(named); m != "" {
				cb.opaque(v, named, m, hasQE, pos)
				inner = nil // the driver calls the method, not the fields
			}
		}
		if bt.Inline {
			if hasQE {
				cb.b.errs.add(pos, "field %s is inline, so its fields are stored in the outer document and it cannot be encrypted whole: put qe tags on its fields, or drop \"inline\"", name)
			}
			if inner != nil {
				cb.descend(v, inner, named, walkAt{path: at.path, goPath: goPath, goName: at.goName, keys: at.keys, forbid: at.forbid, level: at.level}, stack)
			}
			continue
		}
		if !validText(bt.Key) {
			cb.b.errs.add(pos, "field %s is stored at the key %q, which has control characters or is not valid UTF-8: rename it in the bson tag", name, bt.Key)
			continue
		}
		if first, dup := at.level[bt.Key]; dup {
			cb.b.errs.add(pos, "field %s is stored at the key %q, like %s at %s: the driver keeps one of them, so rename one in its bson tag", name, bt.Key, first.goPath, first.pos)
			continue
		}
		at.level[bt.Key] = levelEntry{goPath: name, pos: pos}
		keys := append(append([]string(nil), at.keys...), bt.Key)
		here := walkAt{path: joinPath(at.path, bt.Key), goPath: goPath, goName: at.goName + v.Name(), keys: keys, forbid: at.forbid, level: map[string]levelEntry{}}
		if at.path == "" && bt.Key == "_id" {
			cb.hasID = true
		}
		switch {
		case hasQE && at.forbid != "":
			cb.b.errs.add(pos, "field %s cannot be encrypted: %s", name, at.forbid)
		case hasQE:
			cb.encryptedField(v, bt, qeText, here, pos)
			if inner != nil {
				here.forbid = fmt.Sprintf("it is inside %s, which is encrypted whole; remove this qe tag", here.path)
				cb.descend(v, inner, named, here, stack)
			}
		case inner != nil:
			cb.descend(v, inner, named, here, stack)
		default:
			if at.forbid == "" {
				cb.plainField(v, bt, here, pos)
			}
			if elem, elemNamed := elemStructOf(v.Type()); elem != nil {
				if here.forbid == "" {
					here.forbid = fmt.Sprintf("it is inside %s, a list or map of documents, and the server cannot encrypt fields there; encrypt the whole of %s instead", here.path, v.Name())
				}
				cb.descend(v, elem, elemNamed, here, stack)
			}
		}
	}
}

// opaque handles a field whose type encodes itself: the driver stores
// what its method returns, so qe tags inside the type cannot be honoured.
func (cb *collectionBuilder) opaque(v *types.Var, named *types.Named, method string, hasQE bool, pos token.Position) {
	cb.b.reached[named.Obj()] = true
	if !hasQE && hasQETags(named.Underlying().(*types.Struct), map[*types.Struct]bool{}) {
		cb.b.errs.add(pos, "field %s is of type %s, which has its own %s, so the driver does not store its fields as declared and the qe tags inside it cannot be honoured: put qe:\"encrypt\" on this field to encrypt it whole, or remove the method", v.Name(), named.Obj().Name(), method)
	}
}

// descend walks into a nested struct unless its type is already being walked
// further up; a type that contains itself cannot hold encrypted fields,
// because their paths would never end.
func (cb *collectionBuilder) descend(via *types.Var, st *types.Struct, named *types.Named, at walkAt, stack []*types.Named) {
	if named != nil {
		cb.b.reached[named.Obj()] = true
		for _, seen := range stack {
			if seen == named {
				if at.forbid == "" && hasQETags(st, map[*types.Struct]bool{}) {
					cb.b.errs.add(cb.b.position(via.Pos()), "field %s makes %s contain itself, so its encrypted fields would repeat at ever deeper paths: break the cycle or move the qe tags out of %s", via.Name(), named.Obj().Name(), named.Obj().Name())
				}
				return
			}
		}
		stack = append(stack, named)
	}
	cb.walkStruct(st, at, stack)
}

// hasQETags reports whether st, or a struct it stores, has a field whose
// tag mentions a qe key.
func hasQETags(st *types.Struct, seen map[*types.Struct]bool) bool {
	if seen[st] {
		return false
	}
	seen[st] = true
	for i := 0; i < st.NumFields(); i++ {
		if _, found, err := qeTag(st.Tag(i)); found || err != nil {
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
