package generator

import (
	"bytes"
	"sort"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// MapJSON renders the encryptedFields of every collection as one canonical
// Extended JSON object keyed by collection name, sorted by name.
func MapJSON(m *Model) ([]byte, error) {
	all := m.Collections()
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	doc := bson.D{}
	for _, c := range all {
		doc = append(doc, bson.E{Key: c.Name, Value: c.Schema.Document()})
	}
	out, err := bson.MarshalExtJSONIndent(doc, true, false, "", "  ")
	if err != nil {
		return nil, err
	}
	if bytes.Equal(out, []byte("{}")) {
		return []byte("{}\n"), nil
	}
	return append(out, '\n'), nil
}
