package qe

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"

	"github.com/qegen/qegen/schema"
)

// Explicit turns documents and filters of one collection into their
// encrypted form for explicit mode: a client with BypassQueryAnalysis does
// no query analysis, so every value of an encrypted path must be encrypted
// before it is sent. Whatever it cannot prove encrypted, it refuses.
type Explicit struct {
	enc    Encrypter
	spec   CollectionSpec
	fields map[string]*encryptedField // by path
	root   *pathNode                  // the same, as a tree of document keys
}

// encryptedField is one encrypted field with its encryption options worked
// out once, so that encrypting a value allocates nothing of its own.
type encryptedField struct {
	schema.Field
	kind    fieldKind // the filter field type that fits it
	insert  EncryptOptions
	queries map[schema.Kind]*EncryptOptions
}

// pathNode is one document key on the way to encrypted paths.
type pathNode struct {
	field    *encryptedField // set when the path ends here
	children map[string]*pathNode
}

// versioned is an Encrypter backed by a libmongocrypt of this version.
type versioned interface{ libmongocryptVersion() string }

// NewExplicit reads the collection's encryptedFields; keys are found by
// their alt names in database (see KeyAltName). With NewClientEncrypter it
// fails unless the linked libmongocrypt can encrypt every field.
func NewExplicit(enc Encrypter, database string, spec CollectionSpec) (*Explicit, error) {
	if spec.err != nil {
		return nil, spec.err
	}
	if v, ok := enc.(versioned); ok {
		if err := checkLibmongocrypt(v.libmongocryptVersion(), spec); err != nil {
			return nil, err
		}
	}
	x := &Explicit{enc: enc, spec: spec.Clone(), fields: map[string]*encryptedField{}, root: &pathNode{}}
	for _, f := range x.spec.EncryptedFields.Fields {
		info := &encryptedField{Field: f, kind: fieldKindOf(f), insert: insertOptions(KeyAltName(database, spec.Name, f.Path), f), queries: map[schema.Kind]*EncryptOptions{}}
		for _, q := range f.Queries {
			o := info.insert
			o.QueryType = q.Type
			info.queries[q.Kind()] = &o
		}
		x.fields[f.Path] = info
		node := x.root
		for _, key := range strings.Split(f.Path, ".") {
			if node.children == nil {
				node.children = map[string]*pathNode{}
			}
			next := node.children[key]
			if next == nil {
				next = &pathNode{}
				node.children[key] = next
			}
			node = next
		}
		node.field = info
	}
	return x, nil
}

// insertOptions are the options for storing a value of f.
func insertOptions(keyAltName string, f schema.Field) EncryptOptions {
	o := EncryptOptions{KeyAltName: keyAltName, Algorithm: f.Algorithm()}
	if len(f.Queries) == 0 {
		return o
	}
	q := f.Queries[0]
	o.Contention = q.Contention
	if q.Range != nil {
		r := *q.Range
		if r.Min.Type == 0 {
			// libmongocrypt's explicit path needs bounds; the type's whole
			// domain encodes exactly like none.
			r.Min, r.Max, _ = schema.FullDomain(f.BSONType)
		}
		o.Range = &r
	}
	if q.Text != nil {
		o.Text = q.Text
		for _, q := range f.Queries {
			o.TextKinds = append(o.TextKinds, q.Kind())
		}
	}
	return o
}

// Document marshals doc and encrypts the value of every encrypted path in
// it, with the algorithm and options of its field. The result is the
// marshaled document with those values replaced by their ciphertexts.
func (x *Explicit) Document(ctx context.Context, doc any) (bson.Raw, error) {
	raw, err := bson.Marshal(doc)
	if err != nil {
		return nil, withholdEncoding("encoding the document", err)
	}
	out, err := x.appendEncrypted(ctx, make([]byte, 0, len(raw)+len(x.fields)*64), raw, x.root, "")
	return bson.Raw(out), err
}

// appendEncrypted copies the document raw to dst, encrypting the values
// at the paths below node and copying everything else byte for byte.
func (x *Explicit) appendEncrypted(ctx context.Context, dst []byte, raw []byte, node *pathNode, at string) ([]byte, error) {
	start, dst := bsoncore.AppendDocumentStart(dst)
	elems := raw[4 : len(raw)-1]
	for len(elems) > 0 {
		elem, rest, ok := bsoncore.ReadElement(elems)
		if !ok {
			return nil, fmt.Errorf("qe: malformed BSON document")
		}
		elems = rest
		key := string(elem.KeyBytes())
		child := node.children[key]
		if child == nil {
			if strings.ContainsRune(key, '.') {
				if err := x.checkDottedKey(join(at, key)); err != nil {
					return nil, err
				}
			}
			dst = append(dst, elem...)
			continue
		}
		v := elem.Value()
		if child.field != nil {
			value := bson.RawValue{Type: bson.Type(v.Type), Value: v.Data}
			if err := child.field.check(value); err != nil {
				return nil, err
			}
			ct, err := x.enc.Encrypt(ctx, value, child.field.insert)
			if err != nil {
				return nil, withhold("encrypting "+child.field.Path, err)
			}
			dst = bsoncore.AppendHeader(dst, bsoncore.TypeBinary, key)
			dst = bsoncore.AppendBinary(dst, ct.Subtype, ct.Data)
			continue
		}
		switch v.Type {
		case bsoncore.TypeEmbeddedDocument:
			dst = bsoncore.AppendHeader(dst, bsoncore.TypeEmbeddedDocument, key)
			var err error
			if dst, err = x.appendEncrypted(ctx, dst, v.Data, child, join(at, key)); err != nil {
				return nil, err
			}
		case bsoncore.TypeArray:
			// The server cannot encrypt fields inside arrays, and a value
			// there would be stored in clear.
			return nil, fmt.Errorf("qe: %s is an array, and it holds encrypted paths (%s): the server cannot encrypt inside arrays", join(at, key), x.below(child))
		default:
			dst = append(dst, elem...) // no document here, so no encrypted value either
		}
	}
	return bsoncore.AppendDocumentEnd(dst, start)
}

// checkDottedKey refuses a key with dots that names an encrypted path or
// one around it: the value would bypass encryption.
func (x *Explicit) checkDottedKey(path string) error {
	if f, related := x.spec.lookup(path); f != nil || related != nil {
		return fmt.Errorf("qe: the document has a key %q with dots, which spells out an encrypted path: nest the value in documents instead", path)
	}
	return nil
}

// below names the encrypted paths under node.
func (x *Explicit) below(node *pathNode) string {
	var paths []string
	var walk func(*pathNode)
	walk = func(n *pathNode) {
		if n.field != nil {
			paths = append(paths, n.field.Path)
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(node)
	return strings.Join(sortedStrings(paths), ", ")
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// marshal encodes a value compared with f, checking that it can be
// encrypted for it.
func (f *encryptedField) marshal(v any) (bson.RawValue, error) {
	if v == nil {
		return bson.RawValue{}, fmt.Errorf("qe: a filter compares encrypted %s with nil, and null cannot be encrypted: compare with a value, or use Exists(false)", f.Path)
	}
	t, data, err := bson.MarshalValue(v)
	if err != nil {
		return bson.RawValue{}, withholdEncoding("encoding a value for encrypted "+f.Path, err)
	}
	value := bson.RawValue{Type: t, Value: data}
	return value, f.check(value)
}

// check refuses a value that libmongocrypt would refuse or, worse, that
// the server could not match: null, or a BSON type other than the field's.
func (f *encryptedField) check(v bson.RawValue) error {
	if v.Type == bson.TypeNull || v.Type == bson.TypeUndefined {
		return fmt.Errorf("qe: %s is null, and null cannot be encrypted: give it a value, or leave it out of the document (omitempty)", f.Path)
	}
	if want := f.BSONType.Type(); want != 0 && v.Type != want {
		return fmt.Errorf("qe: %s holds a BSON %s, and the collection encrypts it as %s: use a Go value of the field's type", f.Path, v.Type, f.BSONType)
	}
	return nil
}
