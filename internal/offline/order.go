package offline

import (
	"bytes"
	"math/big"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// compare orders two plain values the way the server does within one
// type bracket: numbers (int, long, double, decimal), strings, objectIds,
// dates and booleans. ok is false for values of different brackets, which
// a server comparison never matches, and for anything else: a server
// would order those too, but tests do not need it.
func compare(a, b bson.RawValue) (c int, ok bool) {
	if x, isNum := number(a); isNum {
		y, isNum := number(b)
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

// number reads a finite number of any BSON number type exactly.
func number(v bson.RawValue) (*big.Rat, bool) {
	switch v.Type {
	case bson.TypeInt32:
		return new(big.Rat).SetInt64(int64(v.Int32())), true
	case bson.TypeInt64:
		return new(big.Rat).SetInt64(v.Int64()), true
	case bson.TypeDouble:
		r := new(big.Rat).SetFloat64(v.Double()) // nil for NaN and infinities
		return r, r != nil
	case bson.TypeDecimal128:
		i, exp, err := v.Decimal128().BigInt()
		if err != nil {
			return nil, false
		}
		r := new(big.Rat).SetInt(i)
		scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp))), nil))
		if exp < 0 {
			return r.Quo(r, scale), true
		}
		return r.Mul(r, scale), true
	}
	return nil, false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
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

// sortByKey orders docs by one top-level key, as find's sort: {key: 1}
// or {key: -1} does when every value is of one bracket. It refuses to
// guess otherwise.
func sortByKey(docs []bson.Raw, key string, direction int64) bool {
	comparable := true
	sort.SliceStable(docs, func(i, j int) bool {
		c, ok := compare(docs[i].Lookup(key), docs[j].Lookup(key))
		if !ok {
			comparable = false
		}
		if direction < 0 {
			return c > 0
		}
		return c < 0
	})
	return comparable
}
