package main

// compilation is the cost of building and vetting the synthetic package
// with its generated code and without, at one size.
type compilation struct {
	size            int
	build, buildGen cost // go build of the package, without and with generated code
	vet, vetGen     cost // go vet of the package, without and with generated code
}

// measureCompilation times go build and go vet of the package, runs
// times each after touching a comment, so that the go command compiles
// (or vets) that package and takes every dependency from the build cache.
// One untimed round first fills the cache.
func measureCompilation(p *pair, runs int) (compilation, error) {
	c := compilation{size: p.size}
	if err := generate(p.gen); err != nil {
		return c, err
	}
	var b, bg, v, vg []cost
	for i := range runs + 1 {
		for _, step := range []struct {
			args          []string
			without, with *[]cost
		}{{[]string{"build", modelsPattern}, &b, &bg}, {[]string{"vet", modelsPattern}, &v, &vg}} {
			if err := p.touch(); err != nil {
				return c, err
			}
			without, err := measure(p.floor, "go", step.args...)
			if err != nil {
				return c, err
			}
			with, err := measure(p.gen, "go", step.args...)
			if err != nil {
				return c, err
			}
			if i > 0 {
				*step.without, *step.with = append(*step.without, without), append(*step.with, with)
			}
		}
	}
	c.build, c.buildGen, c.vet, c.vetGen = medians(b), medians(bg), medians(v), medians(vg)
	return c, nil
}
