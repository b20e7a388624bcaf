// Qegen generates MongoDB Queryable Encryption code from annotated Go structs.
//
// Mark each struct that maps a collection with a directive in its doc
// comment, and tag the fields to encrypt:
//
//	//qegen:collection patients
//	type Patient struct {
//		Name   string `bson:"name"`
//		SSN    string `bson:"ssn" qe:"equality"`
//		Record Record `bson:"record" qe:"encrypt"`
//	}
//
// For every file that declares such a struct, qegen writes <file>_qe.go
// beside it: the collection's encryptedFields document (also as canonical
// Extended JSON), a function that creates data keys and the collection, and a
// typed repository with query functions only for queryable fields.
//
// Usage:
//
//	qegen [flags] [packages]
//
// Packages default to ".". Use it from go generate:
//
//	//go:generate go tool qegen
//
// Flags:
//
//	-map    print the encryptedFields of every collection as one canonical
//	        Extended JSON object keyed by collection name; write nothing
//	-check  exit 1, listing them, if generated files are missing or stale;
//	        write nothing
//	-tags   comma-separated build tags used to load the packages
//	-v      list the files written, removed or unchanged
//
// Exit status: 0 on success, 1 on invalid models or stale files, 2 on usage
// errors. Problems are printed as file:line:col: message.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
