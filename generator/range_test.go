package generator

import (
	"math/big"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

func TestCeilLog2(t *testing.T) {
	for n, want := range map[int64]int{1: 0, 2: 1, 3: 2, 4: 2, 5: 3, 465: 9, 512: 9, 513: 10} {
		if got := ceilLog2(big.NewInt(n)); got != want {
			t.Errorf("ceilLog2(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestDomainBits checks the bit widths that bound trimFactor, worked out
// by hand from libmongocrypt's formulas.
func TestDomainBits(t *testing.T) {
	p1, p2 := &TagOption{Name: "precision", Int: 1}, &TagOption{Name: "precision", Int: 2}
	rat := func(s string) *big.Rat { r, _ := new(big.Rat).SetString(s); return r }
	double := func(f float64) bson.RawValue {
		t, v, _ := bson.MarshalValue(f)
		return bson.RawValue{Type: t, Value: v}
	}
	tests := []struct {
		name     string
		bsonType schema.BSONType
		opts     *schema.RangeOptions
		lo, hi   *big.Rat
		prec     *TagOption
		want     int
	}{
		{"int 0..150", schema.Int, &schema.RangeOptions{}, rat("0"), rat("150"), nil, 8},
		{"long -10..10", schema.Long, &schema.RangeOptions{}, rat("-10"), rat("10"), nil, 5},
		{"int unbounded", schema.Int, &schema.RangeOptions{}, nil, nil, nil, 32},
		{"date unbounded", schema.Date, &schema.RangeOptions{}, nil, nil, nil, 64},
		{"double unbounded", schema.Double, &schema.RangeOptions{}, nil, nil, nil, 64},
		{"decimal unbounded", schema.Decimal, &schema.RangeOptions{}, nil, nil, nil, 128},
		// (45.5-0)*10 + 10 = 465 values: 9 bits.
		{"double 0..45.5 p1", schema.Double, &schema.RangeOptions{Min: double(0), Max: double(45.5)}, rat("0"), rat("45.5"), p1, 9},
		// 100000.00*100 + 100 = 10000100 values: 24 bits.
		{"decimal 0..100000 p2", schema.Decimal, &schema.RangeOptions{}, rat("0"), rat("100000"), p2, 24},
	}
	for _, tt := range tests {
		got, err := domainBits(tt.bsonType, tt.opts, tt.lo, tt.hi, tt.prec)
		if err != nil || got != tt.want {
			t.Errorf("%s: domainBits = %d, %v; want %d", tt.name, got, err, tt.want)
		}
	}
}
