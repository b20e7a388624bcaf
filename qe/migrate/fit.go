package migrate

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

// Problem is one reason a document does not fit the model: a path and
// why, never the value.
type Problem struct {
	Path   string
	Reason string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Reason
	}
	return p.Path + ": " + p.Reason
}

// valueAt finds the value at a dotted path. inArray names the array on
// the way, if any: the server cannot encrypt inside arrays.
func valueAt(doc bson.Raw, path string) (v bson.RawValue, inArray string) {
	keys := strings.Split(path, ".")
	cur := doc
	for i, key := range keys {
		val, err := cur.LookupErr(key)
		if err != nil {
			return bson.RawValue{}, ""
		}
		if i == len(keys)-1 {
			return val, ""
		}
		switch val.Type {
		case bson.TypeEmbeddedDocument:
			cur = val.Document()
		case bson.TypeArray:
			return bson.RawValue{}, strings.Join(keys[:i+1], ".")
		default:
			return bson.RawValue{}, "" // no document there, so no value either
		}
	}
	return bson.RawValue{}, ""
}

// sourceProblems are what makes a source document unfit before it is
// converted: an encrypted path inside an array, null, or a value of
// another BSON type than the model's (numbers may still convert).
func sourceProblems(doc bson.Raw, fields []schema.Field) []Problem {
	var out []Problem
	for _, f := range fields {
		v, inArray := valueAt(doc, f.Path)
		switch {
		case inArray != "":
			out = append(out, Problem{f.Path, fmt.Sprintf("inside the array %s, and the server cannot encrypt inside arrays", inArray)})
		case v.Type == 0:
		case v.Type == bson.TypeNull || v.Type == bson.TypeUndefined:
			out = append(out, Problem{f.Path, "null, and null cannot be encrypted"})
		case f.BSONType.Known() && v.Type != f.BSONType.Type() && !(isNumber(v.Type) && isNumber(f.BSONType.Type())):
			out = append(out, Problem{f.Path, fmt.Sprintf("BSON %s, and the model encrypts %s", v.Type, f.BSONType)})
		}
	}
	return out
}

func isNumber(t bson.Type) bool {
	return t == bson.TypeInt32 || t == bson.TypeInt64 || t == bson.TypeDouble || t == bson.TypeDecimal128
}

// encryptProblems are what libmongocrypt or the server would refuse in
// the document about to be encrypted: the checks run before the insert
// so that the refusal names the path and the reason, never the value
// (libmongocrypt's own messages quote it).
func encryptProblems(doc bson.Raw, fields []schema.Field) []Problem {
	var out []Problem
	for _, f := range fields {
		v, inArray := valueAt(doc, f.Path)
		var why string
		switch {
		case inArray != "":
			why = fmt.Sprintf("inside the array %s, and the server cannot encrypt inside arrays", inArray)
		case v.Type == 0:
			continue // absent: nothing to encrypt
		case v.Type == bson.TypeNull || v.Type == bson.TypeUndefined:
			why = "null, and null cannot be encrypted"
		case f.BSONType.Known() && v.Type != f.BSONType.Type():
			why = fmt.Sprintf("BSON %s, and the collection encrypts %s", v.Type, f.BSONType)
		case v.Type == bson.TypeTimestamp && isZeroTimestamp(v):
			why = "Timestamp(0, 0), which the server cannot encrypt"
		default:
			why = queryProblem(f, v)
		}
		if why != "" {
			out = append(out, Problem{f.Path, why})
		}
	}
	return out
}

func isZeroTimestamp(v bson.RawValue) bool {
	t, i := v.Timestamp()
	return t == 0 && i == 0
}

// queryProblem checks v against the options of f's queries.
func queryProblem(f schema.Field, v bson.RawValue) string {
	for _, q := range f.Queries {
		if r := q.Range; r != nil {
			if why := rangeProblem(r, v); why != "" {
				return why
			}
		}
		if t := q.Text; t != nil {
			if why := textProblem(q.Kind(), t, v); why != "" {
				return why
			}
		}
	}
	return ""
}

// rangeProblem: range fields take finite numbers within the bounds.
func rangeProblem(r *schema.RangeOptions, v bson.RawValue) string {
	if v.Type == bson.TypeDouble && (math.IsNaN(v.Double()) || math.IsInf(v.Double(), 0)) ||
		v.Type == bson.TypeDecimal128 && !isFinite(v.Decimal128()) {
		return "not a finite number, and range fields take finite numbers only"
	}
	if r.Min.Type != 0 {
		if c, ok := compareBound(v, r.Min); ok && c < 0 {
			return "below the min the collection's range allows"
		}
	}
	if r.Max.Type != 0 {
		if c, ok := compareBound(v, r.Max); ok && c > 0 {
			return "above the max the collection's range allows"
		}
	}
	return ""
}

func isFinite(d bson.Decimal128) bool { _, ok := schema.ExactDecimal(d); return ok }

// compareBound orders a range value and a bound of the field's type.
func compareBound(v, bound bson.RawValue) (int, bool) {
	if v.Type == bson.TypeDateTime && bound.Type == bson.TypeDateTime {
		a, b := v.DateTime(), bound.DateTime()
		switch {
		case a < b:
			return -1, true
		case a > b:
			return 1, true
		}
		return 0, true
	}
	x, ok1 := schema.Number(v)
	y, ok2 := schema.Number(bound)
	if !ok1 || !ok2 {
		return 0, false
	}
	return x.Cmp(y), true
}

// textProblem: text fields take valid UTF-8, and substring fields no
// more than strMaxLength code points, counted before case and diacritic
// folding (measured with libmongocrypt 1.21.1: 60 "e" + U+0301 count 120
// even without diacritic sensitivity).
func textProblem(kind schema.Kind, t *schema.TextOptions, v bson.RawValue) string {
	s := v.StringValue()
	if !utf8.ValidString(s) {
		return "not valid UTF-8, which text queries need"
	}
	if kind == schema.Substring && t.StrMaxLength != nil && utf8.RuneCountInString(s) > int(*t.StrMaxLength) {
		return fmt.Sprintf("longer than the %d characters the collection's substring index takes (strMaxLength)", *t.StrMaxLength)
	}
	return ""
}
