package data

import (
	"bytes"
	"strings"
	"testing"
)

// TestGzipMembersAndTrailingBytes: a gzip file of two members (cat a.gz
// b.gz) reads as their contents one after another; bytes that are not
// gzip after the stream are said to be so, where they had been called a
// file cut short (a few bytes) or a damaged header (ten or more), for a
// CSV table and an IDX array alike.
func TestGzipMembersAndTrailingBytes(t *testing.T) {
	two := append(gzipped([]byte("a,y\n1,0\n")), gzipped([]byte("2,1\n3,0\n"))...)
	ds, err := ParseCSV("t.csv.gz", bytes.NewReader(two), CSVOptions{Target: "y"})
	if err != nil || ds.Len() != 3 {
		t.Errorf("two gzip members: %v, %d rows; want 3", err, ds.Len())
	}
	for _, tail := range []string{"x", "0123456789abcdef"} {
		raw := append(gzipped([]byte("a,y\n1,0\n2,1\n")), tail...)
		if _, err := ParseCSV("t.csv.gz", bytes.NewReader(raw), CSVOptions{Target: "y"}); err == nil || !strings.Contains(err.Error(), "bytes that are not gzip follow the end of its gzip stream") {
			t.Errorf("a CSV gzip file and %d bytes after it: %v; want them named", len(tail), err)
		}
		idx := append(gzipped(idxBytes([]int{2}, []byte{1, 2})), tail...)
		if _, err := DecodeIDX(bytes.NewReader(idx)); err == nil || !strings.Contains(err.Error(), "bytes that are not gzip follow the end of its gzip stream") {
			t.Errorf("an IDX gzip file and %d bytes after it: %v; want them named", len(tail), err)
		}
	}
}

// TestOneByteOfGzip: a file of gzip's first byte alone is a gzip file cut
// short, through ParseCSV and through ReadCSV's line count, where it had
// been read as a table whose header is that byte; 0x1f before other
// bytes than gzip's second is text.
func TestOneByteOfGzip(t *testing.T) {
	if _, err := ParseCSV("t.csv.gz", bytes.NewReader([]byte{0x1f}), CSVOptions{Target: "y"}); err == nil || !strings.Contains(err.Error(), "a gzip file cut short") {
		t.Errorf("ParseCSV of the byte 0x1f: %v; want a gzip file cut short", err)
	}
	if _, err := countTextLines(bytes.NewReader([]byte{0x1f})); err == nil || !strings.Contains(err.Error(), "a gzip file cut short") {
		t.Errorf("countTextLines of the byte 0x1f: %v; want a gzip file cut short", err)
	}
	if ds, err := ParseCSV("t.csv", strings.NewReader("\x1fa,y\n1,0\n2,1\n"), CSVOptions{Target: "y"}); err != nil || ds.Len() != 2 {
		t.Errorf("a table whose first byte is 0x1f and second not gzip's: %v; want it read as text", err)
	}
}
