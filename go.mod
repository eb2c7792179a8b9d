module newsbot

go 1.26.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/kljensen/snowball v0.10.0
	go.etcd.io/bbolt v1.5.0
	golang.org/x/term v0.48.0
	golang.org/x/text v0.31.0
)

require golang.org/x/sys v0.50.0 // indirect
