package migrate

import (
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// idKey identifies an _id value in maps: its BSON type and bytes, so that
// 1 (int) and 1 (long) stay different, as they are different documents'
// bytes even where the server would match them.
func idKey(id bson.RawValue) string { return string(append([]byte{byte(id.Type)}, id.Value...)) }

// idText prints an _id for reports. _id is never encrypted, so this
// shows nothing that the collection does not store in clear.
func idText(id bson.RawValue) string {
	if id.Type == 0 {
		return "(no _id)"
	}
	return id.String()
}

var errNoID = errors.New("the document has no _id")

// docID returns the _id of a document read from a collection.
func docID(doc bson.Raw) (bson.RawValue, error) {
	id, err := doc.LookupErr("_id")
	if err != nil {
		return bson.RawValue{}, errNoID
	}
	return id, nil
}
