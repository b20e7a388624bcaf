package generator

import (
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
