package playground_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/wigglenn/wiggle/playground"
)

// Serving the playground from one's own program: the handler answers the
// hosts it is told of, and refuses others (a page elsewhere reaching it
// through DNS rebinding).
func ExampleHandler() {
	h := playground.Handler(playground.AllowedHosts("127.0.0.1:8080"))
	for _, host := range []string{"localhost:8080", "evil.example:8080"} {
		req := httptest.NewRequest(http.MethodGet, "http://"+host+"/", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		fmt.Printf("%s: %d, %v\n", host, rec.Code, len(body) > 0)
	}
	// Output:
	// localhost:8080: 200, true
	// evil.example:8080: 403, true
}
