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
	text := false
	for _, f := range c.Fields {
		fields = append(fields, f.document())
		for _, q := range f.Queries {
			text = text || q.Text != nil
		}
	}
	doc := bson.D{{Key: "fields", Value: fields}}
	if text {
		// libmongocrypt adds this when text fields exist and fails on a
		// mismatch; writing it keeps the server's copy identical.
		doc = append(doc, bson.E{Key: "strEncodeVersion", Value: int32(1)})
	}
	return doc
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
	doc := bson.D{
		{Key: "queryType", Value: q.Type},
		{Key: "contention", Value: q.Contention},
	}
	if r := q.Range; r != nil {
		if r.Min != nil {
			doc = append(doc, bson.E{Key: "min", Value: r.Min}, bson.E{Key: "max", Value: r.Max})
		}
		doc = append(doc, bson.E{Key: "sparsity", Value: r.Sparsity}, bson.E{Key: "trimFactor", Value: r.TrimFactor})
		if r.Precision != nil {
			doc = append(doc, bson.E{Key: "precision", Value: *r.Precision})
		}
	}
	if t := q.Text; t != nil {
		doc = append(doc,
			bson.E{Key: "strMinQueryLength", Value: t.StrMinQueryLength},
			bson.E{Key: "strMaxQueryLength", Value: t.StrMaxQueryLength})
		if t.StrMaxLength != nil {
			doc = append(doc, bson.E{Key: "strMaxLength", Value: *t.StrMaxLength})
		}
		doc = append(doc,
			bson.E{Key: "caseSensitive", Value: t.CaseSensitive},
			bson.E{Key: "diacriticSensitive", Value: t.DiacriticSensitive})
	}
	return doc
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
