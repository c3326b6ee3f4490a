package scanner

import "bytes"

// serialMaxScan caps a scan that never ends: a line carrying noise, or a
// scanner at the wrong baud rate. The bytes so far are delivered as a scan,
// so the garbage shows up where a person can see it.
const serialMaxScan = 4096

// serialFramer cuts a byte stream into scans at a suffix. It does not know
// about time: the caller ends a scan after a gap with flush.
type serialFramer struct {
	suffix []byte // nil: only flush ends a scan
	buf    []byte
}

// feed adds data and returns the scans it completed, suffix removed. Empty
// scans (a suffix alone) are skipped.
func (f *serialFramer) feed(data []byte) []string {
	f.buf = append(f.buf, data...)
	var scans []string
	for {
		scan, ok := f.next()
		if !ok {
			return scans
		}
		if scan != "" {
			scans = append(scans, scan)
		}
	}
}

// next takes one complete scan off the front of buf.
func (f *serialFramer) next() (string, bool) {
	if len(f.suffix) > 0 {
		if i := bytes.Index(f.buf, f.suffix); i >= 0 {
			scan := string(f.buf[:i])
			f.buf = f.buf[i+len(f.suffix):]
			return scan, true
		}
	}
	if len(f.buf) >= serialMaxScan {
		scan := string(f.buf[:serialMaxScan])
		f.buf = f.buf[serialMaxScan:]
		return scan, true
	}
	return "", false
}

// flush ends the scan under way and returns it; ok is false when there was
// none.
func (f *serialFramer) flush() (scan string, ok bool) {
	scan = string(f.buf)
	f.buf = f.buf[:0]
	return scan, scan != ""
}

// pending returns how many bytes of an unfinished scan are held.
func (f *serialFramer) pending() int {
	return len(f.buf)
}
