// Command ferretdb runs FerretDB v1 (MongoDB wire protocol over SQLite) for local development and CI,
// where no mongod is installed. FerretDB's own cmd/ferretdb panics when built with `go install`,
// so this program embeds its library package instead.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "data", "directory holding the SQLite databases")
	// SQLite's default (FULL) syncs the disk on every commit: about 20 ms per update here. NORMAL, with
	// WAL, survives process crashes and loses at most the last commits on a power cut: right for
	// development and CI, which is all this program is for.
	synchronous := flag.String("sqlite-synchronous", "normal", "SQLite synchronous pragma: full or normal")
	flag.Parse()

	if err := os.MkdirAll(*dataDir, 0o755); err != nil {
		log.Fatalf("cannot create data directory %q: %v", *dataDir, err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dataDir + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		log.Fatalf("cannot configure FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("FerretDB listening on %s, data in %s (%s)", *listen, *dataDir, db.MongoDBURI())
	if err := db.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatalf("FerretDB stopped: %v", err)
	}
}
