package qe

import (
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

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
	// ShardKey, when set, is the key CreateCollection shards the new
	// collection by on a sharded cluster.
	ShardKey []ShardKeyField
	err      error // the generated description could not be read
}

// ShardKeyField is one field of a shard key: a path stored in clear,
// ranged or hashed.
type ShardKeyField struct {
	Path   string
	Hashed bool
}

// Clone returns a copy that shares nothing with s, so that a caller that
// changes it cannot change what a repository encrypts.
func (s CollectionSpec) Clone() CollectionSpec {
	out := s
	out.EncryptedFields = s.EncryptedFields.Clone()
	out.ShardKey = append([]ShardKeyField(nil), s.ShardKey...)
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
		case isBelow(path, f.Path), isBelow(f.Path, path):
			related = f
		}
	}
	return nil, related
}

// isBelow reports whether path is inside the document at parent.
func isBelow(path, parent string) bool {
	return len(path) > len(parent) && path[len(parent)] == '.' && strings.HasPrefix(path, parent)
}

// GeneratedSpec reads the description of a collection that generated code
// holds: its name, its encryptedFields as canonical Extended JSON, the
// releases that can hold it ("" for none), and its shard key, e.g.
// "region,patient_id" or "patient_id:hashed" ("" for none). Generated code
// calls it through qeimpl.Spec. A description it cannot read makes every
// use of the spec fail, saying why.
func GeneratedSpec(_ generated.Token, name, encryptedFieldsJSON, minServer, maxServer, shardKey string) CollectionSpec {
	spec := CollectionSpec{Name: name}
	ef, err := schema.ParseJSON(encryptedFieldsJSON)
	if err == nil {
		spec.EncryptedFields = ef
		spec.MinServer, err = schema.ParseRelease(minServer)
	}
	if err == nil && maxServer != "" {
		spec.MaxServer, err = schema.ParseRelease(maxServer)
	}
	if err == nil && shardKey != "" {
		for _, part := range strings.Split(shardKey, ",") {
			path, hashed := strings.CutSuffix(part, ":hashed")
			spec.ShardKey = append(spec.ShardKey, ShardKeyField{Path: path, Hashed: hashed})
		}
		err = spec.checkShardKey()
	}
	if err != nil {
		spec.err = fmt.Errorf("qe: the generated description of collection %s cannot be read (%v): run go generate with the qegen your go.mod requires", name, err)
	}
	return spec
}

// checkShardKey refuses a shard key on an encrypted path, or one inside
// or above one: the server refuses it, and it would store values in clear
// in the cluster's metadata.
func (s CollectionSpec) checkShardKey() error {
	for _, k := range s.ShardKey {
		f, related := s.lookup(k.Path)
		if f == nil {
			f = related
		}
		if f != nil {
			return fmt.Errorf("the shard key %s is, or is inside or above, encrypted %s", k.Path, f.Path)
		}
	}
	return nil
}

// shardKeyDocument is the key of shardCollection.
func (s CollectionSpec) shardKeyDocument() bson.D {
	key := make(bson.D, len(s.ShardKey))
	for i, k := range s.ShardKey {
		key[i] = bson.E{Key: k.Path, Value: 1}
		if k.Hashed {
			key[i].Value = "hashed"
		}
	}
	return key
}
