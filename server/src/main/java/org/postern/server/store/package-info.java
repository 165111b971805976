/**
 * The store SPI: account-scoped transactions over mailboxes and messages, with message bodies kept apart
 * in a {@link org.postern.server.store.BlobStore}.
 *
 * <p>UIDs, UIDVALIDITY and MODSEQ are assigned by the store inside the write transaction. Every write also
 * records its {@link org.postern.server.store.Change} rows, so {@code changesSince(modSeq)} serves QRESYNC,
 * other cluster nodes and client sync; in-process subscribers are told after commit.
 *
 * <p>A stored message is the concatenation of a small per-delivery header prefix (Return-Path, Received,
 * and on submission a missing Message-ID or Date: trace fields the server adds) and the body blob exactly
 * as the client sent it. The prefix lives in the database; the blob is never rewritten (the mox approach).
 * The {@link org.postern.wire.mime.MessageStructure} stored with a message describes that concatenation, so
 * its offsets are offsets into {@link org.postern.server.store.MailStore#open}.
 *
 * <p>Backends: {@code store.sqlite} (embedded default). PostgreSQL is a later backend that must pass the same
 * contract tests ({@code MailStoreContract}).
 */
package org.postern.server.store;
