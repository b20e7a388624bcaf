package qe

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// TestWithholdDropsQuotedValues: the driver's and libmongocrypt's own
// errors, made the way they make them, quote the value; what qe returns
// keeps the path and code and nothing of the value.
func TestWithholdDropsQuotedValues(t *testing.T) {
	raw, err := bson.Marshal(bson.D{{Key: "record", Value: bson.D{{Key: "score", Value: int32(31337)}}}})
	if err != nil {
		t.Fatal(err)
	}
	var small struct {
		Record struct {
			Score int8 `bson:"score"`
		} `bson:"record"`
	}
	decodeErr := bson.Unmarshal(raw, &small)
	// mongocrypt.Error's own Error method panics without the cse build
	// tag; the cse tier checks libmongocrypt's real refusals.
	refusal := fmt.Errorf("encrypting: %w", mongo.MongocryptError{Code: 1, Message: "got min: 0, max: 100, value: 31337"})
	for _, tc := range []struct {
		name     string
		err      error
		path     string
		code     int32
		encoding bool
	}{
		{"decoding", decodeErr, "record.score", 0, false},
		{"libmongocrypt", refusal, "", 1, false},
		{"driver's libmongocrypt error", mongo.MongocryptError{Code: 2, Message: "value: 31337"}, "", 2, false},
		{"encoding", mongo.MarshalError{Value: small, Err: errors.New("31337 overflows int8")}, "", 0, true},
	} {
		if !strings.Contains(fmt.Sprintf("%v", tc.err), "31337") {
			t.Fatalf("%s: the original error does not quote the value, so the test proves nothing: %v", tc.name, tc.err)
		}
		got := withhold("FindOne on scores", tc.err)
		var w *WithheldError
		if !errors.As(got, &w) {
			t.Errorf("%s: withhold = %T %v, want *WithheldError", tc.name, got, got)
			continue
		}
		for _, s := range []string{got.Error(), fmt.Sprintf("%+v", got), fmt.Sprintf("%#v", got)} {
			if strings.Contains(s, "31337") {
				t.Errorf("%s: %s quotes the value", tc.name, s)
			}
		}
		if w.Path != tc.path || w.Code != tc.code || !strings.Contains(got.Error(), "FindOne on scores") {
			t.Errorf("%s: %+v, want path %q, code %d and the operation", tc.name, w, tc.path, tc.code)
		}
		if errors.Unwrap(got) != nil {
			t.Errorf("%s: unwraps to the original error, which a logger could print", tc.name)
		}
	}
}

// TestWithholdKeepsOtherErrors: errors that cannot quote a value keep
// their message and identity.
func TestWithholdKeepsOtherErrors(t *testing.T) {
	for _, err := range []error{context.Canceled, mongo.ErrNoDocuments, mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000}}}} {
		if got := withhold("op", err); !reflect.DeepEqual(got, err) {
			t.Errorf("withhold(%v) = %v, want it unchanged", err, got)
		}
	}
	if withhold("op", nil) != nil {
		t.Error("withhold(nil) is not nil")
	}
}
