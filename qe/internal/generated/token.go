// Package generated marks the functions of package qe that only generated
// code may call: they take a Token, which only package qeimpl can make.
package generated

// Token is passed by qeimpl to the functions of qe it wraps.
type Token struct{}
