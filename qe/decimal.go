package qe

import (
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// MustDecimal128 parses a decimal constant written by qegen, which checked
// it when generating; it panics only if the generated file was edited.
func MustDecimal128(s string) bson.Decimal128 {
	d, err := bson.ParseDecimal128(s)
	if err != nil {
		panic(fmt.Sprintf("qe: bad decimal constant %q: %v", s, err))
	}
	return d
}
