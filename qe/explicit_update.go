package qe

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Update encrypts every value u sets on an encrypted path, as a stored
// value of its field. Only $set and $unset reach encrypted fields (the
// field types offer nothing else); anything else there is refused.
func (x *Explicit) Update(ctx context.Context, u Update) (bson.D, error) {
	if err := u.check(x.spec.Name); err != nil {
		return nil, err
	}
	return u.render(func(op updateOp) (any, error) {
		field, err := x.fieldOfUpdate(op)
		if err != nil || field == nil || op.op == opUnset {
			return op.value, err
		}
		if op.op != opSet {
			return nil, fmt.Errorf("qe: %s on encrypted %s: the server takes only $set and $unset on encrypted fields", updateOperator[op.op], field.Path)
		}
		value, err := field.marshal(op.value)
		if err != nil {
			return nil, err
		}
		ct, err := x.enc.Encrypt(ctx, value, field.insert)
		if err != nil {
			return nil, withhold("encrypting "+field.Path, err)
		}
		return ct, nil
	})
}

// fieldOfUpdate returns the encrypted field an update operation changes,
// nil for an unencrypted one, and an error when the field's type does
// not fit the collection.
func (x *Explicit) fieldOfUpdate(op updateOp) (*encryptedField, error) {
	path := op.field.path
	if field := x.fields[path]; field != nil {
		if op.field.kind != field.kind {
			return nil, fmt.Errorf("qe: an update of encrypted %s uses a field type for another kind than %v: run go generate", path, field.Kinds())
		}
		return field, nil
	}
	_, related := x.spec.lookup(path)
	switch {
	case related != nil:
		return nil, fmt.Errorf("qe: an update changes %s, which is inside or above encrypted %s: set the encrypted field itself", path, related.Path)
	case op.field.kind != plainKind:
		return nil, fmt.Errorf("qe: an update treats %s as encrypted, and the collection stores it in clear: run go generate", path)
	}
	return nil, nil
}
