package org.postern.wire.mime;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Charset lookup and tolerant byte-to-text decoding for mail. */
final class Charsets {
    private Charsets() {}

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** Bounds the lookup cache: charset names come from untrusted mail. */
    private static final int MAX_CACHED = 256;
    private static final ConcurrentHashMap<String, Optional<Charset>> CACHE = new ConcurrentHashMap<>();

    /**
     * The charset a MIME charset name means, empty when unknown. Following the WHATWG encoding standard,
     * us-ascii and iso-8859-1 labels mean windows-1252 (a superset: mail labelled Latin-1 is often 1252).
     */
    static Optional<Charset> lookup(String name) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (key.length() > 2 && key.startsWith("\"") && key.endsWith("\"")) key = key.substring(1, key.length() - 1);
        int star = key.indexOf('*'); // RFC 2231 §5: charset*language
        if (star >= 0) key = key.substring(0, star);
        Optional<Charset> cached = CACHE.get(key);
        if (cached != null) return cached;
        Optional<Charset> found = resolve(key);
        if (CACHE.size() < MAX_CACHED) CACHE.put(key, found);
        return found;
    }

    private static Optional<Charset> resolve(String key) {
        String name = switch (key) {
            case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "l1" -> "windows-1252";
            case "utf8", "unicode-1-1-utf-8" -> "utf-8";
            case "gb2312", "x-gbk", "gb_2312-80" -> "gbk";
            case "ks_c_5601-1987", "ks_c_5601", "korean" -> "x-windows-949";
            case "" -> "";
            default -> key;
        };
        if (name.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Charset.forName(name));
        } catch (IllegalArgumentException e) { // IllegalCharsetName or UnsupportedCharset
            return Optional.empty();
        }
    }

    /**
     * Decodes a text body for search. A declared charset that is unknown, absent or ASCII-like (often a lie in
     * real mail) gives UTF-8 when the bytes are valid UTF-8, else windows-1252. Invalid sequences become
     * U+FFFD; this never fails.
     */
    static String decodeText(byte[] b, int off, int len, String declared) {
        Optional<Charset> cs = declared.isEmpty() ? Optional.empty() : lookup(declared);
        if (cs.isEmpty() || cs.get().equals(WINDOWS_1252) || cs.get().equals(StandardCharsets.UTF_8)) {
            if (isAscii(b, off, len)) return new String(b, off, len, StandardCharsets.ISO_8859_1);
            if (isValidUtf8(b, off, len)) return new String(b, off, len, StandardCharsets.UTF_8);
            return new String(b, off, len, cs.orElse(WINDOWS_1252));
        }
        return new String(b, off, len, cs.get());
    }

    /** A header field's bytes as text: UTF-8 when valid (RFC 6532), else ISO-8859-1 (every byte a char). */
    static String headerString(byte[] b, int off, int len) {
        if (isAscii(b, off, len) || !isValidUtf8(b, off, len)) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    static boolean isAscii(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) if (b[i] < 0) return false;
        return true;
    }

    /** Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF. */
    static boolean isValidUtf8(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                if (i + k >= end) return false;
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return false;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
            i += n + 1;
        }
        return true;
    }
}
