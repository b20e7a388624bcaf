package migrate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestDiffDocs(t *testing.T) {
	d128, _ := bson.ParseDecimal128("7.0")
	want := bson.D{
		{Key: "a", Value: int32(7)}, {Key: "b", Value: "x"}, {Key: "c", Value: bson.D{{Key: "d", Value: 1.5}, {Key: "e", Value: true}}},
		{Key: "f", Value: bson.A{"p", "q"}}, {Key: "g", Value: "gone"}, {Key: "h", Value: d128}, {Key: "__safeContent__", Value: bson.A{}},
	}
	got := bson.D{
		{Key: "c", Value: bson.D{{Key: "e", Value: true}, {Key: "d", Value: 2.5}}}, // other order, other value
		{Key: "b", Value: int32(1)},                // other type
		{Key: "a", Value: int64(7)},                // the same number
		{Key: "f", Value: bson.A{"p", "q", "r"}},   // one more element
		{Key: "h", Value: 7.0},                     // the same number
		{Key: "i", Value: bson.Binary{Subtype: 6}}, // only in got
	}
	var out []string
	for _, d := range diffDocs(mustRaw(t, want), mustRaw(t, got), safeContentOnly) {
		out = append(out, d.path+": "+d.describe(sides{"W", "G"}))
	}
	expect := []string{
		"a: the same number, BSON 32-bit integer in W, 64-bit integer in G",
		"b: BSON string in W, 32-bit integer in G",
		"c.d: the values differ (BSON double)",
		"f.2: not in W, in G",
		"g: in W, not in G",
		"h: the same number, BSON 128-bit decimal in W, double in G",
		"i: not in W, in G",
	}
	if diff := cmp.Diff(expect, out); diff != "" {
		t.Errorf("diffDocs (-want +got):\n%s", diff)
	}
	if d := diffDocs(mustRaw(t, want), mustRaw(t, want), nil); len(d) != 0 {
		t.Errorf("a document differs from itself: %v", d)
	}
}
