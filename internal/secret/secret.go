// Package secret encrypts the secrets parc must give back later (software licence
// keys; directory bind passwords next) with AES-256-GCM. The key is PARC_SECRET_KEY
// (32 bytes, base64 or hex) when set, else the file secret.key in the data
// directory, created with mode 0600 on first start, for SQLite and PostgreSQL
// stores alike (docs/security.md).
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// EnvKey is the environment variable that holds the key.
const EnvKey = "PARC_SECRET_KEY"

// FileName is the key file in the data directory.
const FileName = "secret.key"

// prefix marks the format of a sealed value, so that a later key rotation can
// tell old values from new ones.
const prefix = "v1:"

// ErrNoKey is returned by a box that has no key to load.
var ErrNoKey = errors.New("no secret key: set " + EnvKey + " or give a data directory")

// Box seals and opens secrets. The zero value is unusable; make one with Load,
// New or Lazy.
type Box struct {
	once sync.Once
	load func() ([]byte, error)
	aead cipher.AEAD
	err  error
}

// New is a box over a 32-byte key.
func New(key []byte) (*Box, error) {
	b := &Box{load: func() ([]byte, error) { return key, nil }}
	return b, b.init()
}

// Load is the box of a data directory: the key from the environment, else from
// dir's key file, created when missing.
func Load(dir string) (*Box, error) {
	b := Lazy(dir)
	return b, b.init()
}

// Lazy is Load's box, reading (or creating) its key at its first use.
func Lazy(dir string) *Box {
	return &Box{load: func() ([]byte, error) { return readKey(dir) }}
}

func (b *Box) init() error {
	b.once.Do(func() {
		key, err := b.load()
		if err != nil {
			b.err = err
			return
		}
		if len(key) != 32 {
			b.err = fmt.Errorf("secret key: %d bytes, want 32", len(key))
			return
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			b.err = err
			return
		}
		b.aead, b.err = cipher.NewGCM(block)
	})
	return b.err
}

// readKey reads the key from the environment or the key file, creating the file
// (0600, never overwritten) on first use.
func readKey(dir string) ([]byte, error) {
	if v := strings.TrimSpace(os.Getenv(EnvKey)); v != "" {
		return decodeKey(v)
	}
	if dir == "" {
		return nil, ErrNoKey
	}
	path := filepath.Join(dir, FileName)
	if raw, err := os.ReadFile(path); err == nil {
		return decodeKey(strings.TrimSpace(string(raw)))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // another process made it first
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("secret key: %w", err)
		}
		return decodeKey(strings.TrimSpace(string(raw)))
	}
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

func decodeKey(v string) ([]byte, error) {
	if k, err := base64.StdEncoding.DecodeString(v); err == nil && len(k) == 32 {
		return k, nil
	}
	if k, err := hex.DecodeString(v); err == nil && len(k) == 32 {
		return k, nil
	}
	return nil, errors.New("secret key: want 32 bytes in base64 or hex")
}

// Seal encrypts plain; context binds the result to its use (a field's name), so
// that a sealed value copied to another field does not open there.
func (b *Box) Seal(plain, context string) (string, error) {
	if err := b.init(); err != nil {
		return "", err
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := b.aead.Seal(nonce, nonce, []byte(plain), []byte(context))
	return prefix + base64.StdEncoding.EncodeToString(out), nil
}

// Open decrypts a value Seal made with the same context.
func (b *Box) Open(sealed, context string) (string, error) {
	if err := b.init(); err != nil {
		return "", err
	}
	raw, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", errors.New("secret: unknown format")
	}
	data, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(data) < b.aead.NonceSize() {
		return "", errors.New("secret: damaged value")
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, data[:n], data[n:], []byte(context))
	if err != nil {
		return "", errors.New("secret: cannot decrypt (another key?)")
	}
	return string(plain), nil
}

// Ephemeral is a box over a random key kept in memory only, unless
// PARC_SECRET_KEY is set: for a store opened without a data directory (tests
// over PostgreSQL), whose sealed values do not outlive the process.
func Ephemeral() *Box {
	return &Box{load: func() ([]byte, error) {
		if v := strings.TrimSpace(os.Getenv(EnvKey)); v != "" {
			return decodeKey(v)
		}
		key := make([]byte, 32)
		_, err := rand.Read(key)
		return key, err
	}}
}
