package org.postern.wire.smtp;

/**
 * RCPT TO parameters. We advertise no extension that defines one (no DSN, RFC 3461), so this is empty and
 * the parser refuses any RCPT parameter with 555 5.5.4 (RFC 5321 §4.1.1.11). It is a record so that a
 * later extension (NOTIFY=, ORCPT=) has its place.
 */
public record RcptParams() {
    public static final RcptParams NONE = new RcptParams();
}
