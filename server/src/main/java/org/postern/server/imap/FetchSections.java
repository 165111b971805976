package org.postern.server.imap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.postern.wire.imap.FetchItem;
import org.postern.wire.imap.FetchItem.Partial;
import org.postern.wire.imap.FetchItem.SectionText;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.mime.MessageStructure;
import org.postern.wire.mime.MimeLimits;
import org.postern.wire.mime.Part;
import org.postern.wire.mime.TransferDecodingInputStream;

/**
 * The message-content items of IMAP FETCH (RFC 9051 §6.4.5, RFC 3516 BINARY): BODY[section]&lt;partial&gt; and
 * BODY.PEEK, BINARY[part], BINARY.PEEK, BINARY.SIZE, RFC822, RFC822.HEADER, RFC822.TEXT. Section boundaries come
 * from the structure parsed at delivery; bytes stream from the store, never whole in memory.
 *
 * <p>How each item reads the store:
 * <ul>
 *   <li>A section that is a byte range of the stored message (BODY[], BODY[1.2], BODY[TEXT], BODY[HEADER],
 *       BODY[n.MIME], RFC822*) has a length known from the structure: one read, skipping to the range and
 *       copying at most its length.</li>
 *   <li>HEADER.FIELDS and HEADER.FIELDS.NOT read only the header's bytes (never the body). A header up to
 *       {@link MimeLimits#MAX_HEADER_BYTES} is read once into memory and filtered; a larger (hostile) one is
 *       filtered twice as a stream, once to count the result and once to send it.</li>
 *   <li>BINARY decodes as a stream twice: once to count the decoded length (and see whether it holds a NUL,
 *       RFC 3516 §4.2: literal8 then, else a plain literal), once to send it, since a literal's length comes
 *       before its bytes. BINARY.SIZE decodes once to count; for 7bit/8bit/binary it is the stored size.</li>
 * </ul>
 *
 * <p>A section that does not exist (BODY[9] of a message with two parts, BODY[1.HEADER] when part 1 is not a
 * message/rfc822) is answered NIL. Neither RFC 3501 nor RFC 9051 makes such a request an error or says what to
 * answer; the value is an nstring (RFC 9051 §7.5.2 msg-att-static), so NIL or an empty string are both allowed,
 * and NIL ("no such data") is the one a client cannot mistake for an empty part. (Dovecot 2.3's imap-msgpart.c
 * answers an empty string, "MIME part not found. return an empty part.") BINARY.SIZE must be a number (RFC 3516
 * §6 grammar), so a missing part has size 0, as in Dovecot.
 */
public final class FetchSections {
    private FetchSections() {}

    /** Opens the message's bytes (prefix then body blob, as {@code MailStore.openMessage}); may be called more than once. */
    @FunctionalInterface
    public interface MessageBytes {
        InputStream open() throws IOException;
    }

    /** BINARY on a part whose Content-Transfer-Encoding cannot be decoded: the command fails with NO [UNKNOWN-CTE] (RFC 3516 §4.3). */
    public static final class UnknownCteException extends IOException {
        public UnknownCteException(String message) {
            super(message);
        }
    }

    /** True for the items {@link #write} handles. */
    public static boolean handles(FetchItem item) {
        return item instanceof FetchItem.BodySection || item instanceof FetchItem.Binary || item instanceof FetchItem.BinarySize
                || item instanceof FetchItem.Rfc822 || item instanceof FetchItem.Rfc822Header || item instanceof FetchItem.Rfc822Text;
    }

    /**
     * Writes one such item into a FETCH response being built: the item name as the response spells it
     * ({@code BODY[1.2.HEADER.FIELDS (FROM)]<0>}, {@code BINARY[2]}, {@code BINARY.SIZE[2]}, {@code RFC822.TEXT})
     * and its value (literal, literal8, number or NIL). The caller writes UID/FLAGS and the other items, and sets
     * \Seen for non-PEEK items itself.
     *
     * @throws UnknownCteException for BINARY or BINARY.SIZE of a part whose transfer encoding is not one of RFC
     *     2045's (nothing has been written then)
     * @throws IllegalArgumentException for an item {@link #handles} refuses
     */
    public static void write(ImapWriter.Response response, FetchItem item, MessageStructure structure, MessageBytes bytes)
            throws IOException {
        Part root = structure.root();
        switch (item) {
            // RFC 3501 §6.4.5: RFC822 is BODY[], RFC822.HEADER is BODY.PEEK[HEADER], RFC822.TEXT is BODY[TEXT],
            // each answered under its own name (RFC 3501 §7.4.2)
            case FetchItem.Rfc822 _ -> range("RFC822", root.headerStart(), root.end(), Optional.empty(), bytes).write(response);
            case FetchItem.Rfc822Header _ ->
                    range("RFC822.HEADER", root.headerStart(), root.bodyStart(), Optional.empty(), bytes).write(response);
            case FetchItem.Rfc822Text _ -> range("RFC822.TEXT", root.bodyStart(), root.end(), Optional.empty(), bytes).write(response);
            case FetchItem.BodySection s -> bodySection(s, structure, bytes).write(response);
            case FetchItem.Binary b -> binary(b, structure, bytes).write(response);
            case FetchItem.BinarySize s -> {
                long size = binarySize(s.part(), structure, bytes);
                response.token("BINARY.SIZE[" + path(s.part()) + "]").number(size);
            }
            default -> throw new IllegalArgumentException("not a message-content item: " + item);
        }
    }

    // ---------------------------------------------------------------------------------------------- BODY[...]

    private static FetchValue bodySection(FetchItem.BodySection item, MessageStructure structure, MessageBytes bytes)
            throws IOException {
        List<Integer> path = item.section().part();
        SectionText text = item.section().text();
        Optional<Partial> partial = item.partial();
        FetchValue.Name name = sectionName(path, text, partial);
        Optional<Part> found = find(structure, path);
        if (found.isEmpty()) return FetchValue.nil(name);
        Part part = found.get();
        if (path.isEmpty() || text instanceof SectionText.Whole || text instanceof SectionText.Mime) {
            return switch (text) {
                // RFC 9051 §6.4.5: BODY[] is the whole message; BODY[n] the body of part n (for a message/rfc822
                // part, the whole attached message); BODY[n.MIME] the part's MIME header
                case SectionText.Whole _ when path.isEmpty() -> FetchValue.range(name, part.headerStart(), part.end(), partial, bytes);
                case SectionText.Whole _ -> FetchValue.range(name, part.bodyStart(), part.end(), partial, bytes);
                // (part 1 of a non-multipart message is the message itself, so its MIME header is the message's
                // header, as in Dovecot; likewise n.1 when message/rfc822 part n holds a non-multipart message)
                case SectionText.Mime _ -> FetchValue.range(name, part.headerStart(), part.bodyStart(), partial, bytes);
                default -> messageText(name, part, text, partial, bytes);
            };
        }
        // RFC 9051 §6.4.5: HEADER, HEADER.FIELDS(.NOT) and TEXT after a part number apply only to a
        // message/rfc822 (or message/global) part: the header and body of the message it holds
        if (part.message().isEmpty()) return FetchValue.nil(name);
        return messageText(name, part.message().get().root(), text, partial, bytes);
    }

    /** HEADER, HEADER.FIELDS(.NOT) or TEXT of the message whose root part is {@code message}. */
    private static FetchValue messageText(FetchValue.Name name, Part message, SectionText text, Optional<Partial> partial,
                                          MessageBytes bytes) throws IOException {
        return switch (text) {
            case SectionText.Header _ -> FetchValue.range(name, message.headerStart(), message.bodyStart(), partial, bytes);
            case SectionText.Text _ -> FetchValue.range(name, message.bodyStart(), message.end(), partial, bytes);
            case SectionText.HeaderFields f -> headerFields(name, message, f, partial, bytes);
            case SectionText.Whole _, SectionText.Mime _ -> throw new IllegalStateException("not a message text: " + text);
        };
    }

    private static FetchValue headerFields(FetchValue.Name name, Part message, SectionText.HeaderFields fields,
                                           Optional<Partial> partial, MessageBytes bytes) throws IOException {
        long start = message.headerStart();
        long size = message.headerSize();
        FetchValue.Source header;
        if (size <= MimeLimits.MAX_HEADER_BYTES) {
            // one read of just the header's bytes; both passes below then work on memory
            byte[] raw;
            try (InputStream in = FetchValue.openRange(bytes, start, size)) {
                raw = in.readNBytes((int) size);
            }
            header = () -> new ByteArrayInputStream(raw);
        } else {
            header = () -> FetchValue.openRange(bytes, start, size);
        }
        return FetchValue.counted(name, () -> new FetchHeaderFilter(header.open(), fields.fields(), fields.not()),
                partial, false);
    }

    // ---------------------------------------------------------------------------------------------- BINARY

    /**
     * Throws what {@link #write} would throw for {@code item} on this message when it is a BINARY or BINARY.SIZE
     * of a part whose transfer encoding cannot be removed, without reading the message. FETCH checks every
     * message of a batch first, so the failed command (RFC 3516 §4.3) has set no \Seen and sent no part of a
     * response: one cannot be taken back once an earlier item's literal has gone out.
     */
    public static void checkDecodable(FetchItem item, MessageStructure structure) throws UnknownCteException {
        List<Integer> path = switch (item) {
            case FetchItem.Binary b -> b.part();
            case FetchItem.BinarySize b -> b.part();
            default -> List.of();
        };
        if (path.isEmpty()) return;
        Optional<Part> found = find(structure, path);
        if (found.isPresent() && !found.get().isMultipart()) checkDecodable(found.get(), path);
    }

    private static void checkDecodable(Part part, List<Integer> path) throws UnknownCteException {
        String encoding = part.content().encoding();
        // RFC 3516 §4.3: a CTE the server cannot decode fails the command with NO [UNKNOWN-CTE]
        if (!TransferDecodingInputStream.canDecode(encoding)) {
            throw new UnknownCteException("cannot decode Content-Transfer-Encoding " + encoding + " of part " + path(path));
        }
    }

    private static FetchValue binary(FetchItem.Binary item, MessageStructure structure, MessageBytes bytes)
            throws IOException {
        String suffix = item.partial().map(p -> "<" + p.origin() + ">").orElse("");
        FetchValue.Name name = r -> r.token("BINARY[" + path(item.part()) + "]" + suffix);
        Optional<FetchValue.Source> decoded = decoded(item.part(), structure, bytes);
        return decoded.isEmpty() ? FetchValue.nil(name) : FetchValue.counted(name, decoded.get(), item.partial(), true);
    }

    private static long binarySize(List<Integer> path, MessageStructure structure, MessageBytes bytes) throws IOException {
        if (path.isEmpty()) return structure.size();
        Optional<Part> part = find(structure, path);
        if (part.isEmpty() || part.get().isMultipart()) return 0;
        if (TransferDecodingInputStream.isIdentity(part.get().content().encoding())) return part.get().bodySize();
        Optional<FetchValue.Source> decoded = decoded(path, structure, bytes);
        if (decoded.isEmpty()) return 0;
        try (InputStream in = decoded.get().open()) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    /**
     * The decoded content BINARY[path] names (RFC 3516 §4.2): the whole message as stored for an empty path
     * (a message has no transfer encoding of its own to remove); a leaf part's body with its
     * Content-Transfer-Encoding removed. Empty for a part that does not exist and for a multipart: RFC 3516
     * decodes one body part, and a multipart's children carry their own encodings, so no single decoding of it
     * exists (answered NIL, as Dovecot answers a BINARY it cannot produce).
     *
     * @throws UnknownCteException when the part's encoding is not one we can remove
     */
    private static Optional<FetchValue.Source> decoded(List<Integer> path, MessageStructure structure, MessageBytes bytes)
            throws UnknownCteException {
        Part root = structure.root();
        if (path.isEmpty()) return Optional.of(() -> FetchValue.openRange(bytes, root.headerStart(), root.end() - root.headerStart()));
        Optional<Part> found = find(structure, path);
        if (found.isEmpty() || found.get().isMultipart()) return Optional.empty();
        Part part = found.get();
        checkDecodable(part, path);
        String encoding = part.content().encoding();
        return Optional.of(() -> TransferDecodingInputStream.decode(encoding,
                FetchValue.openRange(bytes, part.bodyStart(), part.bodySize())).orElseThrow());
    }

    // ---------------------------------------------------------------------------------------------- names

    /**
     * The response name of a BODY section (RFC 9051 §7.5.2): always {@code BODY[...]}, PEEK or not, with only
     * the origin of a partial. HEADER.FIELDS names are echoed upper case, as Dovecot does: field names are
     * case-insensitive (RFC 5322 §1.2.2), so the upper-case form names the same fields and gives clients one
     * canonical spelling to match, and the names go through the writer as astrings, never as raw syntax.
     */
    private static FetchValue.Name sectionName(List<Integer> path, SectionText text, Optional<Partial> partial) {
        String prefix = "BODY[" + path(path) + (path.isEmpty() || text instanceof SectionText.Whole ? "" : ".");
        String suffix = "]" + partial.map(p -> "<" + p.origin() + ">").orElse("");
        return switch (text) {
            case SectionText.Whole _ -> r -> r.token(prefix + suffix);
            case SectionText.Header _ -> r -> r.token(prefix + "HEADER" + suffix);
            case SectionText.Text _ -> r -> r.token(prefix + "TEXT" + suffix);
            case SectionText.Mime _ -> r -> r.token(prefix + "MIME" + suffix);
            case SectionText.HeaderFields f -> r -> {
                r.token(prefix + (f.not() ? "HEADER.FIELDS.NOT" : "HEADER.FIELDS")).open();
                for (String field : f.fields()) r.astring(upperAscii(field));
                r.close().glue().token(suffix);
            };
        };
    }

    /** The part a section's part numbers name (RFC 9051 §6.4.5 numbering, see {@link MessageStructure#part}). */
    private static Optional<Part> find(MessageStructure structure, List<Integer> path) {
        return structure.part(path.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String path(List<Integer> path) {
        return path.stream().map(String::valueOf).collect(Collectors.joining("."));
    }

    private static FetchValue range(String name, long start, long end, Optional<Partial> partial, MessageBytes bytes) {
        return FetchValue.range(r -> r.token(name), start, end, partial, bytes);
    }

    /** ASCII letters upper-cased, anything else as it is (Locale rules would turn "ß" into "SS"). */
    static String upperAscii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return b.toString();
    }
}
