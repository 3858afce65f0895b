package data

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestWalkBack(t *testing.T) {
	b, err := bolt.Open(filepath.Join(t.TempDir(), "walk.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	keys := [][]byte{key([]byte("a"), u64(1)), key([]byte("a"), u64(2)), key([]byte("a"), u64(^uint64(0))),
		key([]byte("b"), u64(1)), key([]byte("b"), u64(5)), key([]byte{0xff}, u64(3)), key([]byte{0xff, 0xff}, u64(4))}
	err = b.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucket([]byte("x"))
		for _, k := range keys {
			if err == nil {
				err = bk.Put(k, []byte{k[len(k)-1]})
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		prefix, below []byte
		max           int
		want          string // the last byte of each key, in the order walked
	}{
		{"all", nil, nil, 0, "4 3 5 1 255 2 1"},
		{"prefix", []byte("a"), nil, 0, "255 2 1"},
		{"prefix below", []byte("a"), u64(2), 0, "1"},
		{"below nothing", []byte("b"), u64(1), 0, ""},
		{"prefix of 0xff", []byte{0xff}, nil, 0, "4 3"},
		{"prefix of 0xff 0xff", []byte{0xff, 0xff}, nil, 0, "4"},
		{"no such prefix", []byte("c"), nil, 0, ""},
		{"stops when told", nil, nil, 2, "4 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := b.View(func(tx *bolt.Tx) error {
				return walkBack(tx.Bucket([]byte("x")).Cursor(), tt.prefix, tt.below, func(k, v []byte) (bool, error) {
					got = append(got, fmt.Sprint(v[0]))
					return tt.max == 0 || len(got) < tt.max, nil
				})
			})
			if s := strings.Join(got, " "); err != nil || s != tt.want {
				t.Errorf("got %q, %v; want %q", s, err, tt.want)
			}
		})
	}
}
