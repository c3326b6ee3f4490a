package labels

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// zplDir holds real courier labels.
const zplDir = "../../shared/data/zpl/"

func TestNewLabel(t *testing.T) {
	tests := []struct {
		name          string
		printer       Printer
		width, height int
		wantErr       string
	}{
		{name: "default dpi", width: 812, height: 1218},
		{name: "203 dpi", printer: Printer{DPI: 203}, width: 812, height: 1218},
		{name: "300 dpi", printer: Printer{DPI: 300}, width: 1218, height: 1827},
		{name: "600 dpi", printer: Printer{DPI: 600}, width: 2436, height: 3654},
		{name: "wide printer", printer: Printer{DPI: 300, Width: 168}, width: 1218, height: 1827},
		{name: "unsupported dpi", printer: Printer{DPI: 254}, wantErr: `DPI "254": must be 203, 300 or 600`},
		{
			name:    "wider than the printer",
			printer: Printer{DPI: 203, Width: 54},
			wantErr: `label width "101.5 mm": is wider than the printer's print width of 54 mm`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLabel(101.5, 152.25, tt.printer)
			if tt.wantErr != "" {
				assertInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l.Width() != tt.width || l.Height() != tt.height {
				t.Fatalf("size = %dx%d, want %dx%d", l.Width(), l.Height(), tt.width, tt.height)
			}
		})
	}

	if _, err := NewLabel(0, 100, Printer{}); err == nil {
		t.Fatal("NewLabel with zero width: no error")
	}
	if _, err := NewLabel(105, 100, Printer{}); err == nil {
		t.Fatal("NewLabel wider than the default 104 mm print width: no error")
	}
}

func TestLabelBytes(t *testing.T) {
	tests := []struct {
		name string
		dpi  int
		want string
	}{
		{
			name: "203 dpi",
			dpi:  203,
			want: "^XA^CI28\n^PW400\n^LL200\n^LH0,0\n" +
				"^FO10,20^A0N,30,28^FH_^FDA_5EB_7EC_5FD^FS\n" +
				"^FO10,60^AAN,20^FH_^FDZoë^FS\n" +
				"^FO10,80^A@N,20,,E:TT0003M_.TTF^FH_^FDДина^FS\n" +
				"^FO10,100^BY2^BCN,50,N,N,N,A^FH_^FD1Z 99^FS\n" +
				"^FO0,0^GB400,200,4^FS\n" +
				"^FO0,90^GB400,2,2^FS\n" +
				"^FO200,0^GB3,200,3^FS\n" +
				"^XZ\n",
		},
		{
			name: "300 dpi scales every size",
			dpi:  300,
			want: "^XA^CI28\n^PW600\n^LL300\n^LH0,0\n" +
				"^FO15,30^A0N,45,42^FH_^FDA_5EB_7EC_5FD^FS\n" +
				"^FO15,90^AAN,30^FH_^FDZoë^FS\n" +
				"^FO15,120^A@N,30,,E:TT0003M_.TTF^FH_^FDДина^FS\n" +
				"^FO15,150^BY3^BCN,75,N,N,N,A^FH_^FD1Z 99^FS\n" +
				"^FO0,0^GB600,300,6^FS\n" +
				"^FO0,135^GB600,3,3^FS\n" +
				"^FO300,0^GB5,300,5^FS\n" +
				"^XZ\n",
		},
		{
			name: "600 dpi",
			dpi:  600,
			want: "^XA^CI28\n^PW1200\n^LL600\n^LH0,0\n" +
				"^FO30,60^A0N,90,84^FH_^FDA_5EB_7EC_5FD^FS\n" +
				"^FO30,180^AAN,60^FH_^FDZoë^FS\n" +
				"^FO30,240^A@N,60,,E:TT0003M_.TTF^FH_^FDДина^FS\n" +
				"^FO30,300^BY6^BCN,150,N,N,N,A^FH_^FD1Z 99^FS\n" +
				"^FO0,0^GB1200,600,12^FS\n" +
				"^FO0,270^GB1200,6,6^FS\n" +
				"^FO600,0^GB9,600,9^FS\n" +
				"^XZ\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLabel(50, 25, Printer{DPI: tt.dpi})
			if err != nil {
				t.Fatal(err)
			}
			l.Text(1.25, 2.5, Font{Name: '0', Height: 3.75, Width: 3.5}, "A^B~C_D")
			l.Text(1.25, 7.5, Font{Name: 'A', Height: 2.5}, "Zoë")
			l.Text(1.25, 10, Font{File: "e:tt0003m_.ttf", Height: 2.5}, "Дина")
			l.Code128(1.25, 12.5, 0.25, 6.25, "1Z 99")
			l.Box(0, 0, 50, 25, 0.5)
			l.HLine(0, 11.25, 50, 0.25)
			l.VLine(25, 0, 25, 0.375)

			got, err := l.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("Bytes() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestLabelErrors(t *testing.T) {
	font := Font{Name: '0', Height: 2.5}
	tests := []struct {
		name    string
		dpi     int
		draw    func(l *Label)
		wantErr string
	}{
		{
			name:    "text right of the label",
			draw:    func(l *Label) { l.Text(50, 1.25, font, "x") },
			wantErr: `Text "x": 0x0 mm at (50,1.25) is outside the 50x25 mm label`,
		},
		{
			name:    "negative position",
			draw:    func(l *Label) { l.Text(-0.125, 1.25, font, "x") },
			wantErr: "outside the 50x25 mm label",
		},
		{
			name:    "font name",
			draw:    func(l *Label) { l.Text(0, 0, Font{Name: '*', Height: 2.5}, "x") },
			wantErr: `font "*" 2.5x0 mm is not a valid ZPL font`,
		},
		{
			name:    "font file without a drive",
			draw:    func(l *Label) { l.Text(0, 0, Font{File: "TT0003M_.TTF", Height: 2.5}, "x") },
			wantErr: `font "TT0003M_.TTF" 2.5x0 mm is not a valid ZPL font`,
		},
		{
			name:    "font file with a command in it",
			draw:    func(l *Label) { l.Text(0, 0, Font{File: "E:A^XZ.TTF", Height: 2.5}, "x") },
			wantErr: "is not a valid ZPL font",
		},
		{
			name:    "box past the bottom",
			draw:    func(l *Label) { l.Box(0, 12.5, 1.25, 12.625, 0.125) },
			wantErr: `Box: 1.25x12.625 mm at (0,12.5) is outside`,
		},
		{
			name:    "box thicker than itself",
			draw:    func(l *Label) { l.Box(0, 0, 1.25, 1.25, 1.375) },
			wantErr: `Box thickness "1.375": must be above 0 and within the box's size`,
		},
		{
			name:    "barcode of non-ASCII",
			draw:    func(l *Label) { l.Code128(0, 0, 0.25, 6.25, "Łódź") },
			wantErr: `Code128 "Łódź": must be printable ASCII and not empty`,
		},
		{
			name:    "barcode with a control byte",
			draw:    func(l *Label) { l.Code128(0, 0, 0.25, 6.25, "AB\x1dC") },
			wantErr: "must be printable ASCII",
		},
		{
			name:    "barcode too wide",
			draw:    func(l *Label) { l.Code128(0, 0, 0.25, 6.25, "ABCDEFGHIJKLMNOP") },
			wantErr: `Code128 "ABCDEFGHIJKLMNOP": 52.75x6.25 mm at (0,0) is outside`,
		},
		{
			name:    "barcode module",
			draw:    func(l *Label) { l.Code128(0, 0, 0, 6.25, "A") },
			wantErr: `Code128 module "0 mm": must be above 0 and at most 10 dots (1.250 mm) at 203 dpi`,
		},
		{
			name:    "barcode module at 300 dpi",
			dpi:     300,
			draw:    func(l *Label) { l.Code128(0, 0, 1, 6.25, "A") },
			wantErr: `Code128 module "1 mm": must be above 0 and at most 10 dots (0.833 mm) at 300 dpi`,
		},
		{
			name:    "barcode module too wide to scale",
			dpi:     600,
			draw:    func(l *Label) { l.Code128(0, 0, 0.5, 6.25, "A") },
			wantErr: `at most 10 dots (0.417 mm) at 600 dpi`,
		},
		{
			name: "first error wins",
			draw: func(l *Label) {
				l.Text(0, 37.5, font, "first")
				l.Text(0, 50, font, "second")
			},
			wantErr: `Text "first"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLabel(50, 25, Printer{DPI: tt.dpi})
			if err != nil {
				t.Fatal(err)
			}
			tt.draw(l)
			zpl, err := l.Bytes()
			if zpl != nil {
				t.Fatalf("Bytes() returned a label despite the error: %q", zpl)
			}
			assertInvalid(t, err, tt.wantErr)
		})
	}
}

func TestEscapeField(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain ASCII", in: "100 Example Street", want: "100 Example Street"},
		{name: "caret", in: "a^XZ", want: "a_5EXZ"},
		{name: "tilde", in: "~JA", want: "_7EJA"},
		{name: "underscore", in: "DE_HA", want: "DE_5FHA"},
		{name: "CR LF", in: "a\r\nb", want: "a_0D_0Ab"},
		{name: "NUL and DEL", in: "\x00\x7f", want: "_00_7F"},
		{name: "group separator", in: "\x1d", want: "_1D"},
		{name: "UTF-8 passes", in: "Zoë Дина, Łódź", want: "Zoë Дина, Łódź"},
		{name: "invalid UTF-8", in: "a\xffb", want: "a?b"},
		{name: "comma and backslash", in: `a,b\c`, want: `a,b\c`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeField(tt.in); got != tt.want {
				t.Fatalf("escapeField(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCode128Width(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		module Length
		want   Length
	}{
		{name: "one letter", data: "A", module: 0.125, want: 5.75},
		{name: "letters at 0.375 mm", data: "1Z680RA4DL08720000", module: 0.375, want: 87.375},
		{name: "even digits pack in pairs", data: "12345678", module: 0.25, want: 19.75},
		{name: "odd digits switch for the last", data: "123456789", module: 0.125, want: 12.625},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code128Width(tt.data, tt.module); got != tt.want {
				t.Fatalf("Code128Width(%q, %v) = %v, want %v", tt.data, tt.module, got, tt.want)
			}
		})
	}
}

func TestFields(t *testing.T) {
	tests := []struct {
		name string
		zpl  string
		want []string
	}{
		{name: "no fields", zpl: "^XA^PW812^XZ", want: nil},
		{name: "plain", zpl: "^XA^FO1,1^FDhello^FS^XZ", want: []string{"hello"}},
		{name: "default indicator", zpl: "^FH^FDa_5Eb_5fc^FS", want: []string{"a^b_c"}},
		{name: "explicit underscore", zpl: "^FH_^FD_C5_81_C3_B3d_C5_BA^FS", want: []string{"Łódź"}},
		{name: "backslash indicator", zpl: `^FH\^FDa\7Eb_7E^FS`, want: []string{"a~b_7E"}},
		{
			name: "indicator lasts to ^FS across other commands",
			zpl:  `^FH\^CI28^FDx\41^FS^FDy\41^FS`,
			want: []string{"xA", `y\41`},
		},
		{name: "not hex stays literal", zpl: "^FH^FD_G1_4^FS", want: []string{"_G1_4"}},
		{name: "field variable", zpl: "^FVvar^FS^FH^FV_41^FS", want: []string{"var", "A"}},
		{name: "ends at next command without ^FS", zpl: "^FDa^A0N,20^FDb", want: []string{"a", "b"}},
		{name: "empty field", zpl: "^FD^FS", want: []string{""}},
		{name: "lower-case commands", zpl: "^fh^fd_41^fs", want: []string{"A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fields([]byte(tt.zpl)); !slices.Equal(got, tt.want) {
				t.Fatalf("Fields(%q) = %q, want %q", tt.zpl, got, tt.want)
			}
		})
	}
}

// TestFieldsEscapeRoundTrip checks that Fields undoes what Text escapes.
func TestFieldsEscapeRoundTrip(t *testing.T) {
	texts := []string{
		"Blue ^XZ^XA^PQ50^XZ Ltd", "~JA~PS", "DE_HA_5E", "tab\tcr\rlf\n",
		"Zoë Дина, Łódź", "\x00\x01\x1e\x7f", "plain",
	}
	l, err := NewLabel(101.5, 152.25, Printer{})
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		l.Text(1.25, 1.25+Length(4*i), Font{Name: '0', Height: 2.5}, text)
	}
	zpl, err := l.Bytes()
	if err != nil {
		t.Fatal(err)
	}

	want := []string{
		"Blue ^XZ^XA^PQ50^XZ Ltd", "~JA~PS", "DE_HA_5E", "tab cr lf",
		"Zoë Дина, Łódź", "", "plain", // line breaks become spaces, other controls go
	}
	if got := Fields(zpl); !slices.Equal(got, want) {
		t.Fatalf("Fields = %q, want %q", got, want)
	}
}

func TestFieldsRealLabels(t *testing.T) {
	tests := []struct {
		file  string
		count int
		want  map[int]string // field index -> text
	}{
		{
			file:  "zebrash/ups.zpl",
			count: 30,
			want: map[int]string{
				0: "4210405000",
				1: "1Z680RA4DL08720000",
				2: "4030405000  [)>\x1e01\x1d961Z08720000\x1dUPSN\x1d680RA4\x1d051\x1d\x1d" +
					"1/1\x1d1\x1dN\x1d\x1dHALLEIN\x1d\x1e\x04",
				3:  "MERCHANT AB",
				26: "Reference No.1: DE_HA.6305266653",
				29: "TRACKING #: 1Z 680 RA4 DL 0872 0000",
			},
		},
		{
			file:  "zebrash/dhlecommercetr.zpl",
			count: 37,
			want: map[int]string{
				3:  "ELMABAHÇESİ",
				7:  "Toplam:2/Parça:0001/0001",
				13: "HALLEDERSİNİZ MEDYA LİMİTED ŞİRKETİ",
				20: "KARADENIZ MAHALLESI 1144 SOKAK NO 25  [GAZİOSMANPAŞA/İSTANB",
			},
		},
		{
			file:  "binarykits/GS1-102x152.zpl",
			count: 6,
			want: map[int]string{
				0: "GS1-128 : ",
				1: ">;>8011234567890123121123456",
				3: "_1011234567890123121123456",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			zpl, err := os.ReadFile(zplDir + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got := Fields(zpl)
			if len(got) != tt.count {
				t.Fatalf("got %d fields, want %d: %q", len(got), tt.count, got)
			}
			for i, want := range tt.want {
				if got[i] != want {
					t.Errorf("field %d = %q, want %q", i, got[i], want)
				}
			}
		})
	}
}

// countCommand counts how often a ZPL command occurs in zpl.
func countCommand(zpl []byte, cmd string) int {
	return strings.Count(string(zpl), cmd)
}
