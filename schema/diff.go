package schema

import (
	"fmt"
	"sort"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Diff lists how the encryptedFields a collection has (got) differ from
// what the model wants, one line per difference, in a stable order; none
// means they agree. Numbers compare by value, so an int32 the server
// stored for an int64 is no difference, and a key the model does not know
// yet (nil) matches any.
func Diff(want, got EncryptedFields) []string {
	w, g := flatten(want), flatten(got)
	var diffs []string
	for path, ws := range w {
		gs, ok := g[path]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: the model encrypts it, the collection does not", path))
			continue
		}
		for _, key := range unionKeys(ws, gs) {
			if key == "keyId" && ws[key] == "null" {
				continue
			}
			if ws[key] != gs[key] {
				diffs = append(diffs, fmt.Sprintf("%s: %s is %s in the model, %s in the collection", path, key, orAbsent(ws[key]), orAbsent(gs[key])))
			}
		}
	}
	for path := range g {
		if _, ok := w[path]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: the collection encrypts it, the model does not", path))
		}
	}
	sort.Strings(diffs)
	return diffs
}

// flatten maps each path to its settings ("bsonType", "keyId",
// "queries[i].option"), and "(collection)" to the top-level ones.
func flatten(ef EncryptedFields) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, f := range ef.Fields {
		settings := map[string]string{}
		doc := f.document()
		for _, e := range doc {
			switch e.Key {
			case "path":
			case "queries":
				for i, q := range f.Queries {
					for _, o := range q.document() {
						settings[fmt.Sprintf("queries[%d].%s", i, o.Key)] = valueText(o.Value)
					}
				}
			default:
				settings[e.Key] = valueText(e.Value)
			}
		}
		out[f.Path] = settings
	}
	if ef.StrEncodeVersion != 0 {
		out["(collection)"] = map[string]string{"strEncodeVersion": fmt.Sprint(ef.StrEncodeVersion)}
	}
	return out
}

// valueText renders a value so that equal numbers of different BSON
// number types read the same.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case int32, int64:
		return fmt.Sprint(v)
	case string:
		return fmt.Sprintf("%q", v)
	case bson.RawValue:
		switch v.Type {
		case bson.TypeInt32:
			return fmt.Sprint(v.Int32())
		case bson.TypeInt64:
			return fmt.Sprint(v.Int64())
		case bson.TypeDouble:
			return fmt.Sprint(v.Double())
		}
		return v.String()
	}
	t, data, err := bson.MarshalValue(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return bson.RawValue{Type: t, Value: data}.String()
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

func orAbsent(s string) string {
	if s == "" {
		return "absent"
	}
	return s
}
