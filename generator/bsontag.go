package generator

import (
	"reflect"
	"strings"
)

// bsonTag is a struct field's bson tag, read exactly as the driver's default
// struct codec reads it (go.mongodb.org/mongo-driver/v2/bson parseStructTags).
type bsonTag struct {
	Key       string
	OmitEmpty bool
	MinSize   bool
	Inline    bool
	Skip      bool
}

func parseBSONTag(goName string, tag reflect.StructTag) bsonTag {
	key := strings.ToLower(goName)
	value, ok := tag.Lookup("bson")
	// The driver also accepts a bare tag with no "key:" pairs, e.g. `myname,omitempty`.
	if !ok && !strings.Contains(string(tag), ":") && len(tag) > 0 {
		value = string(tag)
	}
	if value == "-" {
		return bsonTag{Skip: true}
	}
	t := bsonTag{}
	for i, part := range strings.Split(value, ",") {
		if i == 0 && part != "" {
			key = part
		}
		switch part {
		case "omitempty":
			t.OmitEmpty = true
		case "minsize":
			t.MinSize = true
		case "inline":
			t.Inline = true
		}
	}
	t.Key = key
	return t
}
