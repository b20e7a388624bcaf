package qe

import (
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/mongocrypt"
)

// WithheldError replaces an error whose message can quote the plaintext of
// an encrypted value, so that logging it is safe: libmongocrypt refusing a
// value ("... got min: 0, max: 100, value: 250"), or the driver encoding
// or decoding one ("300 overflows int8"). It keeps what to act on: the
// operation, the document path when known, and libmongocrypt's code. It
// does not unwrap to the original error, which would let a logger that
// walks error chains print the value after all.
type WithheldError struct {
	Op   string // what failed, e.g. "encrypting patient_record.ssn"
	Path string // the document path, when the driver named it
	Code int32  // libmongocrypt's error code; 0 for encoding and decoding
	kind withheldKind
}

type withheldKind uint8

const (
	refused withheldKind = iota
	encoding
	decoding
)

func (e *WithheldError) Error() string {
	var b strings.Builder
	b.WriteString("qe: ")
	b.WriteString(e.Op)
	if e.Path != "" {
		fmt.Fprintf(&b, " (at %s)", e.Path)
	}
	switch e.kind {
	case refused:
		fmt.Fprintf(&b, ": libmongocrypt refused it (error %d); its message is withheld because it can quote the value: check the value against the field's type and query options", e.Code)
	case encoding:
		b.WriteString(": the driver could not encode the value; its message is withheld because it can quote the value: check the Go value against the field's type")
	case decoding:
		b.WriteString(": the stored value does not decode into the model's Go type; the driver's message is withheld because it can quote the value: check the model against the data")
	}
	return b.String()
}

// withhold replaces err with a *WithheldError when its message can quote
// an encrypted value; other errors (network, context, the server's) are
// returned unchanged. The server never sees plaintext, so its messages
// cannot quote it.
func withhold(op string, err error) error {
	if err == nil {
		return nil
	}
	var me mongo.MongocryptError
	var ce mongocrypt.Error
	var de *bson.DecodeError
	var we *WithheldError
	var mae mongo.MarshalError
	switch {
	case errors.As(err, &we):
		return err
	case errors.As(err, &mae):
		return &WithheldError{Op: op, kind: encoding}
	case errors.As(err, &me):
		return &WithheldError{Op: op, Code: me.Code, kind: refused}
	case errors.As(err, &ce):
		return &WithheldError{Op: op, Code: ce.Code, kind: refused}
	case errors.As(err, &de):
		return &WithheldError{Op: op, Path: strings.Join(de.Keys(), "."), kind: decoding}
	}
	return err
}

// withholdEncoding replaces an error of encoding a value bound for
// encryption, whatever its kind.
func withholdEncoding(op string, err error) error {
	if err == nil {
		return nil
	}
	return &WithheldError{Op: op, kind: encoding}
}
