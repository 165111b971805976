package org.postern.wire.dsn;

import java.util.Locale;

/**
 * RFC 3461 §4.2 ORCPT= of RCPT TO: the recipient as the sender first gave it, returned in notices as
 * {@code Original-Recipient} (RFC 3464 §2.3.1). {@code address} is decoded: {@code rfc822;bob+2Bx@example.org}
 * gives type {@code rfc822} and address {@code bob+x@example.org}. RFC 3461 §4.2: the address "is NOT
 * constrained to conform to the syntax rules for that addr-type", so it is kept as given.
 *
 * <p>For the {@code utf-8} type, RFC 6533 §3 adds {@code \x{HEX}} escapes of Unicode characters
 * (utf-8-addr-xtext); they are decoded too, and {@link #toParameter()} writes non-ASCII characters so.
 */
public record OriginalRecipient(String addressType, String address) {
    public OriginalRecipient {
        if (!isAtom(addressType)) throw new IllegalArgumentException("bad ORCPT address type");
        if (address.isEmpty()) throw new IllegalArgumentException("empty ORCPT address");
    }

    /** An {@code rfc822} original recipient. */
    public static OriginalRecipient rfc822(String address) {
        return new OriginalRecipient("rfc822", address);
    }

    /**
     * Parses the parameter value ({@code addr-type ";" xtext}).
     *
     * @throws IllegalArgumentException for a value longer than {@link DsnLimits#MAX_ORCPT_CHARS}, without
     *     ";", with a bad type or bad xtext
     */
    public static OriginalRecipient parse(String value) {
        if (value.length() > DsnLimits.MAX_ORCPT_CHARS) throw new IllegalArgumentException("ORCPT too long");
        int semi = value.indexOf(';');
        if (semi <= 0) throw new IllegalArgumentException("ORCPT needs addr-type;address");
        String type = value.substring(0, semi);
        String address = Xtext.decode(value.substring(semi + 1));
        if (type.equalsIgnoreCase("utf-8")) address = unescapeUnicode(address);
        return new OriginalRecipient(type, address);
    }

    /** Whether the type is {@code rfc822} (any case). */
    public boolean isRfc822() {
        return addressType.equalsIgnoreCase("rfc822");
    }

    /** The parameter as an SMTP client passes it on: {@code ORCPT=rfc822;bob+2Bx@example.org}. */
    public String toParameter() {
        String a = address;
        if (addressType.equalsIgnoreCase("utf-8")) a = escapeUnicode(a);
        return "ORCPT=" + addressType + ";" + Xtext.encode(a);
    }

    /** RFC 6533 §3: EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}". */
    static String unescapeUnicode(String s) {
        if (!s.contains("\\x{")) return s;
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int close = s.startsWith("\\x{", i) ? s.indexOf('}', i + 3) : -1;
            if (close > i + 3 && close <= i + 9) {
                try {
                    int cp = Integer.parseInt(s.substring(i + 3, close), 16);
                    if (Character.isValidCodePoint(cp) && cp >= 0x80) {
                        sb.appendCodePoint(cp);
                        i = close + 1;
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // not an escape: kept as it is
                }
            }
            sb.append(s.charAt(i++));
        }
        return sb.toString();
    }

    private static String escapeUnicode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp < 0x80) sb.append((char) cp);
            else sb.append("\\x{").append(Integer.toHexString(cp).toUpperCase(Locale.ROOT)).append('}');
        });
        return sb.toString();
    }

    /** RFC 5322 atom text: the addr-type (RFC 3461 §4.2: addr-type = atom). */
    private static boolean isAtom(String s) {
        if (s.isEmpty() || s.length() > 64) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }
}
