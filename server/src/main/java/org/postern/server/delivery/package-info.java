/**
 * The delivery agent: routes each RCPT TO through the directory as it is given (unknown local users are
 * refused then, never bounced later), receives the body into a durable blob while watching its header, and
 * commits one accepted message in one store transaction — INBOX appends for local accounts (de-duplicated,
 * aliases folded) and one outbound queue entry for remote recipients and alias forwards.
 *
 * <p>The server adds a header prefix in front of the unchanged body blob (DESIGN.md "Bodies"): locally
 * {@code Return-Path} (RFC 5321 §4.4), then {@code Received}; on submission also a missing
 * {@code Message-ID} / {@code Date} (RFC 6409 §8.3). The outbound copy gets the same without Return-Path.
 */
package org.postern.server.delivery;
