package org.postern.client.message;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postern.wire.mime.MimeLimits;
import org.postern.wire.mime.Part;

/**
 * A message as a person reads it: decoded headers (RFC 2047, RFC 2231), the text body (text/plain preferred,
 * else the HTML part turned into text), and the attachments. Reads the file streaming; a 50 MB attachment is
 * never held in memory. API contract (docs/decisions/0005-mail-client.md).
 *
 * <p>Field forms: addresses are {@code Name <local@domain>} (name decoded, quoted when it holds specials) or the
 * bare address; {@code messageId}, {@code inReplyTo} and {@code references} keep their angle brackets;
 * {@code text} has "\n" line ends and no final line end. Which parts are text and which are attachments is
 * described on {@code Parts}: inline text/plain parts are the text (all of them, in order), else inline
 * text/html parts as text; every other leaf part, and every attached message/rfc822, is an attachment.
 * Malformed messages never fail: wire's parser degrades (see its package doc), so a file that is not mail at all
 * reads as a message without headers whose text is the file.
 */
public record MessageView(Optional<String> messageId, Optional<OffsetDateTime> date, List<String> from,
                          List<String> to, List<String> cc, List<String> replyTo, String subject,
                          Optional<String> inReplyTo, List<String> references, String text,
                          List<Attachment> attachments) {

    /**
     * Characters of text shown per message, all text parts together: the search text cap of wire
     * ({@link MimeLimits#MAX_SEARCH_TEXT_CHARS}), so reading a 50 MB text part costs 1 M characters of memory.
     */
    public static final int MAX_TEXT_CHARS = MimeLimits.MAX_SEARCH_TEXT_CHARS;

    /** Input buffer for the one parsing pass over the file. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /** Parses the RFC 5322 file. */
    public static MessageView read(Path file) throws IOException {
        Scan s = scan(file);
        MessageSummary h = s.summary();
        List<Part> textParts = s.parts().plain().isEmpty() ? s.parts().html() : s.parts().plain();
        StringBuilder text = new StringBuilder();
        for (Part p : textParts) {
            if (text.length() >= MAX_TEXT_CHARS) break;
            if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') text.append('\n');
            String t = Parts.text(file, p);
            text.append(t, 0, Math.min(t.length(), MAX_TEXT_CHARS - text.length()));
        }
        while (!text.isEmpty() && (text.charAt(text.length() - 1) == '\n')) text.setLength(text.length() - 1);
        List<Attachment> attachments = new ArrayList<>();
        for (int i = 0; i < s.parts().attachments().size(); i++) {
            Part p = s.parts().attachments().get(i);
            attachments.add(new Attachment(i + 1, name(p, i + 1), p.type() + "/" + p.subtype(),
                    Parts.decodedSize(file, p)));
        }
        return new MessageView(h.messageId(), h.date(), h.from(), h.to(), h.cc(), h.replyTo(), h.subject(),
                h.inReplyTo(), h.references(), text.toString(), List.copyOf(attachments));
    }

    /**
     * Writes every attachment into {@code dir}: file names from the message made safe (no path separators, no
     * leading dot, no control characters; a name taken twice gets " (2)"); returns the files written. A file that
     * already exists in {@code dir} is never overwritten: the name gets the next free number.
     */
    public static List<Path> saveAttachments(Path file, Path dir) throws IOException {
        Scan s = scan(file);
        Files.createDirectories(dir);
        Set<String> taken = new HashSet<>();
        List<Path> written = new ArrayList<>();
        List<Part> parts = s.parts().attachments();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            String base = name(p, i + 1);
            for (;;) {
                String name = SafeFileNames.unique(base, taken);
                taken.add(name.toLowerCase(Locale.ROOT));
                Path target = dir.resolve(name);
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                     InputStream in = Parts.decodedBody(file, p)) {
                    in.transferTo(out);
                } catch (FileAlreadyExistsException e) {
                    continue; // the user's file of that name stays; try "name (n)"
                }
                written.add(target);
                break;
            }
        }
        return List.copyOf(written);
    }

    /** The decoded bytes of attachment {@code index} (from 1, as in {@link #attachments()}); the caller closes it. */
    public static InputStream openAttachment(Path file, int index) throws IOException {
        List<Part> parts = scan(file).parts().attachments();
        if (index < 1 || index > parts.size()) {
            throw new IllegalArgumentException("the message has " + parts.size() + " attachments, not #" + index);
        }
        return Parts.decodedBody(file, parts.get(index - 1));
    }

    /** {@code index} counts from 1 in the order the message holds them; {@code size} is the decoded size. */
    public record Attachment(int index, String fileName, String contentType, long size) {}

    private record Scan(MessageSummary summary, Parts.Classified parts) {}

    private static Scan scan(Path file) throws IOException {
        MessageSummary.Parsed p;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), READ_BUFFER_BYTES)) {
            p = MessageSummary.read(in);
        }
        return new Scan(p.summary(), Parts.classify(p.message().structure().root()));
    }

    /** The attachment's safe file name, or "attachment-n" ("message-n.eml" for an attached message). */
    private static String name(Part p, int index) {
        String fallback = p.content().isMessage() ? "message-" + index + ".eml" : "attachment-" + index;
        return Parts.fileName(p).map(n -> SafeFileNames.safe(n, fallback)).orElse(fallback);
    }
}
