package qe

import (
	"fmt"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// serverOnlyKeys are top-level encryptedFields keys the server fills in.
var serverOnlyKeys = map[string]bool{"escCollection": true, "ecocCollection": true, "eccCollection": true}

// DiffEncryptedFields lists how the encryptedFields a collection has (got,
// from listCollections) differ from what the model wants, one line per
// difference, in a stable order; none means they agree. Numbers compare by
// value, since the server may store an int32 the model wrote as int64.
func DiffEncryptedFields(want, got bson.D) ([]string, error) {
	wantFields, err := normalizeFields(want)
	if err != nil {
		return nil, fmt.Errorf("qe: the model's encryptedFields: %w", err)
	}
	gotFields, err := normalizeFields(got)
	if err != nil {
		return nil, fmt.Errorf("qe: the collection's encryptedFields: %w", err)
	}
	var diffs []string
	for path, w := range wantFields {
		g, ok := gotFields[path]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: the model encrypts it, the collection does not", path))
			continue
		}
		for _, key := range unionKeys(w, g) {
			if key == "keyId" && w[key] == "null" {
				continue // the model does not know its key yet
			}
			if w[key] != g[key] {
				diffs = append(diffs, fmt.Sprintf("%s: %s is %s in the model, %s in the collection", path, key, orNone(w[key]), orNone(g[key])))
			}
		}
	}
	for path := range gotFields {
		if _, ok := wantFields[path]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: the collection encrypts it, the model does not", path))
		}
	}
	sort.Strings(diffs)
	return diffs, nil
}

// normalizeFields flattens encryptedFields into path -> setting -> value,
// where settings are "bsonType", "keyId", "queries[i].option" and, under
// the path "(collection)", the top-level keys.
func normalizeFields(ef bson.D) (map[string]map[string]string, error) {
	raw, err := bson.Marshal(ef)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	top := map[string]string{}
	elems, err := bson.Raw(raw).Elements()
	if err != nil {
		return nil, err
	}
	for _, e := range elems {
		switch {
		case e.Key() == "fields":
			values, err := e.Value().Array().Values()
			if err != nil {
				return nil, err
			}
			for _, v := range values {
				settings := map[string]string{}
				field := v.Document()
				path := field.Lookup("path").StringValue()
				flatten(settings, "", field)
				delete(settings, "path")
				out[path] = settings
			}
		case !serverOnlyKeys[e.Key()]:
			top[e.Key()] = valueText(e.Value())
		}
	}
	if len(top) > 0 {
		out["(collection)"] = top
	}
	return out, nil
}

// flatten writes doc's leaves into settings; a single "queries" document
// and a one-element array of it read the same.
func flatten(settings map[string]string, prefix string, doc bson.Raw) {
	elems, _ := doc.Elements()
	for _, e := range elems {
		key, v := prefix+e.Key(), e.Value()
		switch {
		case e.Key() == "queries" && v.Type == bson.TypeEmbeddedDocument:
			flatten(settings, key+"[0].", v.Document())
		case e.Key() == "queries" && v.Type == bson.TypeArray:
			values, _ := v.Array().Values()
			for i, q := range values {
				flatten(settings, fmt.Sprintf("%s[%d].", key, i), q.Document())
			}
		default:
			settings[key] = valueText(v)
		}
	}
}

// valueText renders a value so that equal numbers of different BSON
// number types read the same.
func valueText(v bson.RawValue) string {
	switch v.Type {
	case bson.TypeInt32:
		return fmt.Sprint(v.Int32())
	case bson.TypeInt64:
		return fmt.Sprint(v.Int64())
	case bson.TypeDouble:
		return fmt.Sprint(v.Double())
	case bson.TypeNull:
		return "null"
	}
	return v.String()
}

func unionKeys(a, b map[string]string) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func orNone(s string) string {
	if s == "" {
		return "absent"
	}
	return s
}

// mismatchError explains why an existing collection cannot be reused.
func mismatchError(database, name string, diffs []string) error {
	return fmt.Errorf("qe: collection %s.%s exists with other encryptedFields than the model:\n\t%s\n"+
		"Queryable Encryption settings cannot be changed in place: create a collection under a new name and copy the data "+
		"through an encrypting client, or, if the data may go, drop the collection (with enxcol_.%s.esc and enxcol_.%s.ecoc) and create it again",
		database, name, strings.Join(diffs, "\n\t"), name, name)
}
