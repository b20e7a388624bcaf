package qe

import (
	"errors"
	"strings"
	"testing"

	"github.com/qegen/qegen/schema"
)

// specWith is a collection whose only field uses queryType.
func specWith(queryType string) CollectionSpec {
	field := schema.Field{Path: "f", BSONType: schema.String}
	if queryType != "" {
		field.Queries = []schema.Query{{Type: queryType, Contention: 8}}
	}
	return specOf("c", field)
}

func TestCheckLibmongocrypt(t *testing.T) {
	tests := []struct {
		queryType, version string
		want               string // part of the error; "" for none
	}{
		{"", "1.8.0", ""},
		{"equality", "1.7.2", "Queryable Encryption v2 needs 1.8.0"},
		{"range", "1.10.1", "range queries need 1.11.0"},
		{"range", "1.11.0", ""},
		{"rangePreview", "1.11.0", "rangePreview was removed in 1.11.0"},
		{"prefix", "1.18.1", "prefix and suffix queries need 1.19.0"},
		{"suffix", "1.19.0", ""},
		{"substring", "1.19.1", "substring queries need 1.20.0"},
		{"substring", "1.21.1", ""},
		{"prefixPreview", "1.19.0", "1.19.1 to 1.20.x"},
		{"prefixPreview", "1.19.1", ""},
		{"suffixPreview", "1.20.9", ""},
		{"substringPreview", "1.21.0", "1.19.1 to 1.20.x"},
		{"substringPreview", "1.22.0-20270101+git0123", "1.19.1 to 1.20.x"},
	}
	for _, tt := range tests {
		err := checkLibmongocrypt(tt.version, specWith(tt.queryType))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s with %s: %v", tt.queryType, tt.version, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s with %s = %v, want an error saying %q", tt.queryType, tt.version, err, tt.want)
		case tt.want != "" && !strings.Contains(err.Error(), "libmongocrypt "+tt.version):
			t.Errorf("%s with %s = %v, want an error naming %s and %q", tt.queryType, tt.version, err, tt.version, tt.want)
		}
	}
	if err := checkLibmongocrypt("", specWith("equality")); !errors.Is(err, ErrNoLibmongocrypt) {
		t.Errorf("without libmongocrypt = %v, want ErrNoLibmongocrypt", err)
	}
}

// versionedRecorder is an Encrypter that says which libmongocrypt it is.
type versionedRecorder struct {
	exprRecorder
	version string
}

func (v versionedRecorder) libmongocryptVersion() string { return v.version }

func TestNewExplicitChecksLibmongocrypt(t *testing.T) {
	if _, err := NewExplicit(&versionedRecorder{version: "1.21.1"}, "db", specWith("prefixPreview")); err == nil || !strings.Contains(err.Error(), "regenerate for MongoDB 9.0") {
		t.Errorf("NewExplicit for the 8.2 preview with 1.21.1 = %v, want the fix", err)
	}
	if _, err := NewExplicit(&versionedRecorder{version: "1.20.0"}, "db", specWith("prefixPreview")); err != nil {
		t.Errorf("NewExplicit for the 8.2 preview with 1.20.0: %v", err)
	}
	// Fakes that do not say which libmongocrypt they are are not checked.
	if _, err := NewExplicit(&exprRecorder{}, "db", specWith("prefixPreview")); err != nil {
		t.Errorf("NewExplicit with a fake: %v", err)
	}
}
