package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/onrecord/onrecord/knowledge"
)

// Export returns the knowledge base as a dataset in canonical order: every
// record when scope is nil, otherwise the records visible in *scope.
func (s *Store) Export(ctx context.Context, scope *knowledge.Scope) (*knowledge.Dataset, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := "SELECT r.kind, r.data, t.text FROM records r LEFT JOIN document_texts t ON t.rid = r.rid"
	var args []any
	if scope != nil {
		q += " WHERE " + inScope("r")
		args = append(args, scope.Guild)
	}
	rows, err := tx.QueryContext(ctx, q+" ORDER BY r.kind, r.id", args...)
	if err != nil {
		return nil, dbError(err, "export")
	}
	defer rows.Close()
	ds := &knowledge.Dataset{Format: knowledge.Format}
	for rows.Next() {
		var kind, data string
		var text sql.NullString
		if err := rows.Scan(&kind, &data, &text); err != nil {
			return nil, dbError(err, "export")
		}
		if err := appendRecord(ds, kind, []byte(data)); err != nil {
			return nil, err
		}
		if text.Valid {
			ds.Documents[len(ds.Documents)-1].Text = text.String
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(err, "export")
	}
	ds.Sort()
	return ds, nil
}

// appendRecord decodes data as a record of kind and appends it to ds.
func appendRecord(ds *knowledge.Dataset, kind string, data []byte) error {
	var err error
	switch kind {
	case "organisation":
		ds.Organisations, err = appendDecoded(ds.Organisations, data)
	case "person":
		ds.People, err = appendDecoded(ds.People, data)
	case "document":
		ds.Documents, err = appendDecoded(ds.Documents, data)
	case "excerpt":
		ds.Excerpts, err = appendDecoded(ds.Excerpts, data)
	case "claim":
		ds.Claims, err = appendDecoded(ds.Claims, data)
	case "evidence":
		ds.Evidence, err = appendDecoded(ds.Evidence, data)
	case "figure":
		ds.Figures, err = appendDecoded(ds.Figures, data)
	case "event":
		ds.Events, err = appendDecoded(ds.Events, data)
	default:
		err = fmt.Errorf("unknown record kind %q", kind)
	}
	return err
}

func appendDecoded[T any](list []T, data []byte) ([]T, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return list, fmt.Errorf("decode record: %w", err)
	}
	return append(list, v), nil
}
