/**
 * SASL mechanisms the servers offer over TLS: PLAIN (RFC 4616) and LOGIN, with the base64 response rules of
 * RFC 4954 §4 ({@code *} cancels, {@code =} is an empty initial response). Decoding only: checking the
 * password is the directory's job. Passwords come out wrapped in {@link org.postern.wire.Secret}.
 */
package org.postern.wire.sasl;
