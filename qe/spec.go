package qe

import (
	"fmt"
	"strings"

	"github.com/qegen/qegen/qe/internal/generated"
	"github.com/qegen/qegen/schema"
)

// CollectionSpec is what generated code knows about one collection.
type CollectionSpec struct {
	Name string
	// EncryptedFields has every KeyID nil, as qegen generates it.
	EncryptedFields schema.EncryptedFields
	// MinServer is the oldest release that serves every query kind used;
	// MaxServer, when set, the first release that does not.
	MinServer, MaxServer schema.Release
	err                  error // the generated description could not be read
}

// Clone returns a copy that shares nothing with s, so that a caller that
// changes it cannot change what a repository encrypts.
func (s CollectionSpec) Clone() CollectionSpec {
	out := s
	out.EncryptedFields = s.EncryptedFields.Clone()
	return out
}

// Err is why the generated description of the collection could not be
// read, or nil.
func (s CollectionSpec) Err() error { return s.err }

// lookup returns the encrypted field at path, or else an encrypted field
// that path is inside of or above (related), or neither.
func (s CollectionSpec) lookup(path string) (field, related *schema.Field) {
	for i := range s.EncryptedFields.Fields {
		f := &s.EncryptedFields.Fields[i]
		switch {
		case f.Path == path:
			return f, nil
		case strings.HasPrefix(path, f.Path+"."), strings.HasPrefix(f.Path, path+"."):
			related = f
		}
	}
	return nil, related
}

// GeneratedSpec reads the description of a collection that generated code
// holds: its name, its encryptedFields as canonical Extended JSON, and the
// releases that can hold it ("" for none). Generated code calls it through
// qeimpl.Spec. A description it cannot read makes every use of the spec
// fail, saying why.
func GeneratedSpec(_ generated.Token, name, encryptedFieldsJSON, minServer, maxServer string) CollectionSpec {
	spec := CollectionSpec{Name: name}
	ef, err := schema.ParseJSON(encryptedFieldsJSON)
	if err == nil {
		spec.EncryptedFields = ef
		spec.MinServer, err = schema.ParseRelease(minServer)
	}
	if err == nil && maxServer != "" {
		spec.MaxServer, err = schema.ParseRelease(maxServer)
	}
	if err != nil {
		spec.err = fmt.Errorf("qe: the generated description of collection %s cannot be read (%v): run go generate with the qegen your go.mod requires", name, err)
	}
	return spec
}
