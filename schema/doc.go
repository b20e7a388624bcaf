// Package schema is qegen's one definition of a Queryable Encryption
// collection's encryptedFields document and of the rules of each MongoDB
// release: which query kinds exist, how the server spells them, which BSON
// types and options they take, their defaults, the algorithm explicit
// encryption uses for them and the libmongocrypt releases that serve them.
//
// The generator writes and validates with it, the qe runtime reads,
// compares and encrypts with it, and qegen -list prints it. A change in
// MongoDB's or libmongocrypt's rules is a change here.
package schema
