package generator

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

// rangeOptions checks the range options of a tag on a field of BSON type
// t (Go type goType, for messages) against the rules of release r and of libmongocrypt, and returns them
// with every default written out, so that explicit encryption and the
// server agree on every value.
func rangeOptions(tag *Tag, t schema.BSONType, goType string, r schema.Release) (*schema.RangeOptions, error) {
	if !schema.Range.Accepts(t) {
		return nil, fmt.Errorf("range queries need one of the BSON types %s, but %s is stored as %s: use equality or encrypt, or change its Go type", typeList(schema.Range), goType, t)
	}
	minO, maxO, precO := tag.Option("min"), tag.Option("max"), tag.Option("precision")
	opts := &schema.RangeOptions{}
	var lo, hi *big.Rat // exact bounds, in the encoded domain's units
	var err error
	if minO != nil {
		if opts.Min, lo, err = parseBound("min", minO.Raw, t); err != nil {
			return nil, err
		}
	}
	if maxO != nil {
		if opts.Max, hi, err = parseBound("max", maxO.Raw, t); err != nil {
			return nil, err
		}
	}
	switch t {
	case schema.Int, schema.Long, schema.Date:
		if precO != nil {
			return nil, fmt.Errorf("precision applies to double and decimal fields, not %s: remove it", t)
		}
		if (minO == nil) != (maxO == nil) {
			return nil, fmt.Errorf("range on a %s field takes min and max together: set both, or neither for the type's whole domain", t)
		}
	default:
		if (minO == nil) != (maxO == nil) || (minO == nil) != (precO == nil) {
			return nil, fmt.Errorf("range on a %s field takes min, max and precision together or none of them: set all three, or remove them for an unbounded domain", t)
		}
	}
	if lo != nil && lo.Cmp(hi) >= 0 {
		return nil, fmt.Errorf("min=%s is not below max=%s: the server needs min < max", minO.Raw, maxO.Raw)
	}
	bits, err := domainBits(t, opts, lo, hi, precO)
	if err != nil {
		return nil, err
	}
	sparsity := int64(schema.DefaultSparsity)
	if o := tag.Option("sparsity"); o != nil {
		if o.Int < 1 || o.Int > schema.MaxSparsity(r) {
			return nil, fmt.Errorf("sparsity=%d: MongoDB %s accepts 1 to %d", o.Int, r, schema.MaxSparsity(r))
		}
		sparsity = o.Int
	}
	trimFactor := schema.DefaultTrimFactor(bits)
	if o := tag.Option("trimFactor"); o != nil {
		if o.Int < 0 || (o.Int != 0 && o.Int >= int64(bits)) {
			return nil, fmt.Errorf("trimFactor=%d: it must be 0 or below the %d bits of this field's domain", o.Int, bits)
		}
		trimFactor = int32(o.Int)
	}
	opts.Sparsity, opts.TrimFactor = &sparsity, &trimFactor
	if err := checkRangeBounds(t, lo, hi, precO, sparsity, trimFactor); err != nil {
		return nil, err
	}
	return opts, nil
}

// parseBound reads a min or max in the field's BSON type, returning the
// typed value and its exact value in the domain's units (dates in ms).
func parseBound(name, raw string, t schema.BSONType) (bson.RawValue, *big.Rat, error) {
	var v any
	var exact *big.Rat
	switch t {
	case schema.Int, schema.Long:
		bitSize := 32
		if t == schema.Long {
			bitSize = 64
		}
		n, err := strconv.ParseInt(raw, 10, bitSize)
		if err != nil {
			return bson.RawValue{}, nil, fmt.Errorf("%s=%s is not a whole number that fits a %s", name, raw, t)
		}
		v, exact = n, new(big.Rat).SetInt64(n)
		if t == schema.Int {
			v = int32(n)
		}
	case schema.Date:
		when, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			return bson.RawValue{}, nil, fmt.Errorf("%s=%s is not an RFC 3339 date, e.g. 2024-01-31T00:00:00Z", name, raw)
		}
		if when.Nanosecond()%int(time.Millisecond) != 0 {
			return bson.RawValue{}, nil, fmt.Errorf("%s=%s has digits below the millisecond, which BSON dates do not keep: round it", name, raw)
		}
		dt := bson.NewDateTimeFromTime(when)
		v, exact = dt, new(big.Rat).SetInt64(int64(dt))
	case schema.Double:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return bson.RawValue{}, nil, fmt.Errorf("%s=%s is not a finite number", name, raw)
		}
		v = f
		exact, _ = new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	default: // decimal
		d, err := bson.ParseDecimal128(raw)
		r, ok := new(big.Rat).SetString(raw)
		if err != nil || !ok {
			return bson.RawValue{}, nil, fmt.Errorf("%s=%s is not a finite decimal number", name, raw)
		}
		v, exact = d, r
	}
	typ, data, err := bson.MarshalValue(v)
	if err != nil {
		return bson.RawValue{}, nil, err
	}
	return bson.RawValue{Type: typ, Value: data}, exact, nil
}

// domainBits is the number of bits of the encoded domain, which bounds
// trimFactor; it also applies libmongocrypt's precision-mode limits.
func domainBits(t schema.BSONType, opts *schema.RangeOptions, lo, hi *big.Rat, precO *TagOption) (int, error) {
	switch {
	case lo == nil:
		return schema.DomainBits(t), nil
	case t == schema.Int || t == schema.Long || t == schema.Date:
		return new(big.Int).Sub(hi.Num(), lo.Num()).BitLen(), nil
	}
	if precO.Int < 0 || precO.Int > 255 {
		return 0, fmt.Errorf("precision=%d: it must be 0 to 255", precO.Int)
	}
	p := int32(precO.Int)
	opts.Precision = &p
	if t == schema.Double {
		return doublePrecisionBits(opts.Min.Double(), opts.Max.Double(), p)
	}
	return decimalPrecisionBits(lo, hi, p)
}

// doublePrecisionBits follows libmongocrypt's mc_canUsePrecisionModeDouble,
// in float64 arithmetic as it does, and requires what range v2 requires:
// that precision mode is usable.
func doublePrecisionBits(lo, hi float64, p int32) (int, error) {
	scale := math.Pow(10, float64(p))
	sLo, sHi := lo*scale, hi*scale
	switch {
	case math.IsInf(scale, 0):
		return 0, fmt.Errorf("precision=%d is too large to scale the bounds", p)
	case sHi != math.Trunc(sHi) || sLo != math.Trunc(sLo):
		return 0, fmt.Errorf("min and max must have at most precision=%d digits after the point", p)
	case math.Abs(sHi) >= 1<<53 || math.Abs(sLo) >= 1<<53:
		return 0, fmt.Errorf("min and max times 10^precision must stay below 2^53 in absolute value: lower the precision or narrow the bounds")
	case float64(p) > math.Floor(math.Log10(math.MaxUint64-(sHi-sLo)))-1:
		return 0, fmt.Errorf("precision=%d is too large for bounds this far apart", p)
	default:
		span := new(big.Int).Sub(big.NewInt(int64(sHi)), big.NewInt(int64(sLo)))
		bits := ceilLog2(span.Add(span, big.NewInt(int64(scale))))
		if bits >= 53 {
			return 0, fmt.Errorf("min, max and precision=%d span a domain of %d bits; libmongocrypt needs fewer than 53: lower the precision or narrow the bounds", p, bits)
		}
		return bits, nil
	}
}

// decimalPrecisionBits follows mc_canUsePrecisionModeDecimal with exact
// arithmetic.
func decimalPrecisionBits(lo, hi *big.Rat, p int32) (int, error) {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(p)), nil)
	sLo := new(big.Rat).Mul(lo, new(big.Rat).SetInt(scale))
	sHi := new(big.Rat).Mul(hi, new(big.Rat).SetInt(scale))
	int127 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 127), big.NewInt(1))
	uint128 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	switch {
	case !sLo.IsInt() || !sHi.IsInt():
		return 0, fmt.Errorf("min and max must have at most precision=%d digits after the point", p)
	case new(big.Int).Abs(sHi.Num()).Cmp(int127) > 0 || new(big.Int).Abs(sLo.Num()).Cmp(int127) > 0:
		return 0, fmt.Errorf("min and max times 10^precision must stay within 2^127-1 in absolute value")
	default:
		span := new(big.Int).Sub(sHi.Num(), sLo.Num())
		room := new(big.Int).Sub(uint128, span)
		if int64(p) > int64(len(room.String()))-2 { // floor(log10(room)) - 1
			return 0, fmt.Errorf("precision=%d is too large for bounds this far apart", p)
		}
		bits := ceilLog2(span.Add(span, scale))
		if bits >= 128 {
			return 0, fmt.Errorf("min, max and precision=%d span a domain of %d bits; it must be fewer than 128", p, bits)
		}
		return bits, nil
	}
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
func checkRangeBounds(t schema.BSONType, lo, hi *big.Rat, precO *TagOption, sparsity int64, trimFactor int32) error {
	d := float64(schema.DomainBits(t))
	if lo != nil {
		span := new(big.Rat).Sub(hi, lo)
		if precO != nil {
			span.Mul(span, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(precO.Int), nil)))
		}
		n, _ := span.Float64()
		if n < schema.RangeDomainThreshold {
			return nil
		}
		d = math.Log2(n + 1)
	}
	sp, tf := float64(sparsity), float64(trimFactor)
	if tf+sp-1 >= schema.MaxEdgeBits {
		return fmt.Errorf("trimFactor=%d with sparsity=%d is too large for this domain: the server needs trimFactor + sparsity - 1 < %d", trimFactor, sparsity, schema.MaxEdgeBits)
	}
	if math.Pow(2, sp)*(2*d-1+math.Pow(2, tf)) >= schema.RangeDomainThreshold {
		return fmt.Errorf("sparsity=%d with trimFactor=%d makes each value of this domain produce too many tokens (the server needs 2^sparsity * (2*bits - 1 + 2^trimFactor) < %d): lower sparsity or trimFactor", sparsity, trimFactor, schema.RangeDomainThreshold)
	}
	return nil
}
