package offline

import (
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// replace applies one update statement whose u is a replacement document
// (ReplaceOne, what a checkpoint store sends): it replaces the first
// matched document, keeping its _id, or with upsert and no match inserts
// u, with the _id of a {_id: v} filter when u has none. It returns the _id
// of a document it inserted. Update operators and pipelines change
// nothing here: the deployment does not apply them.
func (d *Deployment) replace(ns string, stmt bson.D, matched []int) (any, error) {
	u, isDoc := lookup(stmt, "u").(bson.D)
	if !isDoc || len(u) > 0 && strings.HasPrefix(u[0].Key, "$") {
		return nil, nil
	}
	c := d.coll(ns)
	if len(matched) > 0 {
		old := c.docs[matched[0]]
		doc, err := withID(u, old.Lookup("_id"))
		if err != nil {
			return nil, err
		}
		c.docs[matched[0]] = doc
		return nil, nil
	}
	if upsert, _ := lookup(stmt, "upsert").(bool); !upsert {
		return nil, nil
	}
	var id bson.RawValue
	if q, _ := lookup(stmt, "q").(bson.D); len(q) == 1 && q[0].Key == "_id" {
		t, data, err := bson.MarshalValue(q[0].Value)
		if err != nil {
			return nil, err
		}
		id = bson.RawValue{Type: t, Value: data}
	}
	if id.Type == 0 {
		t, data, _ := bson.MarshalValue(bson.NewObjectID())
		id = bson.RawValue{Type: t, Value: data}
	}
	doc, err := withID(u, id)
	if err != nil {
		return nil, err
	}
	c.docs = append(c.docs, doc)
	return doc.Lookup("_id"), nil
}

// withID is doc with _id first: its own, or else id.
func withID(doc bson.D, id bson.RawValue) (bson.Raw, error) {
	out := bson.D{}
	for _, e := range doc {
		if e.Key == "_id" {
			out = append(bson.D{e}, out...)
			id = bson.RawValue{}
			continue
		}
		out = append(out, e)
	}
	if id.Type != 0 {
		out = append(bson.D{{Key: "_id", Value: id}}, out...)
	}
	return bson.Marshal(out)
}
