package org.postern.server.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the envelope sender in a stored message: the delivery agent records it as the first header field,
 * {@code Return-Path: <sender>} (RFC 5321 §4.4). Only the header section is read, and at most
 * {@link #MAX_HEADER_BYTES} of it.
 */
final class ReturnPath {
    /** Header bytes read before giving up: far more than any real header section; the field is first anyway. */
    static final int MAX_HEADER_BYTES = 256 * 1024;

    private ReturnPath() {}

    /** The reverse-path without angle brackets; empty for {@code <>} or when the message has none. */
    static Optional<String> of(InputStream message) throws IOException {
        int read = 0;
        String field = null;   // the Return-Path field being unfolded, if any
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (read < MAX_HEADER_BYTES) {
            int b = message.read();
            if (b < 0) break;
            read++;
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String l = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
            if (!l.isEmpty() && (l.charAt(0) == ' ' || l.charAt(0) == '\t')) {   // RFC 5322 §2.2.3 folding
                if (field != null) field += l;
                continue;
            }
            if (field != null) return address(field);
            if (l.isEmpty()) return Optional.empty();                         // end of the header section
            if (l.toLowerCase(Locale.ROOT).startsWith("return-path:")) field = l.substring("return-path:".length());
        }
        return field != null ? address(field) : Optional.empty();
    }

    private static Optional<String> address(String value) {
        String v = value.strip();
        int open = v.indexOf('<'), close = v.lastIndexOf('>');
        if (open >= 0 && close > open) v = v.substring(open + 1, close).strip();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
}
