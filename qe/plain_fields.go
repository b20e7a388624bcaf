package qe

import "go.mongodb.org/mongo-driver/v2/bson"

// The fields stored in clear behave like plain MongoDB fields: every
// comparison their values have, sorting, and every update operator. Which
// type a field gets depends on its BSON type: PlainField for values
// without an order (bool, binary data, documents), OrderedField for
// dates, ObjectIDs and timestamps, NumberField for numbers, StringField
// for strings and ArrayField for arrays.

// PlainField is an unencrypted field holding values of type V.
type PlainField[V any] struct{ field }

func (*PlainField[V]) kind() fieldKind { return plainKind }

// Eq matches documents whose field equals v.
func (f PlainField[V]) Eq(v V) Filter { return compare(f.r, opEq, v) }

// Ne matches documents whose field differs from v or is missing.
func (f PlainField[V]) Ne(v V) Filter { return compare(f.r, opNe, v) }

// In matches documents whose field equals one of values.
func (f PlainField[V]) In(values ...V) Filter { return compare(f.r, opIn, list(values)) }

// Nin matches documents whose field equals none of values.
func (f PlainField[V]) Nin(values ...V) Filter { return compare(f.r, opNin, list(values)) }

// Exists matches documents that have (or, with false, lack) the field.
func (f PlainField[V]) Exists(exists bool) Filter { return compare(f.r, opExists, exists) }

// Set sets the field to v ($set).
func (f PlainField[V]) Set(v V) Update { return update(opSet, f.r, v) }

// Asc sorts by the field, smallest first. Only fields stored in clear
// have it: the server cannot sort by an encrypted field.
func (f PlainField[V]) Asc() SortKey { return SortKey{f.r, 1} }

// Desc sorts by the field, largest first.
func (f PlainField[V]) Desc() SortKey { return SortKey{f.r, -1} }

// OrderedField is an unencrypted field whose values have an order.
type OrderedField[V any] struct{ PlainField[V] }

// Lt matches documents whose field is below v.
func (f OrderedField[V]) Lt(v V) Filter { return compare(f.r, opLt, v) }

// Lte matches documents whose field is at most v.
func (f OrderedField[V]) Lte(v V) Filter { return compare(f.r, opLte, v) }

// Gt matches documents whose field is above v.
func (f OrderedField[V]) Gt(v V) Filter { return compare(f.r, opGt, v) }

// Gte matches documents whose field is at least v.
func (f OrderedField[V]) Gte(v V) Filter { return compare(f.r, opGte, v) }

// Between matches documents whose field is in [lo, hi], both included.
func (f OrderedField[V]) Between(lo, hi V) Filter {
	return Filter{op: opBetween, field: f.r, value: lo, hi: hi}
}

// NumberField is an unencrypted number field.
type NumberField[V any] struct{ OrderedField[V] }

// Inc adds n to the field ($inc).
func (f NumberField[V]) Inc(n V) Update { return update(opInc, f.r, n) }

// StringField is an unencrypted string field.
type StringField struct{ OrderedField[string] }

// Regex matches documents whose field matches the regular expression
// pattern, with the server's options ("i", "m", "x", "s").
func (f StringField) Regex(pattern, options string) Filter {
	return compare(f.r, opRegex, bson.Regex{Pattern: pattern, Options: options})
}

// ArrayField is an unencrypted array field whose elements are of type E.
type ArrayField[E any] struct{ field }

func (*ArrayField[E]) kind() fieldKind { return plainKind }

// Contains matches documents whose array has an element equal to e.
func (f ArrayField[E]) Contains(e E) Filter { return compare(f.r, opEq, e) }

// ContainsAll matches documents whose array has every one of elements.
func (f ArrayField[E]) ContainsAll(elements ...E) Filter {
	return compare(f.r, opContainsAll, list(elements))
}

// Size matches documents whose array has n elements.
func (f ArrayField[E]) Size(n int) Filter { return compare(f.r, opSize, n) }

// Exists matches documents that have (or, with false, lack) the field.
func (f ArrayField[E]) Exists(exists bool) Filter { return compare(f.r, opExists, exists) }

// Set sets the whole array ($set).
func (f ArrayField[E]) Set(elements []E) Update { return update(opSet, f.r, elements) }

// Push appends elements ($push with $each).
func (f ArrayField[E]) Push(elements ...E) Update { return update(opPush, f.r, list(elements)) }

// AddToSet appends the elements the array does not hold yet ($addToSet).
func (f ArrayField[E]) AddToSet(elements ...E) Update {
	return update(opAddToSet, f.r, list(elements))
}

// Pull removes every element equal to e ($pull).
func (f ArrayField[E]) Pull(e E) Update { return update(opPull, f.r, e) }
