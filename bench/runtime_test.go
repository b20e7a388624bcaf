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
// document as its hand-written side, so the comparison is fair.
func TestPairsDoTheSameWork(t *testing.T) {
	for _, p := range runtimePairs[:4] {
		p.generated()
		got := sinkD
		p.handwritten()
		if !sameBSON(t, got, sinkD) {
			t.Errorf("%s: generated %v, hand-written %v", p.name, got, sinkD)
		}
	}
	p := runtimePairs[4]
	p.generated()
	if sinkErr != nil {
		t.Fatal(sinkErr)
	}
	got := append([]byte(nil), sinkRaw...)
	p.handwritten()
	if sinkErr != nil {
		t.Fatal(sinkErr)
	}
	if !sameBSON(t, got, sinkRaw) {
		t.Errorf("%s: generated %s, hand-written %s", p.name, bson.Raw(got), sinkRaw)
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
