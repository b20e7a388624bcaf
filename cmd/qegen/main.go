// Qegen generates MongoDB Queryable Encryption code from annotated Go structs.
//
// Mark each struct that maps a collection with a directive in its doc
// comment, tag the fields to encrypt, and run qegen (usually through
// //go:generate go tool qegen):
//
//	//qegen:collection patients
//	type Patient struct {
//		Name   string `bson:"name"`
//		SSN    string `bson:"ssn" qe:"equality"`
//		Record Record `bson:"record" qe:"encrypt"`
//	}
//
// For every file that declares such a struct, qegen writes <file>_qe.go
// beside it: the collection's encryptedFields document, its spec (from
// which qe.CreateCollection creates data keys and the collection), typed
// filter fields whose query methods exist only where the server can
// answer them, and a repository.
//
// The manual, as qegen -h prints it:
//
//	usage: qegen [flags] [packages]
//
//	Generates <file>_qe.go beside every Go file that declares a struct marked
//	//qegen:collection NAME. Packages default to "."; ./... works.
//
//	Flags:
//	  -check     exit 1 if generated files are missing, stale (with a short
//	             diff) or orphaned; write nothing. CI runs: qegen -check ./...
//	  -list      print a table per collection: every path, its Go and BSON
//	             types, whether it is encrypted, and how it can be queried
//	  -map       print every collection's encryptedFields as one canonical
//	             Extended JSON object keyed by collection name
//	  -o FILE    with -map: write the JSON to FILE
//	  -server R  target release: 7.0, 8.0 (default), 8.2 or 9.0; it decides
//	             which query kinds exist and how the server names them
//	  -tags T    comma-separated build tags for loading packages
//	  -v         list the files written, removed or unchanged
//	  -version   print qegen's version
//
//	Field tags:  qe:"KIND[,KIND...][,OPTION=VALUE...]"
//	  kinds:    encrypt (encrypted, not queryable), equality,
//	            range, prefix, suffix, substring
//	  needs:    range: -server 8.0; prefix, suffix, substring: -server 8.2
//	            (preview names) or 9.0; only prefix and suffix combine
//	  options:  contention=N (equality and other query kinds; default 8)
//	            min, max, sparsity, trimFactor, precision (range)
//	            strMinQueryLength, strMaxQueryLength, strMaxLength,
//	            caseSensitive, diacriticSensitive (prefix, suffix, substring)
//	  example:  SSN string `bson:"ssn" qe:"equality,contention=4"`
//
//	The document key is the bson tag's name, or the lower-cased Go name.
//
//	Directives, in the doc comment of a collection's struct type:
//	  //qegen:collection NAME   map the struct to the collection NAME
//	  //qegen:server X.Y        the target release of this collection only
//	  //qegen:shardkey F[,F]    its shard key, fields in clear; F:hashed for one
//
//	Exit status: 0 ok, 1 invalid models or stale files, 2 usage. Problems go
//	to stderr as file:line:col: message; warnings do not change the status.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
