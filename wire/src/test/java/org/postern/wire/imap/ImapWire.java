package org.postern.wire.imap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: reads server output the way a client does, one whole response at a time. */
final class ImapWire {
    private ImapWire() {}

    private static final Pattern LITERAL_AT_END = Pattern.compile("~?\\{(\\d+)}$");

    /**
     * Splits output into responses as a client's parser would: a line ends at CRLF unless it ends with a
     * literal announcement {n}, whose n octets (CR and LF included) belong to the same response. Each response
     * is returned without its final CRLF, decoded as UTF-8. Fails on output that does not end with CRLF.
     */
    static List<String> responses(byte[] wire) {
        List<String> out = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int i = 0;
        while (i < wire.length) {
            int crlf = indexOfCrlf(wire, i);
            if (crlf < 0) throw new AssertionError("output does not end with CRLF: " + text(wire, i, wire.length));
            current.write(wire, i, crlf - i);
            Matcher m = LITERAL_AT_END.matcher(text(wire, Math.max(i, crlf - 24), crlf));
            i = crlf + 2;
            if (m.find()) {
                int n = Integer.parseInt(m.group(1));
                current.write('\r');
                current.write('\n');
                current.write(wire, i, n);
                i += n;
            } else {
                out.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            }
        }
        if (current.size() > 0) throw new AssertionError("unfinished response: " + current);
        return out;
    }

    static List<String> responses(ByteArrayOutputStream out) {
        return responses(out.toByteArray());
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        return -1;
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
