package migrate

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// decryptDocument returns doc with every encrypted value (binData
// subtype 6), at any depth, replaced by its plaintext.
func decryptDocument(ctx context.Context, ce *mongo.ClientEncryption, doc bson.Raw) (bson.Raw, error) {
	if len(ciphertextPaths(doc, "")) == 0 {
		return doc, nil
	}
	out, err := appendDecrypted(ctx, ce, nil, doc)
	return bson.Raw(out), err
}

// appendDecrypted copies the document or array raw (they share one
// layout) to dst, decrypting.
func appendDecrypted(ctx context.Context, ce *mongo.ClientEncryption, dst []byte, raw []byte) ([]byte, error) {
	start, dst := bsoncore.AppendDocumentStart(dst)
	elems, err := bsoncore.Document(raw).Elements()
	if err != nil {
		return nil, err
	}
	for _, e := range elems {
		v := e.Value()
		switch {
		case v.Type == bsoncore.TypeBinary && isCiphertextCore(v):
			subtype, data := v.Binary()
			plain, err := ce.Decrypt(ctx, bson.Binary{Subtype: subtype, Data: data})
			if err != nil {
				return nil, err
			}
			dst = bsoncore.AppendHeader(dst, bsoncore.Type(plain.Type), e.Key())
			dst = append(dst, plain.Value...)
		case v.Type == bsoncore.TypeEmbeddedDocument || v.Type == bsoncore.TypeArray:
			dst = bsoncore.AppendHeader(dst, v.Type, e.Key())
			if dst, err = appendDecrypted(ctx, ce, dst, v.Data); err != nil {
				return nil, err
			}
		default:
			dst = append(dst, e...)
		}
	}
	return bsoncore.AppendDocumentEnd(dst, start)
}

func isCiphertextCore(v bsoncore.Value) bool {
	subtype, _, ok := v.BinaryOK()
	return ok && subtype == 6
}
