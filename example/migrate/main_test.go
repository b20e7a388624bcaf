package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/qe/migrate"
)

func TestUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "-from is required"},
		{[]string{"-from", "p", "-to", "doctors"}, `-to "doctors": use patients or appointments`},
		{[]string{"-from", "patients", "-to", "patients"}, "-from and -to are both patients"},
		{[]string{"-from", "p", "-to", "patients", "-mode", "magic"}, `-mode "magic"`},
		{[]string{"-from", "p", "-to", "patients", "-rate", "0"}, `-rate "0": use documents per second, or inf`},
		{[]string{"-from", "p", "-to", "patients", "-read-rate", "fast"}, `-read-rate "fast"`},
		{[]string{"-from", "p", "-to", "patients", "-batch", "0"}, "-batch 0"},
		{[]string{"-from", "p", "-to", "patients", "-verify", "some"}, `-verify "some": use all, or a number`},
		{[]string{"-from", "p", "-to", "patients", "-dry-run", "-verify", "all"}, "-dry-run reads only"},
		{[]string{"-from", "p", "-to", "patients", "extra"}, `unexpected arguments ["extra"]`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tt.args, func(string) string { return "" }, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("migrate %q: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}

func TestSettings(t *testing.T) {
	o, err := parseOptions([]string{"-from", "old", "-to", "appointments", "-rate", "inf", "-verify", "25", "-batch", "10"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.rate != migrate.Unlimited || o.verify != 25 || o.batch != 10 || o.readRate != migrate.DefaultReadRate || o.mode != "explicit" || o.database != "medical_records" {
		t.Errorf("settings %+v", o)
	}
	if o, _ := parseOptions([]string{"-from", "a", "-to", "patients"}, &bytes.Buffer{}); o.verify != -1 || o.rate != migrate.DefaultRate {
		t.Errorf("defaults %+v: want no verification and the default rate", o)
	}
}

func TestNeedsServerAndLibmongocrypt(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-from", "patients_plain", "-to", "patients"}
	if code := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "MONGODB_URI") {
		t.Errorf("without MONGODB_URI: exit %d, %q", code, stderr.String())
	}
	if qe.LibmongocryptVersion() != "" {
		return
	}
	stderr.Reset()
	env := func(k string) string { return map[string]string{"MONGODB_URI": "mongodb://127.0.0.1:1"}[k] }
	if code := run(context.Background(), args, env, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "-tags cse") {
		t.Errorf("without libmongocrypt: exit %d, %q", code, stderr.String())
	}
}
