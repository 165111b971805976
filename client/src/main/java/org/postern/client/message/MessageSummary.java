package org.postern.client.message;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.wire.mime.EncodedWords;
import org.postern.wire.mime.Envelope;
import org.postern.wire.mime.EnvelopeAddress;
import org.postern.wire.mime.HeaderFields;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.mime.MimeLimits;
import org.postern.wire.mime.ParsedMessage;

/**
 * What a list of messages shows and a search index needs, from one parse of a message ({@link ParsedMessage}) and
 * its top-level header block: decoded headers, whether it has attachments, and its body text. {@link #read} makes
 * both from one read of the message (the local store while it writes a message to disk, so a large body is read
 * once; the reader and the store's recovery from the file).
 */
public record MessageSummary(Optional<String> messageId, Optional<OffsetDateTime> date, List<String> from,
                             List<String> to, List<String> cc, List<String> replyTo, String subject,
                             Optional<String> inReplyTo, List<String> references, boolean hasAttachments,
                             String bodyText) {

    /**
     * Bytes of the top-level header block read for the fields the envelope does not hold (References): the same
     * bound the parser keeps per header block.
     */
    public static final int MAX_HEADER_BYTES = MimeLimits.MAX_HEADER_BYTES;

    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]+>");

    /** A message's parse and its summary. */
    public record Parsed(ParsedMessage message, MessageSummary summary) {}

    /**
     * Parses the message read from {@code in} (to its end, not closed) and summarises it, keeping the first
     * {@link #MAX_HEADER_BYTES} bytes as they pass for References, so the message is read once.
     */
    public static Parsed read(InputStream in) throws IOException {
        HeadKeeper head = new HeadKeeper(in);
        ParsedMessage parsed = MessageParser.parse(head);
        return new Parsed(parsed, of(parsed, head.bytes()));
    }

    /** {@code header} is the start of the message, at least its header block or {@link #MAX_HEADER_BYTES} of it. */
    private static MessageSummary of(ParsedMessage parsed, byte[] header) {
        Envelope e = parsed.structure().envelope();
        int headerEnd = (int) Math.min(header.length, parsed.structure().root().bodyStart());
        List<String> references = new ArrayList<>();
        for (HeaderFields.Field f : HeaderFields.split(header, 0, headerEnd)) {
            if (!f.named("References")) continue;
            String value = new String(header, f.start(), f.end() - f.start(), StandardCharsets.ISO_8859_1);
            references.addAll(ids(value.substring(value.indexOf(':') + 1)));
            break; // the first occurrence, as for the envelope's fields
        }
        return new MessageSummary(e.messageId().flatMap(MessageSummary::firstId),
                e.date().flatMap(MailDates::parse), addresses(e.from()), addresses(e.to()), addresses(e.cc()),
                addresses(e.replyTo()), e.subject().map(MessageSummary::text).orElse(""),
                e.inReplyTo().flatMap(MessageSummary::firstId), List.copyOf(references),
                !Parts.classify(parsed.structure().root()).attachments().isEmpty(), parsed.bodyText());
    }

    /** A header text value: encoded words decoded, line breaks and other controls made spaces. */
    static String text(String raw) {
        return EncodedWords.decode(raw).replaceAll("[\\p{Cntrl}&&[^\\t]]", " ").strip();
    }

    /**
     * The msg-id a Message-ID or In-Reply-To field value names (RFC 5322 §3.6.4), with its angle brackets: the first
     * bracketed one, or a bare value without spaces bracketed; the rule every Message-ID the client keeps or
     * compares goes through, so a message is recognised however it reached the store.
     */
    public static Optional<String> firstId(String value) {
        List<String> ids = ids(value);
        if (!ids.isEmpty()) return Optional.of(ids.getFirst());
        String v = value.strip();
        return v.isEmpty() || v.contains(" ") ? Optional.empty() : Optional.of("<" + v + ">");
    }

    /** RFC 5322 §3.6.4 msg-ids, with their angle brackets. */
    static List<String> ids(String value) {
        List<String> out = new ArrayList<>();
        Matcher m = MSG_ID.matcher(value);
        while (m.find()) out.add(m.group());
        return out;
    }

    private static List<String> addresses(List<EnvelopeAddress> list) {
        List<String> out = new ArrayList<>();
        for (EnvelopeAddress a : list) {
            if (a.isGroupStart() || a.isGroupEnd()) continue;
            String local = a.mailbox().orElse("");
            String host = a.host().orElse("");
            String address = host.isEmpty() ? local : local + "@" + host;
            Optional<String> name = a.name().map(MessageSummary::text).filter(n -> !n.isEmpty());
            out.add(name.isEmpty() ? address : Addresses.quoteIfNeeded(name.get()) + " <" + address + ">");
        }
        return List.copyOf(out);
    }

    /** Keeps the first {@link #MAX_HEADER_BYTES} bytes read through it. */
    private static final class HeadKeeper extends FilterInputStream {
        private final ByteArrayOutputStream head = new ByteArrayOutputStream(8192);

        HeadKeeper(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && head.size() < MAX_HEADER_BYTES) head.write(b);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) head.write(b, off, Math.min(n, MAX_HEADER_BYTES - head.size()));
            return n;
        }

        @Override
        public long skip(long n) {
            return 0; // every byte passes through read
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        byte[] bytes() {
            return head.toByteArray();
        }
    }
}
