// Package typecases declares one field per Go type qegen maps to BSON, so a
// test can compare qegen's mapping with what the driver really writes.
package typecases

import (
	"encoding/json"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// SSN is a named string, stored as a string.
type SSN string

// Amount is a named int64, stored as a long.
type Amount int64

// Inner is a nested document.
type Inner struct {
	A string
}

// Fixed holds fields whose BSON type the Go type fixes. Nillable fields have
// omitempty, as qegen requires of encrypted ones.
type Fixed struct {
	String     string             `bson:"string"`
	Bool       bool               `bson:"bool"`
	Int8       int8               `bson:"int8"`
	Int16      int16              `bson:"int16"`
	Int32      int32              `bson:"int32"`
	Uint8      uint8              `bson:"uint8"`
	Uint16     uint16             `bson:"uint16"`
	Uint32     uint32             `bson:"uint32"`
	Int64      int64              `bson:"int64"`
	Float32    float32            `bson:"float32"`
	Float64    float64            `bson:"float64"`
	Time       time.Time          `bson:"time"`
	DateTime   bson.DateTime      `bson:"datetime"`
	ObjectID   bson.ObjectID      `bson:"objectid"`
	Binary     bson.Binary        `bson:"binary"`
	Bytes      []byte             `bson:"bytes,omitempty"`
	ByteArray  [4]byte            `bson:"bytearray"`
	Decimal    bson.Decimal128    `bson:"decimal"`
	Regex      bson.Regex         `bson:"regex"`
	JavaScript bson.JavaScript    `bson:"javascript"`
	Symbol     bson.Symbol        `bson:"symbol"`
	Timestamp  bson.Timestamp     `bson:"timestamp"`
	DBPointer  bson.DBPointer     `bson:"dbpointer"`
	CodeScope  bson.CodeWithScope `bson:"codescope"`
	D          bson.D             `bson:"d,omitempty"`
	M          bson.M             `bson:"m,omitempty"`
	A          bson.A             `bson:"a,omitempty"`
	Struct     Inner              `bson:"struct"`
	Ptr        *Inner             `bson:"ptr,omitempty"`
	PtrString  *string            `bson:"ptrstring,omitempty"`
	Slice      []string           `bson:"slice,omitempty"`
	Array      [2]string          `bson:"array"`
	Map        map[string]int32   `bson:"map,omitempty"`
	Named      SSN                `bson:"named"`
	NamedInt   Amount             `bson:"namedint"`
	Null       bson.Null          `bson:"null"`
	MinKey     bson.MinKey        `bson:"minkey"`
}

// Unfixed holds fields whose BSON type depends on the value.
type Unfixed struct {
	Int     int            `bson:"int"`
	Uint    uint           `bson:"uint"`
	Uint64  uint64         `bson:"uint64"`
	MinSize int64          `bson:"minsize,minsize"`
	Any     any            `bson:"any,omitempty"`
	AnyMap  map[string]any `bson:"anymap,omitempty"`
	Number  json.Number    `bson:"number"`
	Raw     bson.RawValue  `bson:"raw"`
}
