// Command gen writes table.go of package gs1 from the GS1 Barcode Syntax Dictionary.
//
// Run it with `go generate ./labels/gs1`; it reads internal/gen/gs1-syntax-dictionary.txt
// and writes table.go, both relative to the package directory.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/shipshape-oms/shipshape/labels/gs1/internal/dict"
)

func main() {
	in := flag.String("in", "internal/gen/gs1-syntax-dictionary.txt", "dictionary to read")
	out := flag.String("out", "table.go", "Go file to write")
	flag.Parse()

	src, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	code, err := dict.Generate(src)
	if err != nil {
		log.Fatalf("generate %s: %v", *in, err)
	}
	if err := os.WriteFile(*out, code, 0o644); err != nil {
		log.Fatal(err)
	}
}
