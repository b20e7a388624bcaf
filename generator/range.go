package generator

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

var rangeTypes = map[string]bool{"int": true, "long": true, "double": true, "decimal": true, "date": true}

// Limits from the server's validateRangeBounds, applied when trimFactor is
// set; qegen always sets it, so that explicit encryption uses the same value.
const (
	rangeDomainThreshold = 300000
	maxEdgeBits          = 19
)

// rangeOptions checks a range tag against the rules of the server and of
// libmongocrypt, and returns the options with every default made explicit.
func (b *builder) rangeOptions(tag *Tag, bsonType, typeName string, fail func(string, ...any)) *RangeOptions {
	if !rangeTypes[bsonType] {
		fail("range queries need one of the BSON types date, decimal, double, int, long, but %s is stored as %s: use equality or encrypt, or change its Go type", typeName, bsonType)
		return nil
	}
	minO, maxO, precO := tag.Option("min"), tag.Option("max"), tag.Option("precision")
	opts := &RangeOptions{}
	var lo, hi *big.Rat // exact bounds, in the encoded domain's units
	failed := false
	bad := func(format string, args ...any) { fail(format, args...); failed = true }

	if minO != nil {
		opts.Min, lo = parseBound("min", minO.Raw, bsonType, bad)
	}
	if maxO != nil {
		opts.Max, hi = parseBound("max", maxO.Raw, bsonType, bad)
	}
	if failed {
		return nil
	}
	switch bsonType {
	case "int", "long", "date":
		if precO != nil {
			fail("precision applies to double and decimal fields, not %s: remove it", bsonType)
			return nil
		}
		if (minO == nil) != (maxO == nil) {
			fail("range on a %s field takes min and max together: set both, or neither for the type's whole domain", bsonType)
			return nil
		}
	default:
		if (minO == nil) != (maxO == nil) || (minO == nil) != (precO == nil) {
			fail("range on a %s field takes min, max and precision together or none of them: set all three, or remove them for an unbounded domain", bsonType)
			return nil
		}
	}
	if lo != nil && lo.Cmp(hi) >= 0 {
		fail("min=%s is not below max=%s: the server needs min < max", minO.Raw, maxO.Raw)
		return nil
	}

	bits, ok := domainBits(bsonType, opts, lo, hi, precO, fail)
	if !ok {
		return nil
	}

	opts.Sparsity = 2
	if o := tag.Option("sparsity"); o != nil {
		maxSparsity := int64(4)
		if b.server.AtLeast(Server82) {
			maxSparsity = 8
		}
		if o.Int < 1 || o.Int > maxSparsity {
			fail("sparsity=%d: MongoDB %s accepts 1 to %d", o.Int, b.server, maxSparsity)
			return nil
		}
		opts.Sparsity = o.Int
	}
	opts.TrimFactor = int32(max(0, min(6, bits-1)))
	if o := tag.Option("trimFactor"); o != nil {
		if o.Int < 0 || (o.Int != 0 && o.Int >= int64(bits)) {
			fail("trimFactor=%d: it must be 0 or below the %d bits of this field's domain", o.Int, bits)
			return nil
		}
		opts.TrimFactor = int32(o.Int)
	}
	if msg := checkRangeBounds(bsonType, lo, hi, precO, opts); msg != "" {
		fail("%s", msg)
		return nil
	}
	return opts
}

// domainWidth is the bits of a range field's encoded domain without bounds.
func domainWidth(bsonType string) int {
	switch bsonType {
	case "int":
		return 32
	case "decimal":
		return 128
	}
	return 64 // long, date, double
}

// parseBound reads a min or max in the field's BSON type, returning the
// typed value and its exact value in the domain's units (dates in ms).
func parseBound(name, raw, bsonType string, fail func(string, ...any)) (any, *big.Rat) {
	switch bsonType {
	case "int", "long":
		bitSize := 32
		if bsonType == "long" {
			bitSize = 64
		}
		n, err := strconv.ParseInt(raw, 10, bitSize)
		if err != nil {
			fail("%s=%s is not a whole number that fits a %s", name, raw, bsonType)
			return nil, nil
		}
		if bsonType == "int" {
			return int32(n), new(big.Rat).SetInt64(n)
		}
		return n, new(big.Rat).SetInt64(n)
	case "date":
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			fail("%s=%s is not an RFC 3339 date, e.g. 2024-01-31T00:00:00Z", name, raw)
			return nil, nil
		}
		if t.Nanosecond()%int(time.Millisecond) != 0 {
			fail("%s=%s has digits below the millisecond, which BSON dates do not keep: round it", name, raw)
			return nil, nil
		}
		dt := bson.NewDateTimeFromTime(t)
		return dt, new(big.Rat).SetInt64(int64(dt))
	case "double":
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			fail("%s=%s is not a finite number", name, raw)
			return nil, nil
		}
		r, _ := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
		return f, r
	default: // decimal
		d, err := bson.ParseDecimal128(raw)
		r, ok := new(big.Rat).SetString(raw)
		if err != nil || !ok {
			fail("%s=%s is not a finite decimal number", name, raw)
			return nil, nil
		}
		return d, r
	}
}

// domainBits is the number of bits of the encoded domain, which bounds
// trimFactor; it also applies libmongocrypt's precision-mode limits.
func domainBits(bsonType string, opts *RangeOptions, lo, hi *big.Rat, precO *TagOption, fail func(string, ...any)) (int, bool) {
	switch bsonType {
	case "int", "long", "date":
		if lo == nil {
			return domainWidth(bsonType), true
		}
		span := new(big.Int).Sub(hi.Num(), lo.Num())
		return span.BitLen(), true
	}
	if precO == nil {
		if bsonType == "double" {
			return 64, true
		}
		return 128, true
	}
	if precO.Int < 0 || precO.Int > 255 {
		fail("precision=%d: it must be 0 to 255", precO.Int)
		return 0, false
	}
	p := int32(precO.Int)
	opts.Precision = &p
	if bsonType == "double" {
		return doublePrecisionBits(opts.Min.(float64), opts.Max.(float64), p, fail)
	}
	return decimalPrecisionBits(lo, hi, p, fail)
}

// doublePrecisionBits follows libmongocrypt's mc_canUsePrecisionModeDouble,
// in float64 arithmetic as it does, and requires what range v2 requires:
// that precision mode is usable.
func doublePrecisionBits(lo, hi float64, p int32, fail func(string, ...any)) (int, bool) {
	scale := math.Pow(10, float64(p))
	sLo, sHi := lo*scale, hi*scale
	switch {
	case math.IsInf(scale, 0):
		fail("precision=%d is too large to scale the bounds", p)
	case sHi != math.Trunc(sHi) || sLo != math.Trunc(sLo):
		fail("min and max must have at most precision=%d digits after the point", p)
	case math.Abs(sHi) >= 1<<53 || math.Abs(sLo) >= 1<<53:
		fail("min and max times 10^precision must stay below 2^53 in absolute value: lower the precision or narrow the bounds")
	case float64(p) > math.Floor(math.Log10(math.MaxUint64-(sHi-sLo)))-1:
		fail("precision=%d is too large for bounds this far apart", p)
	default:
		span := new(big.Int).Sub(big.NewInt(int64(sHi)), big.NewInt(int64(sLo)))
		bits := ceilLog2(span.Add(span, big.NewInt(int64(scale))))
		if bits >= 53 {
			fail("min, max and precision=%d span a domain of %d bits; libmongocrypt needs fewer than 53: lower the precision or narrow the bounds", p, bits)
			return 0, false
		}
		return bits, true
	}
	return 0, false
}

// decimalPrecisionBits follows mc_canUsePrecisionModeDecimal with exact
// arithmetic.
func decimalPrecisionBits(lo, hi *big.Rat, p int32, fail func(string, ...any)) (int, bool) {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(p)), nil)
	sLo := new(big.Rat).Mul(lo, new(big.Rat).SetInt(scale))
	sHi := new(big.Rat).Mul(hi, new(big.Rat).SetInt(scale))
	int127 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	uint128 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	switch {
	case !sLo.IsInt() || !sHi.IsInt():
		fail("min and max must have at most precision=%d digits after the point", p)
	case new(big.Int).Abs(sHi.Num()).Cmp(int127) > 0 || new(big.Int).Abs(sLo.Num()).Cmp(int127) > 0:
		fail("min and max times 10^precision must stay within 2^127-1 in absolute value")
	default:
		span := new(big.Int).Sub(sHi.Num(), sLo.Num())
		room := new(big.Int).Sub(uint128, span)
		if int64(p) > int64(len(room.String()))-2 { // floor(log10(room)) - 1
			fail("precision=%d is too large for bounds this far apart", p)
			return 0, false
		}
		bits := ceilLog2(span.Add(span, scale))
		if bits >= 128 {
			fail("min, max and precision=%d span a domain of %d bits; it must be fewer than 128", p, bits)
			return 0, false
		}
		return bits, true
	}
	return 0, false
}

// ceilLog2 is libmongocrypt's ceil_log2: the bits needed for values below n.
func ceilLog2(n *big.Int) int {
	bits := n.BitLen()
	if new(big.Int).And(n, new(big.Int).Sub(n, big.NewInt(1))).Sign() == 0 {
		return bits - 1 // a power of two
	}
	return bits
}

// checkRangeBounds applies the server's validateRangeBounds, which limits
// how many tokens one value may produce for large domains.
func checkRangeBounds(bsonType string, lo, hi *big.Rat, precO *TagOption, opts *RangeOptions) string {
	d := float64(domainWidth(bsonType))
	if lo != nil {
		span := new(big.Rat).Sub(hi, lo)
		if precO != nil {
			span.Mul(span, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(precO.Int), nil)))
		}
		n, _ := span.Float64()
		if n < rangeDomainThreshold {
			return ""
		}
		d = math.Log2(n + 1)
	}
	sp, tf := float64(opts.Sparsity), float64(opts.TrimFactor)
	if tf+sp-1 >= maxEdgeBits {
		return fmt.Sprintf("trimFactor=%d with sparsity=%d is too large for this domain: the server needs trimFactor + sparsity - 1 < %d", opts.TrimFactor, opts.Sparsity, maxEdgeBits)
	}
	if math.Pow(2, sp)*(2*d-1+math.Pow(2, tf)) >= rangeDomainThreshold {
		return fmt.Sprintf("sparsity=%d with trimFactor=%d makes each value of this domain produce too many tokens (the server needs 2^sparsity * (2*bits - 1 + 2^trimFactor) < %d): lower sparsity or trimFactor", opts.Sparsity, opts.TrimFactor, rangeDomainThreshold)
	}
	return ""
}
