package plot

// Text the plots' fonts cannot draw.

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
)

// drawable returns s with each character that the plots' fonts have no
// glyph for written as its code point, "U+732B". The fonts, Liberation Sans
// and Serif (gonum/plot's own), cover Latin, Greek and Cyrillic; a class
// named 猫 or 🐶, drawn with them, came out as nothing, and its colour in
// the legend unnamed. Spaces and line breaks pass as they are.
func drawable(s string) string {
	faces := plotFaces()
	var b strings.Builder
	var buf sfnt.Buffer
	for _, r := range s {
		if unicode.IsSpace(r) || hasGlyph(faces, &buf, r) {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "U+%04X", r)
	}
	return b.String()
}

// hasGlyph reports whether every face has a glyph for r.
func hasGlyph(faces []*sfnt.Font, buf *sfnt.Buffer, r rune) bool {
	for _, f := range faces {
		if g, err := f.GlyphIndex(buf, r); err != nil || g == 0 {
			return false
		}
	}
	return true
}

// plotFaces is the regular Sans and Serif faces wiggle's plots letter with:
// gonum/plot's default font, and slideStyle's.
var plotFaces = sync.OnceValue(func() []*sfnt.Font {
	var faces []*sfnt.Font
	for _, variant := range []font.Variant{"Serif", "Sans"} {
		if f := font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: variant}, 12).Face; f != nil {
			faces = append(faces, f)
		}
	}
	return faces
})
