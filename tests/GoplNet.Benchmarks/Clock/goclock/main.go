// goclock is the comparison server of the clock load benchmark: the design of the book's
// clock2 (one goroutine per client that writes the time and then sleeps a second), with a
// -port flag as in exercise 8.1. It prints the address it bound to standard error.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"
)

func main() {
	port := flag.Int("port", 8000, "TCP port to listen on (0 picks a free one)")
	flag.Parse()
	listener, err := net.Listen("tcp", fmt.Sprintf("localhost:%d", *port))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "listening on %s\n", listener.Addr())
	for {
		conn, err := listener.Accept()
		if err != nil {
			log.Print(err)
			continue
		}
		go serve(conn)
	}
}

func serve(conn net.Conn) {
	defer conn.Close()
	for {
		if _, err := io.WriteString(conn, time.Now().Format("15:04:05\n")); err != nil {
			return
		}
		time.Sleep(1 * time.Second)
	}
}
