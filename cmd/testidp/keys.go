package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"

	jose "github.com/go-jose/go-jose/v4"
)

// signingKey is the provider's RS256 key, made new at every start: tokens of an earlier run are
// not valid after a restart, which tests never rely on.
type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func newSigningKey() (*signingKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("encode public key: %w", err)
	}
	// The kid is a digest of the public key: hex has neither '/' nor '%', which Dovecot would
	// escape in the key's file name.
	sum := sha256.Sum256(der)
	return &signingKey{id: hex.EncodeToString(sum[:8]), key: key}, nil
}

// op.SigningKey
func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

// publicKey is the same key as the JWKS endpoint shows it (op.Key).
type publicKey struct{ *signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

// writeDovecotKey puts the public key where Dovecot's oauth2 passdb looks it up with
// local_validation_key_dict = fs:posix:prefix=DIR/ : the dict key is
// shared/<azp>/<alg>/<kid>, and our access tokens carry no azp, so Dovecot uses "default".
// The file holds the key in PEM, which Dovecot's dcrypt loads.
func (k *signingKey) writeDovecotKey(dir string) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(&k.key.PublicKey)
	if err != nil {
		return "", fmt.Errorf("encode public key: %w", err)
	}
	path := filepath.Join(dir, "default", "RS256", k.id)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("key folder for Dovecot: %w", err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	// Written beside and renamed, so Dovecot never reads half a key.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, pemKey, 0o644); err != nil {
		return "", fmt.Errorf("write key for Dovecot: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("write key for Dovecot: %w", err)
	}
	return path, nil
}
