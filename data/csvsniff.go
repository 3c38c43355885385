package data

// What a file is, told from its first bytes before it is read as a
// table: an archive, a compressed file or a workbook wiggle does not read,
// and Excel's sep= line.

import (
	"bufio"
	"bytes"
)

// compressedKind names the archive or compression a file's first bytes
// show, of those wiggle does not read; "" for none of them.
func compressedKind(head []byte) string {
	if len(head) >= 10 && string(head[:3]) == "BZh" && string(head[4:10]) == "1AY&SY" { // "BZh" alone may begin a header
		return "file compressed by bzip2 (bunzip2 FILE)"
	}
	for _, k := range []struct{ magic, kind string }{
		{"\xfd7zXZ\x00", "file compressed by xz (unxz FILE)"},
		{"\x28\xb5\x2f\xfd", "file compressed by zstd (unzstd FILE)"},
		{"PK\x03\x04", "zip archive (unzip FILE)"},
		{"7z\xbc\xaf\x27\x1c", "7-Zip archive (7z x FILE)"},
		{"\x1f\x8b", "gzip stream inside a gzip file, compressed twice (gunzip FILE once)"}, // what a gzip file holds, decompressed
	} {
		if bytes.HasPrefix(head, []byte(k.magic)) {
			return k.kind
		}
	}
	return ""
}

// spreadsheet names a spreadsheet's workbook: Excel 97-2003's (an OLE2
// file), or a zip archive whose entries in its first 64 KiB say what it
// holds; "" for other bytes.
func spreadsheet(head []byte, br *bufio.Reader) string {
	if bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
		return "an Excel 97-2003 workbook (.xls) or another OLE2 document"
	}
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return ""
	}
	wide, _ := br.Peek(64 << 10)
	switch {
	case bytes.Contains(wide, []byte("application/vnd.oasis.opendocument.spreadsheet")):
		return "an OpenDocument spreadsheet (.ods, LibreOffice's)"
	case bytes.Contains(wide, []byte("xl/")):
		return "an Excel workbook (.xlsx)"
	case bytes.Contains(wide, []byte("Index/Document.iwa")):
		return "an Apple Numbers spreadsheet (.numbers)"
	}
	return ""
}

// separatorLine reads Excel's first line sep=X, which names the table's
// separator (a comma, semicolon or tab) and is no row.
func separatorLine(head []byte) (rune, bool) {
	line, _, found := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if !found || len(line) != 5 || !bytes.HasPrefix(line, []byte("sep=")) || !bytes.ContainsAny(line[4:], ",;\t") {
		return 0, false
	}
	return rune(line[4]), true
}
