package courier

import "testing"

func TestS10CheckDigit(t *testing.T) {
	// 47312482 is the worked example of UPU S10: weighted sum 200, check 9.
	tests := []struct {
		name   string
		digits string
		want   int
	}{
		{"upu example", "47312482", 9},
		{"remainder 1 gives 0", "00000008", 0}, // 8*7 = 56 = 5*11 + 1
		{"remainder 0 gives 5", "00000000", 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := S10CheckDigit(tc.digits); got != tc.want {
				t.Errorf("S10CheckDigit(%s) = %d, want %d", tc.digits, got, tc.want)
			}
		})
	}
}

func TestTracking(t *testing.T) {
	l := Local{Country: "gb"}
	if got, want := l.Tracking(47312482), "LC473124829GB"; got != want {
		t.Errorf("Tracking = %s, want %s", got, want)
	}
	if got, want := (Local{}).Tracking(8), "LC000000080XX"; got != want {
		t.Errorf("Tracking without country = %s, want %s", got, want)
	}
}
