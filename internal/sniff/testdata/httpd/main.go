// Command httpd is the HTTP server of the sniff fixtures and end-to-end tests: it
// answers every request with a short body, keeps connections alive, and listens on
// the address given as its only argument (e.g. "[::]:80", dual-stack).
package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: httpd ADDR")
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "%s %s %d\n", r.Method, r.URL.Path, n)
	})
	log.Fatal(http.ListenAndServe(os.Args[1], h))
}
