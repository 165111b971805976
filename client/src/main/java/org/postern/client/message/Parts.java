package org.postern.client.message;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.wire.mime.ContentFields;
import org.postern.wire.mime.EncodedWords;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.mime.MimeLimits;
import org.postern.wire.mime.Part;
import org.postern.wire.mime.TransferDecodingInputStream;

/**
 * Which parts of a parsed message are its text and which are attachments, and their decoded bytes read from the
 * file by offset (one part at a time, streaming).
 *
 * <p>Classification, on the part tree alone (no I/O): multiparts are walked; a message/rfc822 (or global) part is
 * one attachment (a forwarded message, not descended into); a leaf text/plain or text/html part without a file
 * name and not marked "attachment" is body text; every other leaf is an attachment.
 */
final class Parts {
    private Parts() {}

    /** Body text and attachments of a message, in the order the message holds them. */
    record Classified(List<Part> plain, List<Part> html, List<Part> attachments) {}

    static Classified classify(Part root) {
        Classified c = new Classified(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        walk(root, c);
        return c;
    }

    private static void walk(Part p, Classified c) {
        ContentFields f = p.content();
        if (f.isMultipart()) {
            for (Part child : p.children()) walk(child, c);
            return;
        }
        boolean attachmentDisposition = f.disposition().map(d -> d.type().equals("attachment")).orElse(false);
        boolean named = f.fileName().isPresent();
        if (f.isText() && !attachmentDisposition && !named && f.subtype().equals("plain")) c.plain.add(p);
        else if (f.isText() && !attachmentDisposition && !named && f.subtype().equals("html")) c.html.add(p);
        else c.attachments.add(p);
    }

    /** The attachment's file name as the message gives it (RFC 2231 decoded by wire, RFC 2047 words decoded), or empty. */
    static Optional<String> fileName(Part p) {
        return p.content().fileName().map(EncodedWords::decode).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** The part's body bytes as stored (still transfer-encoded). */
    static InputStream rawBody(Path file, Part p) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ch.position(p.bodyStart());
            return new Bounded(Channels.newInputStream(ch), p.bodySize());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The part's body with its transfer encoding removed; an unknown encoding gives the bytes as stored. */
    static InputStream decodedBody(Path file, Part p) throws IOException {
        InputStream raw = rawBody(file, p);
        return TransferDecodingInputStream.decode(p.content().encoding(), raw).orElse(raw);
    }

    /** Counts the decoded bytes of a part, streaming. */
    static long decodedSize(Path file, Part p) throws IOException {
        try (InputStream in = decodedBody(file, p)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /**
     * A text part as text: transfer encoding and charset decoded (tolerantly, as wire does for search: a lying or
     * unknown charset falls back to UTF-8 or windows-1252), HTML turned into text, lines ending in "\n". Done by
     * running wire's own {@link MessageParser} over the part alone behind a minimal header, so the text a person
     * reads is decoded exactly as the search index decodes it. At most {@link MimeLimits#MAX_SEARCH_TEXT_CHARS}
     * characters per message are kept (a longer text is cut there: the reader shows 1 M characters, not 50 MB).
     */
    static String text(Path file, Part p) throws IOException {
        ContentFields f = p.content();
        String charset = f.param("charset").orElse("").replaceAll("[\\x00-\\x1f\"\\\\]", "");
        String header = "Content-Type: text/" + f.subtype() + "; charset=\"" + charset + "\"\r\n"
                + "Content-Transfer-Encoding: " + f.encoding().replaceAll("[^A-Za-z0-9_.-]", "") + "\r\n\r\n";
        try (InputStream body = rawBody(file, p);
             InputStream all = new SequenceInputStream(
                     new ByteArrayInputStream(header.getBytes(StandardCharsets.US_ASCII)), body)) {
            return MessageParser.parse(all).bodyText();
        }
    }

    /** At most {@code remaining} bytes of {@code in}. */
    static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = in.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(Math.min(n, remaining));
            remaining -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
