package qe

import (
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Update is a change to one document, built from the typed fields of
// generated code: encrypted fields offer only Set and Unset ($set, $unset,
// the only operators the server takes on them), fields in clear every
// operator their type has. Combine them with Updates. Like a Filter, an
// Update on an encrypted field does not marshal itself: repositories send
// it, encrypting every value set on an encrypted path in explicit mode.
type Update struct {
	ops []updateOp
}

type updateOp struct {
	op    uop
	field *fieldRef
	value any
}

// uop is an update operator.
type uop uint8

const (
	opSet uop = iota
	opUnset
	opInc
	opPush
	opAddToSet
	opPull
)

var updateOperator = [...]string{opSet: "$set", opUnset: "$unset", opInc: "$inc", opPush: "$push", opAddToSet: "$addToSet", opPull: "$pull"}

func update(op uop, f *fieldRef, value any) Update {
	return Update{ops: []updateOp{{op: op, field: f, value: value}}}
}

// Updates combines updates into one.
func Updates(updates ...Update) Update {
	var out Update
	for _, u := range updates {
		out.ops = append(out.ops, u.ops...)
	}
	return out
}

// check reports why the update cannot be sent to collection.
func (u Update) check(collection string) error {
	if len(u.ops) == 0 {
		return errors.New("qe: an update with no change: build one from the generated fields, e.g. XWhere().Field.Set(v)")
	}
	seen := map[string]bool{}
	for _, op := range u.ops {
		switch {
		case op.field.err != nil:
			return op.field.err
		case op.field.collection != collection:
			return fmt.Errorf("qe: an update of %s of collection %s was used on collection %s", op.field.path, op.field.collection, collection)
		case seen[op.field.path]:
			return fmt.Errorf("qe: an update changes %s twice: the server refuses it", op.field.path)
		}
		seen[op.field.path] = true
	}
	return nil
}

// encrypted reports whether u changes an encrypted field.
func (u Update) encrypted() bool {
	for _, op := range u.ops {
		if op.field.kind != plainKind {
			return true
		}
	}
	return false
}

// MarshalBSON lets an update of unencrypted fields only be passed to any
// driver method; one that sets an encrypted field fails with
// ErrPlaintextFilter's kin, rather than marshal its plaintext.
func (u Update) MarshalBSON() ([]byte, error) {
	if u.encrypted() {
		return nil, ErrPlaintextUpdate
	}
	doc, err := u.render(plainValue)
	if err != nil {
		return nil, err
	}
	return bson.Marshal(doc)
}

// plainValue sends a value as it is.
func plainValue(op updateOp) (any, error) { return op.value, nil }

// ErrPlaintextUpdate is returned when an update that sets an encrypted
// field would be marshaled, which would write the value in plaintext.
var ErrPlaintextUpdate = errors.New("qe: this update sets an encrypted field, and marshaling it would write the value in plaintext: use it through a repository")

// render groups the operations by operator, in the order they first
// appear; value gives what to send for each operation's value.
func (u Update) render(value func(updateOp) (any, error)) (bson.D, error) {
	var doc bson.D
	index := map[uop]int{}
	for _, op := range u.ops {
		i, ok := index[op.op]
		if !ok {
			i = len(doc)
			index[op.op] = i
			doc = append(doc, bson.E{Key: updateOperator[op.op], Value: bson.D{}})
		}
		v, err := value(op)
		if err != nil {
			return nil, err
		}
		switch op.op {
		case opPush, opAddToSet:
			v = bson.D{{Key: "$each", Value: v}}
		}
		doc[i].Value = append(doc[i].Value.(bson.D), bson.E{Key: op.field.path, Value: v})
	}
	return doc, nil
}

// String shows the update's shape with every value replaced by ?.
func (u Update) String() string {
	var b strings.Builder
	b.WriteString("{")
	for i, op := range u.ops {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: {%s: ?}", updateOperator[op.op], op.field.path)
	}
	b.WriteString("}")
	return b.String()
}

// GoString keeps %#v from printing the values.
func (u Update) GoString() string { return u.String() }

// SortKey orders the results of a find by one field stored in clear.
type SortKey struct {
	field *fieldRef
	dir   int
}
