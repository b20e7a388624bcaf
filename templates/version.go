package templates

import "github.com/dave/jennifer/jen"

// generatedVersion is the version of generated code this qegen writes; it
// must be within qeimpl.MinVersion and qeimpl.MaxVersion of the qe it
// compiles with (qeimpl.GenVersion, for this release).
const generatedVersion = 2

// versionCheck emits the lines that stop compiling when this file and
// package qe come from qegen releases that do not fit together.
func versionCheck(file *jen.File) {
	file.Comment("When these lines do not compile, this file and package qe come from")
	file.Comment("qegen releases that do not fit together: run go generate with the qegen")
	file.Comment("that go.mod requires.")
	file.Const().Defs(
		jen.Id("_").Op("=").Qual(qeimplPkg, "EnforceVersion").Call(jen.Lit(generatedVersion).Op("-").Qual(qeimplPkg, "MinVersion")),
		jen.Id("_").Op("=").Qual(qeimplPkg, "EnforceVersion").Call(jen.Qual(qeimplPkg, "MaxVersion").Op("-").Lit(generatedVersion)),
	)
	file.Line()
}
