package scanner_test

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/shipshape-oms/shipshape/devices/scanner"
)

// A scanner on a USB serial adapter, found by its stable by-id name, set to
// 9600 baud, 7 data bits, even parity, and a CR LF suffix.
func ExampleNewSerial() {
	s, err := scanner.NewSerial("S1-serial", scanner.SerialConfig{
		Port:     "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K1XYZ-if00-port0",
		DataBits: 7,
		Parity:   "even",
		Suffix:   scanner.SuffixCRLF,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT)
	defer stop()
	s.Run(ctx, func(e scanner.Event) {
		switch e.Kind {
		case scanner.Scanned:
			fmt.Printf("%s scanned %q\n", e.Device, e.Data)
		case scanner.Offline:
			fmt.Printf("%s offline: %s\n", e.Device, e.Err)
		}
	})
}
