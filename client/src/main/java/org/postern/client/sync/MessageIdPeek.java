package org.postern.client.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.postern.client.message.MessageSummary;
import org.postern.wire.mime.HeaderFields;

/**
 * Reads a message's Message-ID from the front of a stream that is read on afterwards from the start: the header
 * is looked at within a bounded window, so a message is never held in memory, only its first bytes.
 */
final class MessageIdPeek {
    /**
     * How much of a message's front is looked at for Message-ID. Headers are usually a few KB; RFC 5322 §2.1.1
     * lines are at most 998 octets, so 64 KB holds dozens of long Received lines before Message-ID. A Message-ID
     * further in is not found: the message is then downloaded as a new one (adoption is an optimisation against
     * duplicates, and a missed one leaves a duplicate the next UIDVALIDITY-free sync never makes again).
     */
    static final int MAX_HEADER_PEEK = 64 * 1024;

    private MessageIdPeek() {}

    /** Peeks at {@code in}, which must support mark/reset; leaves it reset at its start. */
    static Optional<String> peek(InputStream in) throws IOException {
        if (!in.markSupported()) throw new IllegalArgumentException("stream must support mark/reset");
        in.mark(MAX_HEADER_PEEK + 1);
        byte[] front = in.readNBytes(MAX_HEADER_PEEK);
        in.reset();
        return find(front, front.length);
    }

    /**
     * The Message-ID field's msg-id in the first {@code length} bytes, by the rule the store keeps it by
     * ({@link MessageSummary#firstId}), so a peeked id and a stored one compare equal.
     */
    static Optional<String> find(byte[] front, int length) {
        int end = headerEnd(front, length);
        List<HeaderFields.Field> fields;
        if (end < length || length < MAX_HEADER_PEEK) {
            fields = HeaderFields.split(front, 0, end); // the whole header (or the whole message) is in the window
        } else {
            // The window ends inside the header: only lines that end in it count, and the last of those only if the
            // next line's first byte is in the window and is no continuation (RFC 5322 §2.2.3), i.e. it has ended.
            int cut = 0;
            for (int i = length - 1; i >= 0; i--) {
                if (front[i] == '\n') {
                    cut = i + 1;
                    break;
                }
            }
            fields = HeaderFields.split(front, 0, cut);
            boolean mayContinue = cut >= length || front[cut] == ' ' || front[cut] == '\t';
            if (mayContinue && !fields.isEmpty()) fields = fields.subList(0, fields.size() - 1);
        }
        for (HeaderFields.Field f : fields) {
            if (!f.named("Message-ID")) continue;
            String raw = new String(front, f.start(), f.end() - f.start(), StandardCharsets.UTF_8);
            return MessageSummary.firstId(raw.substring(raw.indexOf(':') + 1).replaceAll("[\\r\\n]", ""));
        }
        return Optional.empty();
    }

    /** Where the header ends (after the empty line), or {@code length} if the window holds no empty line. */
    private static int headerEnd(byte[] b, int length) {
        for (int i = 0; i + 1 < length; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || (b[i + 1] == '\r' && i + 2 < length && b[i + 2] == '\n'))) {
                return i + 1;
            }
        }
        return length;
    }
}
