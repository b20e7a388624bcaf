package generator

import (
	"bytes"
	"sort"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// EncryptedFields is the collection's encryptedFields document with every
// keyId null: the form the drivers' createEncryptedCollection fills in.
func (c *Collection) EncryptedFields() bson.D {
	fields := bson.A{}
	for _, f := range c.Fields {
		fields = append(fields, f.document())
	}
	return bson.D{{Key: "fields", Value: fields}}
}

func (f *Field) document() bson.D {
	doc := bson.D{
		{Key: "keyId", Value: nil},
		{Key: "path", Value: f.Path},
		{Key: "bsonType", Value: f.BSONType},
	}
	switch len(f.Queries) {
	case 0:
	case 1:
		doc = append(doc, bson.E{Key: "queries", Value: f.Queries[0].document()})
	default:
		queries := bson.A{}
		for _, q := range f.Queries {
			queries = append(queries, q.document())
		}
		doc = append(doc, bson.E{Key: "queries", Value: queries})
	}
	return doc
}

func (q Query) document() bson.D {
	return bson.D{
		{Key: "queryType", Value: q.Type},
		{Key: "contention", Value: q.Contention},
	}
}

// CanonicalJSON renders a document as indented canonical Extended JSON,
// with typed numbers such as {"$numberLong": "8"}.
func CanonicalJSON(doc any) ([]byte, error) {
	return bson.MarshalExtJSONIndent(doc, true, false, "", "  ")
}

// MapJSON renders the encryptedFields of every collection as one canonical
// Extended JSON object keyed by collection name, sorted by name.
func MapJSON(m *Model) ([]byte, error) {
	all := m.Collections()
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	doc := bson.D{}
	for _, c := range all {
		doc = append(doc, bson.E{Key: c.Name, Value: c.EncryptedFields()})
	}
	out, err := CanonicalJSON(doc)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(out, []byte("{}")) {
		return []byte("{}\n"), nil
	}
	return append(out, '\n'), nil
}
