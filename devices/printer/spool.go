package printer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Spool "prints" by writing each job to a file, DIR/<jobID>.zpl, for another
// program (a print server, a CUPS raw queue, a test) to pick up. A file appears
// whole or not at all: the job is written to a hidden temporary file in the same
// directory and renamed into place.
type Spool struct {
	dir string
}

var _ Printer = (*Spool)(nil)

// NewSpool returns a driver that writes jobs into dir, creating it (mode 0755)
// when the first job is printed.
func NewSpool(dir string) *Spool {
	return &Spool{dir: dir}
}

// String returns "spool " and the directory.
func (s *Spool) String() string {
	return "spool " + s.dir
}

// Print writes data to DIR/<jobID>.zpl, replacing a file of the same job.
//
// It refuses a jobID that is empty, contains a path separator or "..", or starts
// with "." (the temporary files do), so a job cannot land outside the directory
// or be mistaken for one in progress. Errors name the job and the directory;
// file system errors are wrapped (*fs.PathError). ctx is checked before writing.
func (s *Spool) Print(ctx context.Context, jobID string, data []byte) error {
	if err := validJobID(jobID); err != nil {
		return fmt.Errorf("spool job %q to %s: %w", jobID, s.dir, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("spool job %q to %s: %w", jobID, s.dir, err)
	}

	if err := s.write(jobID, data); err != nil {
		return fmt.Errorf("spool job %q to %s: %w", jobID, s.dir, err)
	}
	return nil
}

func (s *Spool) write(jobID string, data []byte) error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return fmt.Errorf("create spool directory: %w", err)
	}
	tmp, err := os.CreateTemp(s.dir, "."+jobID+".*.tmp")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed

	if err := writeFile(tmp, data); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, jobID+".zpl")); err != nil {
		return fmt.Errorf("publish job file: %w", err)
	}
	return nil
}

// writeFile writes, flushes to disk and closes f, so that the file renamed into
// place holds the whole job even after a power cut. CreateTemp makes files
// readable by the owner only; the spool's reader may be another user.
func writeFile(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("write temporary file: %w", err)
	}
	return nil
}

// ErrBadJobID is wrapped by Spool.Print when a job id cannot be a file name.
var ErrBadJobID = errors.New("job id must be a plain file name")

func validJobID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: it is empty", ErrBadJobID)
	case strings.ContainsAny(id, `/\`) || strings.ContainsRune(id, os.PathSeparator):
		return fmt.Errorf("%w: it contains a path separator", ErrBadJobID)
	case strings.Contains(id, ".."):
		return fmt.Errorf("%w: it contains \"..\"", ErrBadJobID)
	case strings.HasPrefix(id, "."):
		return fmt.Errorf("%w: it starts with \".\"", ErrBadJobID)
	case strings.ContainsRune(id, 0):
		return fmt.Errorf("%w: it contains a NUL byte", ErrBadJobID)
	}
	return nil
}

// Info returns DefaultInfo: a spool has no printer to ask.
func (s *Spool) Info() Info { return DefaultInfo }

// Close does nothing: a Spool holds nothing open. It is safe to call more
// than once.
func (s *Spool) Close() error { return nil }
