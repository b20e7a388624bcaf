package schema

import "go.mongodb.org/mongo-driver/v2/bson"

// BSONType is a BSON type as encryptedFields names it ("string", "long").
type BSONType string

// The BSON type aliases the server knows.
const (
	Double              BSONType = "double"
	String              BSONType = "string"
	Object              BSONType = "object"
	Array               BSONType = "array"
	BinData             BSONType = "binData"
	Undefined           BSONType = "undefined"
	ObjectID            BSONType = "objectId"
	Bool                BSONType = "bool"
	Date                BSONType = "date"
	Null                BSONType = "null"
	Regex               BSONType = "regex"
	DBPointer           BSONType = "dbPointer"
	JavaScript          BSONType = "javascript"
	Symbol              BSONType = "symbol"
	JavaScriptWithScope BSONType = "javascriptWithScope"
	Int                 BSONType = "int"
	Timestamp           BSONType = "timestamp"
	Long                BSONType = "long"
	Decimal             BSONType = "decimal"
	MinKey              BSONType = "minKey"
	MaxKey              BSONType = "maxKey"
)

var bsonTypes = map[BSONType]bson.Type{
	Double: bson.TypeDouble, String: bson.TypeString, Object: bson.TypeEmbeddedDocument,
	Array: bson.TypeArray, BinData: bson.TypeBinary, Undefined: bson.TypeUndefined,
	ObjectID: bson.TypeObjectID, Bool: bson.TypeBoolean, Date: bson.TypeDateTime,
	Null: bson.TypeNull, Regex: bson.TypeRegex, DBPointer: bson.TypeDBPointer,
	JavaScript: bson.TypeJavaScript, Symbol: bson.TypeSymbol, JavaScriptWithScope: bson.TypeCodeWithScope,
	Int: bson.TypeInt32, Timestamp: bson.TypeTimestamp, Long: bson.TypeInt64,
	Decimal: bson.TypeDecimal128, MinKey: bson.TypeMinKey, MaxKey: bson.TypeMaxKey,
}

// Known reports whether the server knows t.
func (t BSONType) Known() bool { _, ok := bsonTypes[t]; return ok }

// Type is the driver's type for t, or 0 when t is not known.
func (t BSONType) Type() bson.Type { return bsonTypes[t] }

// Encryptable reports whether the server can encrypt values of type t:
// never null, undefined, minKey or maxKey.
func (t BSONType) Encryptable() bool {
	return t.Known() && t != Null && t != Undefined && t != MinKey && t != MaxKey
}
