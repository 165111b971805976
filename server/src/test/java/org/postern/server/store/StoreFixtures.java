package org.postern.server.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.mime.MessageStructure;

/**
 * Builds test messages. {@link #newMessage} is the ONE place that makes {@link NewMessage} values: parsed with
 * the real {@link MessageParser}, as the delivery agent does.
 */
public final class StoreFixtures {
    /** The server-added prefix every fixture message gets, as the SMTP server would add a trace field. */
    public static final String PREFIX = "Received: from test by postern; Mon, 1 Jan 2024 00:00:00 +0000\r\n";

    private StoreFixtures() {}

    /** A short RFC 5322 message with the subject and body given. */
    public static String text(String subject, String body) {
        return "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n";
    }

    public static NewMessage newMessage(BlobStore blobs, String raw) {
        return newMessage(blobs, raw, Flags.NONE);
    }

    /** Stores {@code raw} as a durable blob and describes it as a message with the fixture prefix. */
    public static NewMessage newMessage(BlobStore blobs, String raw, Flags flags) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        BlobStore.Stored stored;
        try {
            stored = blobs.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return withBlob(stored.ref(), raw, flags);
    }

    /** A message for a blob that is already stored (a second delivery of the same bytes). */
    public static NewMessage withBlob(BlobRef blob, String raw, Flags flags) {
        byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
        return NewMessage.of(blob, prefix, flags, Instant.parse("2024-01-01T00:00:00.123Z"),
                MessageParser.parse(PREFIX + raw));
    }

    /** What {@link MessageStructure} encodes for a fixture message, for round-trip checks. */
    public static byte[] encodedStructure(NewMessage m) {
        return m.structure().encode();
    }

    public static boolean blobExists(BlobStore blobs, BlobRef ref) {
        try {
            blobs.size(ref);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
