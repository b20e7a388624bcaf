// Command fieldgen writes qe's field types (fields_gen.go) from the table
// below. Every type declares its whole method set itself, on pointer
// receivers, over the one underlying fieldRef: a generic type that embeds
// another, or has value receivers, makes the compiler build wrapper
// methods for every instantiation in every package that uses it, which
// was most of the cost of compiling generated code (issue 12). The table
// keeps the methods the types share written once.
//
//	go generate ./qe
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"slices"
	"strings"

	"github.com/qegen/qegen/internal/fieldtypes"
)

// method is one method of a field type; T in params and body stands for
// the type's value type.
type method struct {
	name, params, result, body, doc string
}

// fieldType is one field type: its name, its type parameter ("" for a
// non-generic type), the value type T stands for, its kind and methods.
type fieldType struct {
	name, param, value, kind, doc string
	methods                       []method
}

func m(name, params, result, body, doc string) method {
	return method{name, params, result, body, doc}
}

var (
	eq     = m("Eq", "v T", "Filter", "compare(f.ref(), opEq, v)", "Eq matches documents whose field equals v.")
	ne     = m("Ne", "v T", "Filter", "compare(f.ref(), opNe, v)", "Ne matches documents whose field differs from v or is missing.")
	in     = m("In", "values ...T", "Filter", "compare(f.ref(), opIn, list(values))", "In matches documents whose field equals one of values.")
	nin    = m("Nin", "values ...T", "Filter", "compare(f.ref(), opNin, list(values))", "Nin matches documents whose field equals none of values.")
	exists = m("Exists", "exists bool", "Filter", "compare(f.ref(), opExists, exists)", "Exists matches documents that have (or, with false, lack) the field.")
	lt     = m("Lt", "v T", "Filter", "compare(f.ref(), opLt, v)", "Lt matches documents whose field is below v.")
	lte    = m("Lte", "v T", "Filter", "compare(f.ref(), opLte, v)", "Lte matches documents whose field is at most v.")
	gt     = m("Gt", "v T", "Filter", "compare(f.ref(), opGt, v)", "Gt matches documents whose field is above v.")
	gte    = m("Gte", "v T", "Filter", "compare(f.ref(), opGte, v)", "Gte matches documents whose field is at least v.")
	betw   = m("Between", "lo, hi T", "Filter", "between(f.ref(), lo, hi)", "Between matches documents whose field is in [lo, hi], both included.")

	setPlain     = m("Set", "v T", "Update", "update(opSet, f.ref(), v)", "Set sets the field to v ($set).")
	setEncrypted = m("Set", "v T", "Update", "update(opSet, f.ref(), v)", "Set sets the field to v ($set); explicit mode encrypts v.")
	unset        = m("Unset", "", "Update", `update(opUnset, f.ref(), "")`, "Unset removes the field from a document ($unset).")
	inc          = m("Inc", "n T", "Update", "update(opInc, f.ref(), n)", "Inc adds n to the field ($inc).")

	asc  = m("Asc", "", "SortKey", "sortKey(f.ref(), 1)", "Asc sorts by the field, smallest first. Only fields stored in clear\nhave it: the server cannot sort by an encrypted field.")
	desc = m("Desc", "", "SortKey", "sortKey(f.ref(), -1)", "Desc sorts by the field, largest first.")

	startsWith = m("StartsWith", "prefix string", "Filter", "compare(f.ref(), opStartsWith, prefix)", "StartsWith matches documents whose field starts with prefix.")
	endsWith   = m("EndsWith", "suffix string", "Filter", "compare(f.ref(), opEndsWith, suffix)", "EndsWith matches documents whose field ends with suffix.")
	contains   = m("Contains", "substring string", "Filter", "compare(f.ref(), opContains, substring)", "Contains matches documents whose field contains substring.")
	regex      = m("Regex", "pattern, options string", "Filter", "compare(f.ref(), opRegex, bson.Regex{Pattern: pattern, Options: options})", "Regex matches documents whose field matches the regular expression\npattern, with the server's options (\"i\", \"m\", \"x\", \"s\").")

	arrayContains = m("Contains", "e T", "Filter", "compare(f.ref(), opEq, e)", "Contains matches documents whose array has an element equal to e.")
	containsAll   = m("ContainsAll", "elements ...T", "Filter", "compare(f.ref(), opContainsAll, list(elements))", "ContainsAll matches documents whose array has every one of elements.")
	size          = m("Size", "n int", "Filter", "compare(f.ref(), opSize, n)", "Size matches documents whose array has n elements.")
	setArray      = m("Set", "elements []T", "Update", "update(opSet, f.ref(), elements)", "Set sets the whole array ($set).")
	push          = m("Push", "elements ...T", "Update", "update(opPush, f.ref(), list(elements))", "Push appends elements ($push with $each).")
	addToSet      = m("AddToSet", "elements ...T", "Update", "update(opAddToSet, f.ref(), list(elements))", "AddToSet appends the elements the array does not hold yet ($addToSet).")
	pull          = m("Pull", "e T", "Update", "update(opPull, f.ref(), e)", "Pull removes every element equal to e ($pull).")
)

func join(groups ...[]method) []method {
	var out []method
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

var (
	equality = []method{eq, ne, in, nin, exists}
	order    = []method{lt, lte, gt, gte, betw}
	sorting  = []method{asc, desc}
)

var fieldTypes = []fieldType{
	{"EncryptedField", "V", "V", "encryptedKind",
		"EncryptedField is a field encrypted without queries: it can be set and\nunset, never compared.",
		[]method{setEncrypted, unset}},
	{"EqualityField", "V", "V", "equalityKind",
		"EqualityField is a field encrypted for equality queries, holding values\nof type V.",
		join(equality, []method{setEncrypted, unset})},
	{"RangeField", "V", "V", "rangeKind",
		"RangeField is a field encrypted for range queries. The server also\nanswers equality on it, as a range of one value.",
		join(equality, order, []method{setEncrypted, unset})},
	{"PrefixField", "", "string", "prefixKind",
		"PrefixField is a string field encrypted for prefix queries.",
		[]method{startsWith, setEncrypted, unset}},
	{"SuffixField", "", "string", "suffixKind",
		"SuffixField is a string field encrypted for suffix queries.",
		[]method{endsWith, setEncrypted, unset}},
	{"PrefixSuffixField", "", "string", "prefixSuffixKind",
		"PrefixSuffixField is a string field encrypted for prefix and suffix\nqueries.",
		[]method{startsWith, endsWith, setEncrypted, unset}},
	{"SubstringField", "", "string", "substringKind",
		"SubstringField is a string field encrypted for substring queries.",
		[]method{contains, setEncrypted, unset}},
	{"PlainField", "V", "V", "plainKind",
		"PlainField is an unencrypted field holding values of type V.",
		join(equality, []method{setPlain, unset}, sorting)},
	{"OrderedField", "V", "V", "plainKind",
		"OrderedField is an unencrypted field whose values have an order.",
		join(equality, order, []method{setPlain, unset}, sorting)},
	{"NumberField", "V", "V", "plainKind",
		"NumberField is an unencrypted number field.",
		join(equality, order, []method{setPlain, inc, unset}, sorting)},
	{"StringField", "", "string", "plainKind",
		"StringField is an unencrypted string field.",
		join(equality, order, []method{regex, setPlain, unset}, sorting)},
	{"ArrayField", "E", "E", "plainKind",
		"ArrayField is an unencrypted array field whose elements are of type E.",
		[]method{arrayContains, containsAll, size, exists, setArray, push, addToSet, pull, unset}},
}

// render returns fields_gen.go.
func render() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by qe/internal/fieldgen. DO NOT EDIT.\n\npackage qe\n\nimport (\n\t\"time\"\n\n\t\"go.mongodb.org/mongo-driver/v2/bson\"\n)\n")
	for _, t := range withTwins(fieldTypes) {
		recv, typ := "*"+t.name, t.name
		if t.param != "" {
			recv += "[" + t.param + "]"
			typ += "[" + t.param + " any]"
		}
		fmt.Fprintf(&b, "\n%s\ntype %s fieldRef\n\n", comment(t.doc), typ)
		fmt.Fprintf(&b, "func (f %s) ref() *fieldRef   { return (*fieldRef)(f) }\n", recv)
		fmt.Fprintf(&b, "func (%s) typeKind() fieldKind { return %s }\n\n", recv, t.kind)
		fmt.Fprintf(&b, "// Path is the field's document path.\nfunc (f %s) Path() string { return f.ref().Path() }\n", recv)
		for _, m := range t.methods {
			params := strings.ReplaceAll(m.params, "T", t.value)
			fmt.Fprintf(&b, "\n%s\nfunc (f %s) %s(%s) %s { return %s }\n", comment(m.doc), recv, m.name, params, m.result, m.body)
		}
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting: %v\n%s", err, b.Bytes())
	}
	return src, nil
}

// withTwins is types followed, for each generic one, by its twins from
// package fieldtypes: the same methods, with the value type written out.
func withTwins(types []fieldType) []fieldType {
	out := append([]fieldType(nil), types...)
	for _, twins := range fieldtypes.All {
		i := slices.IndexFunc(types, func(t fieldType) bool { return t.name == twins.Generic })
		if i < 0 || types[i].param == "" {
			panic("fieldtypes names " + twins.Generic + ", which is not a generic field type")
		}
		g := types[i]
		for _, v := range twins.Values {
			name := fieldtypes.Name(g.name, v)
			out = append(out, fieldType{
				name: name, value: v.Source, kind: g.kind, methods: g.methods,
				doc: fmt.Sprintf("%s is %s[%s] without type parameters:\ngenerated code that uses it compiles no instantiation.", name, g.name, v.Source),
			})
		}
	}
	return out
}

func comment(doc string) string {
	return "// " + strings.ReplaceAll(doc, "\n", "\n// ")
}

func main() {
	out := flag.String("o", "fields_gen.go", "file to write")
	flag.Parse()
	src, err := render()
	if err == nil {
		err = os.WriteFile(*out, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fieldgen:", err)
		os.Exit(1)
	}
}
