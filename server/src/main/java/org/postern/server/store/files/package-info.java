/**
 * Message bodies as files: {@code <dataDir>/blobs/<aa>/<id>}, where {@code id} is 128 random bits in hex and
 * {@code aa} its first two characters (256 directories, so none grows huge).
 *
 * <p>Durability follows the classic recipe: write a temp file in {@code blobs/tmp/}, {@code fsync} it, rename
 * it atomically into place, then {@code fsync} the directory so the rename itself survives a crash. Only then
 * may the caller commit database rows that point at the blob. A crash before that commit leaves an
 * unreferenced file, which the store's orphan sweep removes later; a crash while writing leaves a temp file,
 * which {@link org.postern.server.store.files.FileBlobStore#sweepTemp()} removes at startup.
 *
 * <p>The SQLite store uses these files only for bodies larger than it keeps inline (see
 * {@code org.postern.server.store.sqlite.SqliteBlobStore}).
 *
 * <p>Blobs are immutable once committed and are never rewritten; server-added header fields live in the
 * database as a prefix (see {@link org.postern.server.store}).
 */
package org.postern.server.store.files;
