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
	one [1]updateOp // the only operation, when ops is nil: one Set allocates nothing
	ops []updateOp  // the operations of a combined update
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

// update is an update of field f; not inlined, as compare.
//
//go:noinline
func update(op uop, f *fieldRef, value any) Update {
	return Update{one: [1]updateOp{{op: op, field: filled(f), value: value}}}
}

// list returns u's operations.
func (u *Update) list() []updateOp {
	if u.ops == nil && u.one[0].field != nil {
		return u.one[:]
	}
	return u.ops
}

// Updates combines updates into one.
func Updates(updates ...Update) Update {
	n := 0
	for i := range updates {
		n += len(updates[i].list())
	}
	out := Update{ops: make([]updateOp, 0, n)}
	for i := range updates {
		out.ops = append(out.ops, updates[i].list()...)
	}
	return out
}

var errEmptyUpdate = errors.New("qe: an update with no change: build one from the generated fields, e.g. XWhere().Field.Set(v)")

// check reports why the update cannot be sent to collection.
func (u *Update) check(collection string) error {
	ops := u.list()
	if len(ops) == 0 {
		return errEmptyUpdate
	}
	for i, op := range ops {
		switch {
		case op.field.err != nil:
			return op.field.err
		case op.field.collection != collection:
			return fmt.Errorf("qe: an update of %s of collection %s was used on collection %s", op.field.path, op.field.collection, collection)
		case op.field.kind != plainKind && op.op != opSet && op.op != opUnset: // a field type cast from an encrypted one
			return fmt.Errorf("qe: an update uses %s on encrypted %s: the server takes only $set and $unset there", updateOperator[op.op], op.field.path)
		}
		for _, before := range ops[:i] { // updates are short: no map
			switch p, q := op.field.path, before.field.path; {
			case p == q:
				return fmt.Errorf("qe: an update changes %s twice: the server refuses it", p)
			case isBelow(p, q), isBelow(q, p):
				return fmt.Errorf("qe: an update changes both %s and %s, one inside the other: the server refuses it", q, p)
			}
		}
	}
	return nil
}

// encrypted reports whether u changes an encrypted field.
func (u *Update) encrypted() bool {
	for _, op := range u.list() {
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
	for _, op := range u.list() {
		if op.field.err != nil {
			return nil, op.field.err
		}
	}
	if u.encrypted() {
		return nil, ErrPlaintextUpdate
	}
	doc, err := u.render(plainValue)
	if err != nil {
		return nil, err
	}
	return bson.Marshal(doc)
}

// ForAutomaticEncryption renders the update for a client with automatic
// encryption, which encrypts the values set on encrypted fields itself.
// The document holds them in plaintext: never send it through a client
// in explicit mode, or without encryption.
func (u Update) ForAutomaticEncryption() (bson.D, error) {
	ops := u.list()
	if len(ops) == 0 {
		return nil, errEmptyUpdate
	}
	if err := u.check(ops[0].field.collection); err != nil {
		return nil, err
	}
	return u.render(plainValue)
}

// plainValue sends a value as it is.
func plainValue(op updateOp) (any, error) { return op.value, nil }

// ErrPlaintextUpdate is returned when an update that sets an encrypted
// field would be marshaled, which would write the value in plaintext.
var ErrPlaintextUpdate = errors.New("qe: this update sets an encrypted field, and marshaling it would write the value in plaintext: use it through a repository")

// render groups the operations by operator, in the order they first
// appear; value gives what to send for each operation's value.
func (u *Update) render(value func(updateOp) (any, error)) (bson.D, error) {
	ops := u.list()
	var counts [len(updateOperator)]int
	var order [len(updateOperator)]uop
	n := 0
	for _, op := range ops {
		if counts[op.op] == 0 {
			order[n], n = op.op, n+1
		}
		counts[op.op]++
	}
	var groups [len(updateOperator)]bson.D
	for _, o := range order[:n] {
		groups[o] = make(bson.D, 0, counts[o])
	}
	for _, op := range ops {
		v, err := value(op)
		if err != nil {
			return nil, err
		}
		switch op.op {
		case opPush, opAddToSet:
			v = bson.D{{Key: "$each", Value: v}}
		}
		groups[op.op] = append(groups[op.op], bson.E{Key: op.field.path, Value: v})
	}
	doc := make(bson.D, n)
	for i, o := range order[:n] {
		doc[i] = bson.E{Key: updateOperator[o], Value: groups[o]}
	}
	return doc, nil
}

// String shows the update's shape with every value replaced by ?.
func (u Update) String() string {
	var b strings.Builder
	b.WriteString("{")
	for i, op := range u.list() {
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

// sortKey sorts by field f; not inlined, as compare.
//
//go:noinline
func sortKey(f *fieldRef, dir int) SortKey { return SortKey{filled(f), dir} }
