package migrate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// UnfitError says why a source document does not fit the model: by _id
// and path, never by value.
type UnfitError struct {
	ID       string // the document's _id, as Extended JSON
	Problems []Problem
}

func (e *UnfitError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return fmt.Sprintf("qe/migrate: the source document with _id %s does not fit the model: %s", e.ID, strings.Join(parts, "; "))
}

// prepared is a source document ready to insert.
type prepared[T any] struct {
	id      bson.RawValue
	doc     *T
	stored  bson.Raw   // doc as the driver encodes it: what gets encrypted and stored
	changes []pathDiff // what the default conversion changes and accepts
}

// Prepare converts one source document into the model and checks that
// the target can store it as its encryptedFields say; the error is an
// *UnfitError. Run, DryRun and Verify do this for every document.
func (m *Migration[T]) Prepare(source bson.Raw) (*T, error) {
	p, err := m.prepare(source)
	return p.doc, err
}

func (m *Migration[T]) prepare(src bson.Raw) (prepared[T], error) {
	id, err := docID(src)
	if err != nil {
		return prepared[T]{}, &UnfitError{ID: idText(id), Problems: []Problem{{"_id", "missing"}}}
	}
	unfit := func(problems ...Problem) (prepared[T], error) {
		return prepared[T]{}, &UnfitError{ID: idText(id), Problems: problems}
	}
	if paths := ciphertextPaths(src, ""); len(paths) > 0 {
		var out []Problem
		for _, p := range paths {
			out = append(out, Problem{p, "still encrypted: read the source through a client that decrypts it (see NewCollectionSource)"})
		}
		return unfit(out...)
	}
	fields := m.Spec.EncryptedFields.Fields
	if problems := sourceProblems(src, fields); len(problems) > 0 {
		return unfit(problems...)
	}
	doc, err := m.convert(src)
	if err != nil {
		return unfit(m.convertProblem(src, err))
	}
	raw, err := bson.Marshal(doc)
	if err != nil {
		return unfit(Problem{"", "the model does not encode: " + err.Error()})
	}
	stored := bson.Raw(raw)
	if problem, ok := keepsID(id, stored.Lookup("_id")); !ok {
		return unfit(problem)
	}
	if problems := encryptProblems(stored, fields); len(problems) > 0 {
		return unfit(problems...)
	}
	p := prepared[T]{id: id, doc: doc, stored: stored}
	if m.Convert != nil {
		return p, nil
	}
	var problems []Problem
	for _, d := range diffDocs(src, stored, safeContentOnly) {
		if d.kind == numberType || d.kind == added {
			p.changes = append(p.changes, d)
			continue
		}
		problems = append(problems, Problem{d.path, d.describe(sourceAndModel) + ": the model cannot hold it as it is (give the Migration a Convert to decide)"})
	}
	if len(problems) > 0 {
		return unfit(problems...)
	}
	return p, nil
}

func (m *Migration[T]) convert(src bson.Raw) (*T, error) {
	if m.Convert != nil {
		doc, err := m.Convert(src)
		if err == nil && doc == nil {
			err = errors.New("the Convert function returned no document")
		}
		return doc, err
	}
	doc := new(T)
	return doc, bson.Unmarshal(src, doc)
}

// convertProblem explains a failed conversion. The driver's decoding
// messages can quote the value (`300 overflows int8`), so only their
// path and the source's BSON type are kept; Convert's own errors are the
// caller's and kept whole.
func (m *Migration[T]) convertProblem(src bson.Raw, err error) Problem {
	if m.Convert != nil {
		return Problem{"", "Convert: " + err.Error()}
	}
	const hidden = " (the driver's message is not shown: it can quote the value)"
	var de *bson.DecodeError
	if !errors.As(err, &de) {
		return Problem{"", "does not decode into the model" + hidden}
	}
	path := strings.Join(de.Keys(), ".")
	if v := lookupAny(src, de.Keys()); v.Type != 0 {
		return Problem{path, fmt.Sprintf("BSON %s does not decode into the model's field", v.Type) + hidden}
	}
	return Problem{path, "does not decode into the model's field" + hidden}
}

// lookupAny follows keys through documents and arrays.
func lookupAny(doc bson.Raw, keys []string) bson.RawValue {
	v := bson.RawValue{Type: bson.TypeEmbeddedDocument, Value: doc}
	for _, key := range keys {
		switch v.Type {
		case bson.TypeEmbeddedDocument:
			v = v.Document().Lookup(key)
		case bson.TypeArray:
			i, err := strconv.Atoi(key)
			values, _ := v.Array().Values()
			if err != nil || i < 0 || i >= len(values) {
				return bson.RawValue{}
			}
			v = values[i]
		default:
			return bson.RawValue{}
		}
	}
	return v
}

// keepsID checks that the model stores the source's _id, which is how a
// resumed run knows what is copied, and how verification finds it.
func keepsID(source, stored bson.RawValue) (Problem, bool) {
	switch {
	case stored.Type == 0:
		return Problem{"_id", fmt.Sprintf("the model stores no _id, so the driver would make a new one: give the model an _id field (bson:\"_id\") that holds BSON %s", source.Type)}, false
	case !stored.Equal(source):
		return Problem{"_id", fmt.Sprintf("the model stores it as %s, not as the source's %s", idText(stored), idText(source))}, false
	}
	return Problem{}, true
}

// ciphertextPaths lists the paths of doc that hold ciphertext.
func ciphertextPaths(doc bson.Raw, at string) []string {
	var out []string
	elems, _ := doc.Elements()
	for _, e := range elems {
		path, v := join(at, e.Key()), e.Value()
		switch {
		case isCiphertext(v):
			out = append(out, path)
		case v.Type == bson.TypeEmbeddedDocument:
			out = append(out, ciphertextPaths(v.Document(), path)...)
		case v.Type == bson.TypeArray:
			out = append(out, ciphertextPaths(bson.Raw(v.Array()), path)...)
		}
	}
	return out
}
