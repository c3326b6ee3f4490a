package labels

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWrapLineHouseNumbers wraps real-looking addresses: a house number stays
// with the word it belongs to, and no word is broken.
func TestWrapLineHouseNumbers(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{
			name: "number before the street stays with it",
			in:   "Sherlock Holmes Museum Shop 221B Baker Street",
			want: []string{"Sherlock Holmes Museum Shop", "221B Baker Street"},
		},
		{
			name: "number range before the street",
			in:   "Résidence Les Tilleuls Bâtiment C 12-14 Rue de la Paix",
			want: []string{"Résidence Les Tilleuls Bâtiment C", "12-14 Rue de la Paix"},
		},
		{
			name: "number after the street, before a comma",
			in:   "Hinterhaus 3. OG Friedrichstraße 12-14, 10117 Berlin",
			want: []string{"Hinterhaus 3. OG", "Friedrichstraße 12-14, 10117 Berlin"},
		},
		{
			name:  "number at the end goes with the street",
			in:    "Kontor am Hafen, Große Elbstraße 145",
			limit: 33,
			want:  []string{"Kontor am Hafen, Große", "Elbstraße 145"},
		},
		{
			name:  "flat number stays with Flat",
			in:    "Flat 2 Riverside Court 17 Long Harbour Road",
			limit: 25,
			want:  []string{"Flat 2 Riverside Court", "17 Long Harbour Road"},
		},
		{
			name:  "unit number before a comma",
			in:    "Unit 4, Dockside Park Industrial Estate",
			limit: 10,
			want:  []string{"Unit 4,", "Dockside", "Park", "Industrial", "Estate"},
		},
		{
			name:  "number and word too long together are split between them",
			in:    "12-14 Großbeerenstraßenhinterhof",
			limit: 26,
			want:  []string{"12-14", "Großbeerenstraßenhinterhof"},
		},
		{
			name:  "a word longer than the limit is cut",
			in:    "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch Station",
			limit: 35,
			want:  []string{"Llanfairpwllgwyngyllgogerychwyrndro", "bwllllantysiliogogogoch Station"},
		},
		{
			name:  "limit counted after trimming",
			in:    "   100 Example Street   ",
			limit: 18,
			want:  []string{"100 Example Street"},
		},
		{name: "limit 0 means 35", in: strings.Repeat("ab ", 12), want: []string{
			strings.TrimSpace(strings.Repeat("ab ", 12)),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WrapLine(tt.in, tt.limit)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("WrapLine(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
			limit := tt.limit
			if limit == 0 {
				limit = DefaultLineChars
			}
			for _, line := range got {
				if utf8.RuneCountInString(line) > limit {
					t.Errorf("line %q is longer than %d", line, limit)
				}
			}
		})
	}
}
