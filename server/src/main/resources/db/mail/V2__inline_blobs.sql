-- Postern mail store, schema version 2: small bodies inside mail.db (SqliteBlobStore).
-- data holds the whole body when it is at most SqliteBlobStore.INLINE_MAX_BYTES; NULL means the body is a
-- file under blobs/. It is written by the same transaction that first references the blob, so an inline body
-- is durable exactly when a committed row points at it, and it goes with the blob row (refs = 0).
ALTER TABLE blob ADD COLUMN data BLOB;
