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
		field, err := x.fieldOf(op.field, "an update of")
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
