package generator

import (
	"go/token"
	"go/types"
	"strings"
	"unicode"
)

// namesFor derives every identifier generated for a collection from the
// Go name of its root type.
func namesFor(goName string) Names {
	lower := lowerFirst(goName)
	return Names{
		Collection:          goName + "Collection",
		EncryptedFieldsJSON: goName + "EncryptedFieldsJSON",
		Spec:                goName + "Spec",
		SpecVar:             lower + "Spec",
		Create:              "Create" + goName + "Collection",
		Drop:                "Drop" + goName + "Collection",
		Fields:              goName + "Fields",
		FieldsVar:           lower + "Fields",
		Where:               goName + "Where",
		Repository:          goName + "Repository",
		NewRepository:       "New" + goName + "Repository",
	}
}

// lowerFirst lower-cases the leading capitals of an identifier, keeping
// the one that starts the next word: Patient -> patient, HTTPLog -> httpLog.
func lowerFirst(name string) string {
	runes := []rune(name)
	upper := 0
	for upper < len(runes) && unicode.IsUpper(runes[upper]) {
		upper++
	}
	if upper > 1 && upper < len(runes) {
		upper--
	}
	return strings.ToLower(string(runes[:upper])) + string(runes[upper:])
}

// findersFor names the query methods of an equality field: a lookup of
// one document is where a method pays; every other query goes through the
// typed filter, which is as short.
func findersFor(f *Field) []Finder {
	if f.Schema == nil || !f.Schema.Has("equality") {
		return nil
	}
	param := paramName(f.GoPath[len(f.GoPath)-1])
	return []Finder{{Name: "FindOneBy" + f.GoName, Param: param, One: true}}
}

// paramName turns a Go field name into a parameter name: SSN -> ssn,
// PatientID -> patientID. Names the generated bodies use are avoided.
func paramName(field string) string {
	name := lowerFirst(field)
	if token.IsKeyword(name) || types.Universe.Lookup(name) != nil || reservedParams[name] {
		return "value"
	}
	return name
}

// reservedParams are names the generated bodies use for themselves.
var reservedParams = map[string]bool{"ctx": true, "r": true, "err": true, "doc": true, "docs": true, "filter": true, "id": true, "coll": true, "opts": true}
