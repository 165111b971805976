package org.postern.client.message;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A message as a person reads it: decoded headers (RFC 2047, RFC 2231), the text body (text/plain preferred,
 * else the HTML part turned into text), and the attachments. Reads the file streaming; a 50 MB attachment is
 * never held in memory. API contract (docs/decisions/0005-mail-client.md); filled in by {@code client.message}.
 */
public record MessageView(Optional<String> messageId, Optional<OffsetDateTime> date, List<String> from,
                          List<String> to, List<String> cc, List<String> replyTo, String subject,
                          Optional<String> inReplyTo, List<String> references, String text,
                          List<Attachment> attachments) {

    /** Parses the RFC 5322 file. */
    public static MessageView read(Path file) throws IOException {
        throw new UnsupportedOperationException("client.message");
    }

    /**
     * Writes every attachment into {@code dir}: file names from the message made safe (no path separators, no
     * leading dot, no control characters; a name taken twice gets " (2)"); returns the files written.
     */
    public static List<Path> saveAttachments(Path file, Path dir) throws IOException {
        throw new UnsupportedOperationException("client.message");
    }

    /** {@code index} counts from 1 in the order the message holds them; {@code size} is the decoded size. */
    public record Attachment(int index, String fileName, String contentType, long size) {}
}
