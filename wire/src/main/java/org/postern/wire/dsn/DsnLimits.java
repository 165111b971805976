package org.postern.wire.dsn;

/** Limits of the DSN parameters and notices. Each is a constant so tests can hit it exactly. */
public final class DsnLimits {
    private DsnLimits() {}

    /** RFC 3461 §4.2: "The entire ORCPT parameter MAY be up to 500 characters in length." */
    public static final int MAX_ORCPT_CHARS = 500;

    /** RFC 3461 §4.4: "The ENVID parameter ... may be up to 100 characters in length." (its xtext form) */
    public static final int MAX_ENVID_CHARS = 100;

    /**
     * The largest original returned whole in a failure notice; a bigger one is returned as its header only
     * ({@code text/rfc822-headers}) and the notice says so. A notice carrying a copy of a big message doubles
     * the load on both sides and may itself be refused by the sender's mailbox (a bounce of a bounce is
     * dropped, so the sender would learn nothing). Postfix caps returned text at 50,000 octets
     * ({@code bounce_size_limit}) and Exim at 100 KiB ({@code bounce_return_size_limit}), both by cutting the
     * message, which breaks its MIME structure; we return it whole or not at all, so the cap can be larger.
     * {@link DsnWriter} takes another value from configuration.
     */
    public static final long MAX_RETURNED_MESSAGE_BYTES = 1024 * 1024;

    /**
     * Header octets of the original read into memory before the notice is written (to find its Message-ID,
     * Subject and whether it has 8-bit octets). The rest of a longer header is still copied, streaming.
     * The same cap as the MIME parser's per-part header ({@code MimeLimits.MAX_HEADER_BYTES}).
     */
    public static final int MAX_SCANNED_HEADER_BYTES = 256 * 1024;

    /**
     * Characters of one diagnostic text (a remote server's reply) kept in a notice; the rest is cut with
     * "...". RFC 5321 §4.5.3.1.5 limits a reply line to 512 octets; a multi-line reply of eight such lines
     * fits, and a hostile server cannot make our notice arbitrarily large.
     */
    public static final int MAX_DIAGNOSTIC_CHARS = 4096;

    /** Recipients reported in one notice: one per RCPT of the original transaction (RFC 5321 §4.5.3.1.8). */
    public static final int MAX_RECIPIENTS = 1000;

    /**
     * Header line length we fold to (RFC 5322 §2.1.1: lines SHOULD be at most 78 characters); a word longer
     * than {@link #MAX_LINE_CHARS} is split with a fold, the only way to keep the hard limit.
     */
    static final int FOLD_LINE_CHARS = 78;

    /** RFC 5322 §2.1.1: lines MUST be no more than 998 characters, excluding the CRLF. */
    static final int MAX_LINE_CHARS = 998;
}
