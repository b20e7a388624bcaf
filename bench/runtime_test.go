package main

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// BenchmarkRuntime runs every pair as generated/ and handwritten/
// sub-benchmarks, for benchstat: go test ./bench -bench Runtime -count 10.
func BenchmarkRuntime(b *testing.B) {
	for _, p := range runtimePairs {
		name := strings.NewReplacer(": ", "_", " ", "_").Replace(p.name)
		for side, fn := range map[string]func(){"generated": p.generated, "handwritten": p.handwritten} {
			b.Run(name+"/"+side, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					fn()
				}
			})
		}
	}
}

// TestPairsDoTheSameWork checks that each generated side produces the same
// document, or finds the same documents, as its hand-written side, so the
// comparison is fair.
func TestPairsDoTheSameWork(t *testing.T) {
	output := func(fn func()) any {
		sinkD, sinkRaw, sinkPatients, sinkErr = nil, nil, nil, nil
		fn()
		if sinkErr != nil {
			t.Fatal(sinkErr)
		}
		switch {
		case sinkRaw != nil:
			return append(bson.Raw(nil), sinkRaw...)
		case sinkD != nil:
			return sinkD
		case sinkPatients != nil:
			return bson.D{{Key: "patients", Value: sinkPatients}}
		}
		t.Fatal("the pair's function sets no sink")
		return nil
	}
	for _, p := range runtimePairs {
		got, want := output(p.generated), output(p.handwritten)
		if !sameBSON(t, got, want) {
			t.Errorf("%s: generated %v, hand-written %v", p.name, got, want)
		}
	}
	if len(sinkPatients) != 10 {
		t.Errorf("the find pair found %d patients, want a page of 10", len(sinkPatients))
	}
}

func sameBSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err1 := marshal(a)
	y, err2 := marshal(b)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	return string(x) == string(y)
}

// marshal gives the BSON bytes of a document, whatever its Go form.
func marshal(v any) ([]byte, error) {
	switch v := v.(type) {
	case []byte:
		return v, nil
	case bson.Raw:
		return v, nil
	}
	return bson.Marshal(v)
}
