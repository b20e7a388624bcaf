package schema

import (
	"math/big"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Number reads a finite number of any BSON number type (int, long,
// double, decimal) exactly, as the server compares numbers across types,
// for checks against range bounds and comparisons of stored values. ok is
// false for any other type, NaN and infinities.
func Number(v bson.RawValue) (r *big.Rat, ok bool) {
	switch v.Type {
	case bson.TypeInt32:
		return new(big.Rat).SetInt64(int64(v.Int32())), true
	case bson.TypeInt64:
		return new(big.Rat).SetInt64(v.Int64()), true
	case bson.TypeDouble:
		r := new(big.Rat).SetFloat64(v.Double()) // nil for NaN and infinities
		return r, r != nil
	case bson.TypeDecimal128:
		return ExactDecimal(v.Decimal128())
	}
	return nil, false
}

// ExactDecimal is d exactly; ok is false for NaN and infinities.
func ExactDecimal(d bson.Decimal128) (r *big.Rat, ok bool) {
	i, exp, err := d.BigInt()
	if err != nil {
		return nil, false
	}
	r = new(big.Rat).SetInt(i)
	n := exp
	if n < 0 {
		n = -n
	}
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil))
	if exp < 0 {
		return r.Quo(r, scale), true
	}
	return r.Mul(r, scale), true
}
