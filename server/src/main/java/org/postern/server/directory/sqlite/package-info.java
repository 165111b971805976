/**
 * The directory on SQLite: {@code <dataDir>/directory.db}, its own file beside the mail store so that the
 * admin CLI and the running server share it (WAL, busy timeout) and a directory backup is one small file.
 * {@link org.postern.server.directory.sqlite.SqliteDirectory} is the entry point; {@code Routing} holds the
 * recipient rules (plus-addressing, aliases, catch-all) apart from SQL; {@code Addresses} the name syntax;
 * {@code Schema} the versioned migrations from {@code db/directory/}.
 */
package org.postern.server.directory.sqlite;
