package migrate

import (
	"bytes"
	"fmt"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

// diffKind says how a value at one path differs between two documents.
type diffKind int

const (
	missing        diffKind = iota // in want only
	added                          // in got only
	otherType                      // of another BSON type
	otherValue                     // of the same type, or numbers, and not equal
	numberType                     // the same number as another BSON number type
	stillEncrypted                 // ciphertext in got where want has a value
)

// pathDiff is one difference, by path and BSON types, never by value.
type pathDiff struct {
	path      string
	kind      diffKind
	want, got bson.Type
}

// sides names the two documents a diff compares, for messages.
type sides struct{ want, got string }

var (
	sourceAndModel  = sides{"the source", "the model"}
	modelAndTarget  = sides{"the source as the model stores it", "the target"}
	safeContentOnly = map[string]bool{"__safeContent__": true}
)

func (d pathDiff) describe(s sides) string {
	switch d.kind {
	case missing:
		return fmt.Sprintf("in %s, not in %s", s.want, s.got)
	case added:
		return fmt.Sprintf("not in %s, in %s", s.want, s.got)
	case otherType:
		return fmt.Sprintf("BSON %s in %s, %s in %s", d.want, s.want, d.got, s.got)
	case numberType:
		return fmt.Sprintf("the same number, BSON %s in %s, %s in %s", d.want, s.want, d.got, s.got)
	case stillEncrypted:
		return fmt.Sprintf("still encrypted in %s: read it through a client that decrypts", s.got)
	}
	return fmt.Sprintf("the values differ (BSON %s)", d.want)
}

// diffDocs lists the differences between documents want and got, leaving
// out the top-level keys in skip (the server's __safeContent__). Keys are
// compared as sets: a document whose keys only come in another order is
// the same document to a program reading it.
func diffDocs(want, got bson.Raw, skip map[string]bool) []pathDiff {
	var out []pathDiff
	diffDocument(&out, "", want, got, skip)
	return out
}

func diffDocument(out *[]pathDiff, at string, want, got bson.Raw, skip map[string]bool) {
	wantElems, _ := want.Elements()
	gotElems, _ := got.Elements()
	gotByKey := make(map[string]bson.RawValue, len(gotElems))
	for _, e := range gotElems {
		if _, dup := gotByKey[e.Key()]; !dup {
			gotByKey[e.Key()] = e.Value()
		}
	}
	seen := make(map[string]bool, len(wantElems))
	for _, e := range wantElems {
		key := e.Key()
		if skip[key] || seen[key] {
			continue
		}
		seen[key] = true
		g, ok := gotByKey[key]
		if !ok {
			*out = append(*out, pathDiff{path: join(at, key), kind: missing, want: e.Value().Type})
			continue
		}
		diffValue(out, join(at, key), e.Value(), g)
	}
	for _, e := range gotElems {
		key := e.Key()
		if skip[key] || seen[key] {
			continue
		}
		seen[key] = true
		*out = append(*out, pathDiff{path: join(at, key), kind: added, got: e.Value().Type})
	}
}

func diffValue(out *[]pathDiff, path string, want, got bson.RawValue) {
	if want.Type == got.Type && bytes.Equal(want.Value, got.Value) {
		return
	}
	if isCiphertext(got) && !isCiphertext(want) {
		*out = append(*out, pathDiff{path: path, kind: stillEncrypted, want: want.Type, got: got.Type})
		return
	}
	if x, ok := schema.Number(want); ok {
		if y, ok := schema.Number(got); ok {
			switch {
			case x.Cmp(y) != 0:
				*out = append(*out, pathDiff{path: path, kind: otherValue, want: want.Type, got: got.Type})
			case want.Type != got.Type:
				*out = append(*out, pathDiff{path: path, kind: numberType, want: want.Type, got: got.Type})
			}
			return
		}
	}
	switch {
	case want.Type != got.Type:
		*out = append(*out, pathDiff{path: path, kind: otherType, want: want.Type, got: got.Type})
	case want.Type == bson.TypeEmbeddedDocument:
		diffDocument(out, path, want.Document(), got.Document(), nil)
	case want.Type == bson.TypeArray:
		diffArray(out, path, want.Array(), got.Array())
	default:
		*out = append(*out, pathDiff{path: path, kind: otherValue, want: want.Type, got: got.Type})
	}
}

func diffArray(out *[]pathDiff, at string, want, got bson.RawArray) {
	w, _ := want.Values()
	g, _ := got.Values()
	for i := range max(len(w), len(g)) {
		path := join(at, strconv.Itoa(i))
		switch {
		case i >= len(g):
			*out = append(*out, pathDiff{path: path, kind: missing, want: w[i].Type})
		case i >= len(w):
			*out = append(*out, pathDiff{path: path, kind: added, got: g[i].Type})
		default:
			diffValue(out, path, w[i], g[i])
		}
	}
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// isCiphertext reports whether v is an encrypted value (binData subtype 6).
func isCiphertext(v bson.RawValue) bool {
	subtype, _, ok := v.BinaryOK()
	return ok && subtype == 6
}
