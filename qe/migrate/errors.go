package migrate

import (
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/mongocrypt"

	"github.com/qegen/qegen/qe"
)

// TargetError says why the target cannot take the documents.
type TargetError struct {
	Namespace string
	Missing   bool     // the collection does not exist
	Diffs     []string // how it differs from the model
}

func (e *TargetError) Error() string {
	if e.Missing {
		return fmt.Sprintf("qe/migrate: the target %s does not exist: create it first with qe.CreateCollection and the generated XSpec(), which also makes its data keys", e.Namespace)
	}
	return fmt.Sprintf("qe/migrate: the target %s does not fit the model, so nothing is written to it:\n\t%s\n"+
		"write into a collection that qe.CreateCollection made from the generated XSpec() of this model", e.Namespace, strings.Join(e.Diffs, "\n\t"))
}

// InsertError is an insert that failed. It keeps the server's error codes
// and messages, but not libmongocrypt's message, which can quote the value
// it refused, nor a write error's details, which can hold the document.
type InsertError struct {
	ID    string // the source document's _id, as Extended JSON
	Codes []int  // the server's or libmongocrypt's error codes
	msg   string
}

func (e *InsertError) Error() string {
	return fmt.Sprintf("qe/migrate: inserting the source document with _id %s: %s", e.ID, e.msg)
}

// insertError describes err without the values it may quote. Errors of
// other kinds (network, context) are wrapped as they are.
func insertError(id string, err error) error {
	var me mongo.MongocryptError
	var ce mongocrypt.Error
	var withheld *qe.WithheldError
	switch {
	case errors.As(err, &withheld) && withheld.Code != 0:
		return &InsertError{ID: id, Codes: []int{int(withheld.Code)}, msg: libmongocryptRefused(withheld.Code)}
	case errors.As(err, &withheld):
		return &InsertError{ID: id, msg: withheld.Error()}
	case errors.As(err, &me):
		return &InsertError{ID: id, Codes: []int{int(me.Code)}, msg: libmongocryptRefused(me.Code)}
	case errors.As(err, &ce):
		return &InsertError{ID: id, Codes: []int{int(ce.Code)}, msg: libmongocryptRefused(ce.Code)}
	}
	var we mongo.WriteException
	if errors.As(err, &we) {
		e := &InsertError{ID: id}
		var msgs []string
		for _, w := range we.WriteErrors {
			e.Codes = append(e.Codes, w.Code)
			msgs = append(msgs, fmt.Sprintf("%s (code %d)", w.Message, w.Code))
		}
		if w := we.WriteConcernError; w != nil {
			e.Codes = append(e.Codes, w.Code)
			msgs = append(msgs, fmt.Sprintf("write concern: %s (code %d)", w.Message, w.Code))
		}
		e.msg = strings.Join(msgs, "; ")
		return e
	}
	return fmt.Errorf("qe/migrate: inserting the source document with _id %s: %w", id, err)
}

func libmongocryptRefused(code int32) string {
	return fmt.Sprintf("libmongocrypt refused to encrypt it (error %d; its message is not shown, as it can quote the value): DryRun lists the reason when it is one qegen knows", code)
}
