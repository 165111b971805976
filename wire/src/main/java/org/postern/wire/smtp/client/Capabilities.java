package org.postern.wire.smtp.client;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import org.postern.wire.smtp.SmtpReply;

/**
 * What the server said it supports in its EHLO reply (RFC 5321 §4.1.1.1: the first line is the server's
 * name and greeting, each further line {@code ehlo-keyword *(SP ehlo-param)}). Keywords are case-insensitive;
 * unknown ones are ignored. After HELO, or after STARTTLS until the next EHLO (RFC 3207 §4.2), nothing is
 * known: {@link #NONE}.
 *
 * @param esmtp          the server answered EHLO (so MAIL/RCPT parameters may be sent at all)
 * @param sizeLimit      RFC 1870 SIZE with a positive maximum; empty when not offered or offered without a
 *                       limit (SIZE 0 or no number, RFC 1870 §4)
 * @param size           RFC 1870 SIZE offered: we may send {@code SIZE=}
 * @param authMechanisms RFC 4954 AUTH, upper-case
 */
public record Capabilities(boolean esmtp, boolean pipelining, boolean size, OptionalLong sizeLimit,
                           boolean eightBitMime, boolean smtpUtf8, boolean startTls, boolean dsn,
                           boolean enhancedStatusCodes, boolean chunking, Set<String> authMechanisms) {
    public static final Capabilities NONE =
            new Capabilities(false, false, false, OptionalLong.empty(), false, false, false, false, false, false, Set.of());

    /** RFC 1870 §3: size-value = 1*20DIGIT; more than 18 digits is "no practical limit" for us. */
    private static final int MAX_SIZE_DIGITS = 18;

    public Capabilities {
        authMechanisms = Set.copyOf(authMechanisms);
    }

    /** Reads the keywords of a 250 reply to EHLO. */
    static Capabilities parse(SmtpReply ehlo) {
        boolean pipelining = false, size = false, eightBitMime = false, smtpUtf8 = false, startTls = false;
        boolean dsn = false, enhanced = false, chunking = false;
        OptionalLong limit = OptionalLong.empty();
        Set<String> auth = new LinkedHashSet<>();
        List<String> lines = ehlo.lines();
        for (String line : lines.subList(1, lines.size())) {
            String[] words = line.strip().split(" +");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            // Some old servers (and clients expecting them) write "AUTH=PLAIN LOGIN"; it means the same.
            if (keyword.startsWith("AUTH=")) {
                auth.add(keyword.substring(5));
                keyword = "AUTH";
            }
            switch (keyword) {
                case "PIPELINING" -> pipelining = true;
                case "SIZE" -> {
                    size = true;
                    if (words.length > 1) limit = sizeLimit(words[1]);
                }
                case "8BITMIME" -> eightBitMime = true;
                case "SMTPUTF8" -> smtpUtf8 = true;
                case "STARTTLS" -> startTls = true;
                case "DSN" -> dsn = true;
                case "ENHANCEDSTATUSCODES" -> enhanced = true;
                case "CHUNKING" -> chunking = true;
                case "AUTH" -> {
                    for (int i = 1; i < words.length; i++) auth.add(words[i].toUpperCase(Locale.ROOT));
                }
                default -> { /* an extension we do not use */ }
            }
        }
        auth.remove("");
        return new Capabilities(true, pipelining, size, limit, eightBitMime, smtpUtf8, startTls, dsn, enhanced, chunking, auth);
    }

    private static OptionalLong sizeLimit(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) return OptionalLong.empty();
        if (digits.length() > MAX_SIZE_DIGITS) return OptionalLong.empty();
        long n = Long.parseLong(digits);
        return n > 0 ? OptionalLong.of(n) : OptionalLong.empty();   // RFC 1870 §4: 0 means no fixed maximum
    }
}
