package offline

import (
	"bytes"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

// compare orders two plain values the way the server does within one
// type bracket: numbers (int, long, double, decimal), strings, objectIds,
// dates and booleans. ok is false for values of different brackets, which
// a server comparison never matches, and for anything else: a server
// would order those too, but tests do not need it.
func compare(a, b bson.RawValue) (c int, ok bool) {
	if x, isNum := schema.Number(a); isNum {
		y, isNum := schema.Number(b)
		if !isNum {
			return 0, false
		}
		return x.Cmp(y), true
	}
	if a.Type != b.Type {
		return 0, false
	}
	switch a.Type {
	case bson.TypeString:
		return strings.Compare(a.StringValue(), b.StringValue()), true
	case bson.TypeObjectID, bson.TypeBoolean:
		return bytes.Compare(a.Value, b.Value), true
	case bson.TypeDateTime:
		return cmpInt(a.DateTime(), b.DateTime()), true
	}
	return 0, false
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareOp evaluates $gt, $gte, $lt or $lte on plain values.
func compareOp(op string, have, want bson.RawValue) bool {
	c, ok := compare(have, want)
	if !ok {
		return false
	}
	switch op {
	case "$gt":
		return c > 0
	case "$gte":
		return c >= 0
	case "$lt":
		return c < 0
	}
	return c <= 0 // $lte
}

// sortByKeys orders docs as find's sort does, key by key, when the
// values of each key are of one bracket; a missing value sorts first, as
// the server's null does. It refuses to guess otherwise.
func sortByKeys(docs []bson.Raw, keys bson.D) bool {
	comparable := true
	sort.SliceStable(docs, func(i, j int) bool {
		for _, k := range keys {
			a, errA := docs[i].LookupErr(k.Key)
			b, errB := docs[j].LookupErr(k.Key)
			var c int
			switch {
			case errA != nil && errB != nil:
				continue
			case errA != nil:
				c = -1
			case errB != nil:
				c = 1
			default:
				var ok bool
				if c, ok = compare(a, b); !ok {
					comparable = false
					return false
				}
			}
			if direction, _ := asInt(k.Value); direction < 0 {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	return comparable
}
