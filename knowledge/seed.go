package knowledge

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

//go:embed seed/seed.json seed/windrush-article.txt
var seedFS embed.FS

// SeedJSON returns the embedded seed: the curated dataset read from the
// Windrush article, in the export format.
func SeedJSON() []byte {
	b, err := seedFS.ReadFile("seed/seed.json")
	if err != nil {
		panic("knowledge: embedded seed missing: " + err.Error()) // cannot happen: embedded at build
	}
	return b
}

// SeedArticle returns the embedded text of the article the seed is read
// from, byte for byte as published.
func SeedArticle() []byte {
	b, err := seedFS.ReadFile("seed/windrush-article.txt")
	if err != nil {
		panic("knowledge: embedded article missing: " + err.Error()) // cannot happen: embedded at build
	}
	return b
}

// Seed returns the embedded seed dataset, decoded. It returns an error only
// if the embedded file is corrupt, which the package's tests rule out.
func Seed() (*Dataset, error) {
	return DecodeDataset(bytes.NewReader(SeedJSON()))
}

// DecodeDataset reads a dataset in the export format, refusing unknown
// fields and trailing data so that a misspelt field is an error, not a loss.
func DecodeDataset(r interface{ Read([]byte) (int, error) }) (*Dataset, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var ds Dataset
	if err := dec.Decode(&ds); err != nil {
		return nil, FieldError("file", "the file is not an OnRecord export: %s", jsonProblem(err))
	}
	if dec.More() {
		return nil, FieldError("file", "the file has data after the end of the export")
	}
	return &ds, nil
}

// EncodeDataset writes ds in the canonical export form: sorted by id,
// indented, HTML characters left as they are, one trailing newline.
func EncodeDataset(w interface{ Write([]byte) (int, error) }, ds *Dataset) error {
	ds.Sort()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ds); err != nil {
		return fmt.Errorf("encode dataset: %w", err)
	}
	return nil
}

// jsonProblem turns a decoding error into a short user-safe description.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return "invalid JSON: it ends too early"
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q should be %s, not a JSON %s", te.Field, te.Type.String(), te.Value)
	}
	return clip(err.Error(), 200)
}
