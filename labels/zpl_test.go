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
		dpi           int
		width, height int
		wantErr       string
	}{
		{name: "default dpi", dpi: 0, width: 812, height: 1218},
		{name: "203 dpi", dpi: 203, width: 812, height: 1218},
		{name: "300 dpi", dpi: 300, width: 1218, height: 1827},
		{name: "600 dpi", dpi: 600, width: 2436, height: 3654},
		{name: "unsupported dpi", dpi: 254, wantErr: `DPI "254": must be 203, 300 or 600`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLabel(812, 1218, tt.dpi)
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

	if _, err := NewLabel(0, 100, 0); err == nil {
		t.Fatal("NewLabel with zero width: no error")
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
				"^FO15,150^BY3^BCN,75,N,N,N,A^FH_^FD1Z 99^FS\n" +
				"^FO0,0^GB600,300,6^FS\n" +
				"^FO0,135^GB600,3,3^FS\n" +
				"^FO300,0^GB4,300,4^FS\n" +
				"^XZ\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLabel(400, 200, tt.dpi)
			if err != nil {
				t.Fatal(err)
			}
			l.Text(10, 20, Font{Name: '0', Height: 30, Width: 28}, "A^B~C_D")
			l.Text(10, 60, Font{Name: 'A', Height: 20}, "Zoë")
			l.Code128(10, 100, 2, 50, "1Z 99")
			l.Box(0, 0, 400, 200, 4)
			l.HLine(0, 90, 400, 2)
			l.VLine(200, 0, 200, 3)

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
	font := Font{Name: '0', Height: 20}
	tests := []struct {
		name    string
		dpi     int
		draw    func(l *Label)
		wantErr string
	}{
		{
			name:    "text right of the label",
			draw:    func(l *Label) { l.Text(400, 10, font, "x") },
			wantErr: `Text "x": 0x0 at (400,10) is outside the 400x200 label`,
		},
		{
			name:    "negative position",
			draw:    func(l *Label) { l.Text(-1, 10, font, "x") },
			wantErr: "outside the 400x200 label",
		},
		{
			name:    "font name",
			draw:    func(l *Label) { l.Text(0, 0, Font{Name: '*', Height: 20}, "x") },
			wantErr: `font '*' 20x0 is not a valid ZPL font`,
		},
		{
			name:    "box past the bottom",
			draw:    func(l *Label) { l.Box(0, 100, 10, 101, 1) },
			wantErr: `Box: 10x101 at (0,100) is outside`,
		},
		{
			name:    "box thicker than itself",
			draw:    func(l *Label) { l.Box(0, 0, 10, 10, 11) },
			wantErr: `Box thickness "11": must be 1 to the box's size`,
		},
		{
			name:    "barcode of non-ASCII",
			draw:    func(l *Label) { l.Code128(0, 0, 2, 50, "Łódź") },
			wantErr: `Code128 "Łódź": must be printable ASCII and not empty`,
		},
		{
			name:    "barcode with a control byte",
			draw:    func(l *Label) { l.Code128(0, 0, 2, 50, "AB\x1dC") },
			wantErr: "must be printable ASCII",
		},
		{
			name:    "barcode too wide",
			draw:    func(l *Label) { l.Code128(0, 0, 2, 50, "ABCDEFGHIJKLMNOP") },
			wantErr: `Code128 "ABCDEFGHIJKLMNOP": 422x50 at (0,0) is outside`,
		},
		{
			name:    "barcode module",
			draw:    func(l *Label) { l.Code128(0, 0, 0, 50, "A") },
			wantErr: `Code128 module "0": must be 1 to 10 dots at 203 dpi`,
		},
		{
			name:    "barcode module at 300 dpi",
			dpi:     300,
			draw:    func(l *Label) { l.Code128(0, 0, 8, 50, "A") },
			wantErr: `Code128 module "8": must be 1 to 7 dots at 300 dpi`,
		},
		{
			name:    "barcode module too wide to scale",
			dpi:     600,
			draw:    func(l *Label) { l.Code128(0, 0, 4, 50, "A") },
			wantErr: `Code128 module "4": must be 1 to 3 dots at 600 dpi`,
		},
		{
			name: "first error wins",
			draw: func(l *Label) {
				l.Text(0, 300, font, "first")
				l.Text(0, 400, font, "second")
			},
			wantErr: `Text "first"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLabel(400, 200, tt.dpi)
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
		module int
		want   int
	}{
		{name: "one letter", data: "A", module: 1, want: 46},
		{name: "letters at 3 dots", data: "1Z680RA4DL08720000", module: 3, want: 699},
		{name: "even digits pack in pairs", data: "12345678", module: 2, want: 158},
		{name: "odd digits switch for the last", data: "123456789", module: 1, want: 101},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code128Width(tt.data, tt.module); got != tt.want {
				t.Fatalf("Code128Width(%q, %d) = %d, want %d", tt.data, tt.module, got, tt.want)
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
	l, err := NewLabel(812, 1218, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		l.Text(10, 10+30*i, Font{Name: '0', Height: 20}, text)
	}
	zpl, err := l.Bytes()
	if err != nil {
		t.Fatal(err)
	}

	if got := Fields(zpl); !slices.Equal(got, texts) {
		t.Fatalf("Fields = %q, want %q", got, texts)
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
