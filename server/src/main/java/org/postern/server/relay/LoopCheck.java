package org.postern.server.relay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the Received fields of a message's header section: RFC 5321 §6.3, "a simple counting of the number
 * of Received: header fields in a message has proven to be an effective, although rarely optimal, method of
 * detecting loops in mail systems"; more than {@link #MAX_RECEIVED} is a loop and the message fails.
 */
final class LoopCheck {
    /** RFC 5321 §6.3 suggests a threshold of 100 (Postfix hopcount_limit is 50; we follow the RFC). */
    static final int MAX_RECEIVED = 100;
    /** Header bytes read; a header section longer than this is not counted further (HeaderWatch's bound). */
    static final int MAX_HEADER_BYTES = 1024 * 1024;

    private LoopCheck() {}

    /** Whether the message (read from {@code in}) has more than {@link #MAX_RECEIVED} Received fields. */
    static boolean isLoop(InputStream raw) throws IOException {
        return receivedFields(raw) > MAX_RECEIVED;
    }

    static int receivedFields(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 16 * 1024);
        byte[] name = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int count = 0, column = 0;
        boolean matching = true, blank = true;
        for (int read = 0; read < MAX_HEADER_BYTES; read++) {
            int b = in.read();
            if (b < 0) break;
            if (b == '\n') {
                if (blank) break;   // the empty line that ends the header section
                column = 0;
                matching = true;
                blank = true;
                continue;
            }
            if (b != '\r') blank = false;
            if (column < name.length && matching) {
                int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
                if (lower != name[column]) matching = false;
                else if (column == name.length - 1) count++;
            }
            column++;
        }
        return count;
    }
}
