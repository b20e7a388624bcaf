package schema

import "slices"

// ValueKind says how an option's value is written in a qe tag.
type ValueKind int

const (
	IntValue   ValueKind = iota // a whole number
	BoolValue                   // true or false
	BoundValue                  // in the field's BSON type (min, max)
)

// Option is one option of a query kind, spelled as the server spells it.
type Option struct {
	Name  string
	Value ValueKind
	Kinds []Kind // the kinds it applies to
}

// Options lists every option, in the order encryptedFields writes them.
var Options = []Option{
	{"contention", IntValue, []Kind{Equality, Range, Prefix, Suffix, Substring}},
	{"min", BoundValue, []Kind{Range}},
	{"max", BoundValue, []Kind{Range}},
	{"sparsity", IntValue, []Kind{Range}},
	{"trimFactor", IntValue, []Kind{Range}},
	{"precision", IntValue, []Kind{Range}},
	{"strMinQueryLength", IntValue, []Kind{Prefix, Suffix, Substring}},
	{"strMaxQueryLength", IntValue, []Kind{Prefix, Suffix, Substring}},
	{"strMaxLength", IntValue, []Kind{Substring}},
	{"caseSensitive", BoolValue, []Kind{Prefix, Suffix, Substring}},
	{"diacriticSensitive", BoolValue, []Kind{Prefix, Suffix, Substring}},
}

// LookupOption finds an option by name.
func LookupOption(name string) (Option, bool) {
	for _, o := range Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// AppliesTo reports whether o is an option of kind k.
func (o Option) AppliesTo(k Kind) bool { return slices.Contains(o.Kinds, k) }

// OptionNames lists the names of every option.
func OptionNames() []string {
	names := make([]string, len(Options))
	for i, o := range Options {
		names[i] = o.Name
	}
	return names
}

// Defaults, written out by qegen so that explicit encryption and the
// server agree on every value.
const (
	// DefaultContention is the server's default since 8.0; 7.0 had
	// another, and a mismatch silently loses query results.
	DefaultContention = 8
	// DefaultSparsity is the server's and libmongocrypt's default.
	DefaultSparsity = 2
	// DefaultCaseSensitive and DefaultDiacriticSensitive are documented
	// as true; the server requires them written.
	DefaultCaseSensitive      = true
	DefaultDiacriticSensitive = true
)

// DefaultTrimFactor is the server's default for a domain of bits bits.
func DefaultTrimFactor(bits int) int32 { return int32(max(0, min(6, bits-1))) }

// MaxSparsity is the largest sparsity release r accepts.
func MaxSparsity(r Release) int64 {
	if r.AtLeast(Release82) {
		return 8
	}
	return 4
}

// DomainBits is the width of the encoded domain of a range field of type
// t without bounds.
func DomainBits(t BSONType) int {
	switch t {
	case Int:
		return 32
	case Decimal:
		return 128
	}
	return 64 // long, date, double
}

// Limits the server applies to range and text options.
const (
	// RangeDomainThreshold and MaxEdgeBits are validateRangeBounds'
	// limits, applied when trimFactor is set (qegen always sets it).
	RangeDomainThreshold = 300000
	MaxEdgeBits          = 19
	// Substring limits: a cluster parameter in 8.2, fixed in 9.0.
	SubstringMinQueryLength = 2
	SubstringMaxQueryLength = 10
	SubstringMaxLength      = 60
	// MaxTagsPerField is the most search tags one text field may produce.
	MaxTagsPerField = 84000
	// MaxTagsPerDocument keeps a document's worst-case tag storage, at
	// 128 bytes a tag, within 16 MiB.
	MaxTagsPerDocument = 16 << 20 / 128
)
