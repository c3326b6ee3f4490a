package imports

import (
	"reflect"
	"strings"
	"testing"

	"github.com/shipshape-oms/shipshape/server/oms"
)

func TestShipshapeCatalog(t *testing.T) {
	const file = "images,sku,title,price,barcodes,bin,description,currency,colour\n" +
		`https://x.test/t.jpg | https://x.test/t2.jpg,TEE-RED-M,"T-shirt, red, M",12.5,` +
		`5012345678900| TEE-RED-M |05012345678900,a-01-03," Soft ""cotton"" ",eur,red` + "\n" +
		",,,,,,,,\n" +
		",MUG-1,Mug,.5,036000291452|0036000291452|00036000291452,,,,\n" +
		",BOX,Box,,,,,,\n"

	want := []oms.Product{
		{
			SKU: "TEE-RED-M", Title: "T-shirt, red, M", Description: `Soft "cotton"`,
			PriceCents: 1250, Currency: "EUR", Stocked: true, Bin: "A-01-03",
			Barcodes: []string{"05012345678900", "TEE-RED-M"},
			Images:   []string{"https://x.test/t.jpg", "https://x.test/t2.jpg"}, Row: 2,
		},
		{
			SKU: "MUG-1", Title: "Mug", PriceCents: 50, Stocked: true,
			Barcodes: []string{"00036000291452"}, Row: 4,
		},
		{SKU: "BOX", Title: "Box", Stocked: true, Row: 5},
	}

	for name, input := range map[string]string{"unix": file, "windows": windows(file)} {
		t.Run(name, func(t *testing.T) {
			got, err := ShipshapeCatalog(strings.NewReader(input))
			if err != nil {
				t.Fatalf("ShipshapeCatalog: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestShipshapeCatalogErrors(t *testing.T) {
	const header = "sku,title,price,barcodes,bin\n"
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"empty file", "", "the file is empty; the first line must be the header"},
		{"missing column", "sku,title,price,barcodes\nA,B,1,\n",
			`missing column "bin"; the header needs "sku", "title", "price", "barcodes" and "bin"`},
		{"column twice", "sku,title,price,barcodes,bin,sku\nA,B,1,,,A\n",
			`column "sku" appears 2 times in the header`},
		{"no sku", header + "A,A,1,,\n ,B,1,,\n", `row 3, column "sku": required`},
		{"no title", header + "A,,1,,\n", `row 2, column "title": required`},
		{"comma decimal", header + `A,B,"4,50",,` + "\n", `row 2, column "price": "4,50" is not a price`},
		{"currency sign", header + "A,B,$4,,\n", `row 2, column "price": "$4" is not a price`},
		{"bad check digit", header + "A,B,1,ABC|5012345678901,\n",
			`row 2, column "barcodes": "5012345678901" is not a valid GTIN: check digit 1 is wrong, expected 0`},
		{"space in code", header + "A,B,1,AB C,\n",
			`row 2, column "barcodes": "AB C" is not a barcode: use printable ASCII without spaces or "|"`},
		{"non-ASCII code", header + "A,B,1,ÄBC,\n",
			`row 2, column "barcodes": "ÄBC" is not a barcode: use printable ASCII without spaces or "|"`},
		{"code on two products", header + "A,A,1,X-1,\nB,B,1,Y|X-1,\n",
			`row 3, column "barcodes": "X-1" is also on row 2`},
		{"GTIN on two products", header + "A,A,1,036000291452,\nB,B,1,0036000291452,\n",
			`row 3, column "barcodes": "0036000291452" is also on row 2`},
		{"duplicate sku", header + "A,A,1,,\nB,B,1,,\nA,C,2,,\n", `row 4, column "sku": "A" is also on row 2`},
		{"bad bin", header + "A,B,1,,A/1\n",
			`row 2, column "bin": "A/1" is not a bin code: use only A-Z, 0-9, "-", "_" and "."`},
		{"bad currency", "sku,title,price,barcodes,bin,currency\nA,B,1,,,EURO\n",
			`row 2, column "currency": "EURO" is not a 3-letter ISO 4217 currency code`},
		{"row too long", header + "A,B,1,,,extra\n", "row 2 has 6 columns but the header has 5"},
		{"multi-line row counts lines", "sku,title,price,barcodes,bin,description\n" +
			"A,T,1,,,\"two\nlines\"\nC,T,x,,,\n",
			`row 4, column "price": "x" is not a price`},
		{"line break in sku", header + "\"A\nB\",T,1,,\n",
			`row 2, column "sku": contains control character U+000A`},
		{"tab in title", header + "A,\"B\tC\",1,,\n",
			`row 2, column "title": contains control character U+0009`},
		{"long sku", header + strings.Repeat("S", 65) + ",T,1,,\n",
			`row 2, column "sku": 65 characters, at most 64`},
		{"tote sku", header + "tote-9,T,1,,\n",
			`row 2, column "sku": "tote-9" starts with TOTE-, which is reserved for tote labels`},
		{"long title", header + "A," + strings.Repeat("é", 201) + ",1,,\n",
			`row 2, column "title": 201 characters, at most 200`},
		{"long description", "sku,title,price,barcodes,bin,description\nA,T,1,,,\"" +
			strings.Repeat("a\n", 10000) + "b\"\n",
			`row 2, column "description": 20001 characters, at most 20000`},
		{"21 barcodes", header + "A,T,1," + strings.Repeat("C|", 21) + ",\n",
			`row 2, column "barcodes": 21 barcodes, at most 20`},
		{"tote barcode", header + "A,T,1,TOTE-1,\n",
			`row 2, column "barcodes": "TOTE-1" starts with TOTE-, which is reserved for tote labels`},
		{"long bin", header + "A,T,1,," + strings.Repeat("B", 33) + "\n",
			`row 2, column "bin": 33 characters, at most 32`},
		{"tote bin", header + "A,T,1,,TOTE-01\n",
			`row 2, column "bin": "TOTE-01" starts with TOTE-, which is reserved for tote labels`},
		{"price too large", header + "A,T,100000000.01,,\n",
			`row 2, column "price": 100000000.01 is too large (at most 100000000.00)`},
		{"long bad price", header + "A,T," + strings.Repeat("9", 70) + "x,,\n",
			`row 2, column "price": "` + strings.Repeat("9", 64) + `"... (71 characters) is not a price`},
		{"bad quoting", header + "A,\"B\"x,1,,\n", `row 2: extraneous or missing " in quoted-field`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ShipshapeCatalog(strings.NewReader(tt.input))
			if got != nil {
				t.Errorf("got %d products with the error", len(got))
			}
			wantInvalid(t, err, tt.want)
		})
	}
}

func TestStock(t *testing.T) {
	const file = "qty,sku,bin,note\n" +
		"12,TEE-RED-M, a-01-03 ,counted\n" +
		",,,\n" +
		"0,TEE-RED-M,B_7.1,\n" +
		"007,MUG-1,A-01-03,\n"
	want := []oms.StockRow{
		{SKU: "TEE-RED-M", Bin: "A-01-03", Qty: 12, Row: 2},
		{SKU: "TEE-RED-M", Bin: "B_7.1", Qty: 0, Row: 4},
		{SKU: "MUG-1", Bin: "A-01-03", Qty: 7, Row: 5},
	}

	for name, input := range map[string]string{"unix": file, "windows": windows(file)} {
		t.Run(name, func(t *testing.T) {
			got, err := Stock(strings.NewReader(input))
			if err != nil {
				t.Fatalf("Stock: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestStockLots(t *testing.T) {
	const file = "sku,bin,qty,lot,expiry\n" +
		"YOG,A-01-01,4,L1,2027-01-15\n" +
		"YOG,A-01-01,2,,\n" +
		"YOG,A-01-01,1,L2,\n"
	want := []oms.StockRow{
		{SKU: "YOG", Bin: "A-01-01", Qty: 4, Lot: "L1", Expiry: "2027-01-15", Row: 2},
		{SKU: "YOG", Bin: "A-01-01", Qty: 2, Row: 3},
		{SKU: "YOG", Bin: "A-01-01", Qty: 1, Lot: "L2", Row: 4},
	}
	got, err := Stock(strings.NewReader(file))
	if err != nil {
		t.Fatalf("Stock: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestStockErrors(t *testing.T) {
	const header = "sku,bin,qty\n"
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"missing qty column", "sku,bin\nA,B\n", `missing column "qty"; the header needs "sku", "bin" and "qty"`},
		{"negative qty", header + "A,B,-1\n", `row 2, column "qty": "-1" is not a whole number of 0 or more`},
		{"fractional qty", header + "A,B,1.5\n", `row 2, column "qty": "1.5" is not a whole number of 0 or more`},
		{"empty qty", header + "A,B,\n", `row 2, column "qty": "" is not a whole number of 0 or more`},
		{"largest int64", header + "A,B,1\nA,C,2\nA,D,9223372036854775807\n",
			`row 4, column "qty": 9223372036854775807 is too large (at most 1000000000)`},
		{"too large for int64", header + "A,B,99999999999999999999\n",
			`row 2, column "qty": 99999999999999999999 is too large (at most 1000000000)`},
		{"one too many", header + "A,B,1000000001\n",
			`row 2, column "qty": 1000000001 is too large (at most 1000000000)`},
		{"tote bin", header + "A,B,1\nA,TOTE-01,1\n",
			`row 3, column "bin": "TOTE-01" starts with TOTE-, which is reserved for tote labels`},
		{"tote sku", header + "Tote-A,B,1\n",
			`row 2, column "sku": "Tote-A" starts with TOTE-, which is reserved for tote labels`},
		{"long sku", header + strings.Repeat("S", 65) + ",B,1\n",
			`row 2, column "sku": 65 characters, at most 64`},
		{"long bin", header + "A," + strings.Repeat("b", 33) + ",1\n",
			`row 2, column "bin": 33 characters, at most 32`},
		{"no sku", header + " ,B,1\n", `row 2, column "sku": required`},
		{"no bin", header + "A,,1\n", `row 2, column "bin": required`},
		{"space in bin", header + "A,A 1,1\n",
			`row 2, column "bin": "A 1" is not a bin code: use only A-Z, 0-9, "-", "_" and "."`},
		{"same sku and bin twice", header + "A,a-1,1\nB,a-1,1\nA,A-1 ,2\n",
			`row 4, column "bin": "A-1" already has sku "A" on row 2`},
		{"same lot twice", "sku,bin,qty,lot\nA,B,1,L1\nA,B,1,\nA,B,2,L1\n",
			`row 4, column "bin": "B" already has sku "A" lot L1 on row 2`},
		{"expiry not a date", "sku,bin,qty,lot,expiry\nA,B,1,L1,2027-02-30\n",
			`row 2, column "expiry": "2027-02-30" is not a date written YYYY-MM-DD`},
		{"expiry without lot", "sku,bin,qty,lot,expiry\nA,B,1,,2027-02-01\n",
			`row 2, column "expiry": "2027-02-01" needs a lot: stock without a lot does not expire`},
		{"long lot", "sku,bin,qty,lot\nA,B,1," + strings.Repeat("L", 65) + "\n",
			`row 2, column "lot": 65 characters, at most 64`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Stock(strings.NewReader(tt.input))
			if got != nil {
				t.Errorf("got %d rows with the error", len(got))
			}
			wantInvalid(t, err, tt.want)
		})
	}
}
