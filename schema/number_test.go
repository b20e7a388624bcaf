package schema

import (
	"math"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func rawValue(t *testing.T, v any) bson.RawValue {
	t.Helper()
	typ, data, err := bson.MarshalValue(v)
	if err != nil {
		t.Fatal(err)
	}
	return bson.RawValue{Type: typ, Value: data}
}

// TestNumberAcrossTypes: the server compares numbers by value whatever
// their BSON type; so must range checks and the offline deployment.
func TestNumberAcrossTypes(t *testing.T) {
	d, err := bson.ParseDecimal128("2.50")
	if err != nil {
		t.Fatal(err)
	}
	half, ok := Number(rawValue(t, 2.5))
	if !ok {
		t.Fatal("2.5 is not a number")
	}
	if got, ok := Number(rawValue(t, d)); !ok || got.Cmp(half) != 0 {
		t.Errorf("decimal 2.50 = %v, %v; want 5/2", got, ok)
	}
	two, _ := Number(rawValue(t, int32(2)))
	if long, _ := Number(rawValue(t, int64(2))); two.Cmp(long) != 0 || two.Cmp(half) >= 0 {
		t.Errorf("int 2 = %v, long 2 = %v, want equal and below 2.5", two, long)
	}
	for _, v := range []any{math.NaN(), math.Inf(1), "2", bson.NewDecimal128(0x7C00000000000000, 0)} {
		if r, ok := Number(rawValue(t, v)); ok {
			t.Errorf("Number(%v) = %v, want not a finite number", v, r)
		}
	}
}
