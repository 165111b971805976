package org.postern.wire.mime;

import java.util.List;
import java.util.Optional;

/**
 * What IMAP needs of a stored message, parsed once at delivery by {@link MessageParser}: its size
 * (RFC822.SIZE), its envelope (ENVELOPE) and its part tree with exact offsets (BODYSTRUCTURE, BODY[section]).
 * The store saves and loads it only through {@link #encode()} and {@link #decode(byte[])}.
 */
public record MessageStructure(long size, Envelope envelope, Part root) {

    /** The current version of the {@link #encode()} format, its first byte. */
    public static final int FORMAT_VERSION = StructureCodec.VERSION;

    public MessageStructure {
        if (root.headerStart() != 0 || root.end() != size) {
            throw new IllegalArgumentException("root part must span the message: " + root.end() + " != " + size);
        }
    }

    /** The compact binary form: a format-version byte, then the tree. */
    public byte[] encode() {
        return StructureCodec.encode(this);
    }

    /**
     * Reads {@link #encode()}'s output.
     *
     * @throws IllegalArgumentException if {@code bytes} is not a structure of a known format version
     */
    public static MessageStructure decode(byte[] bytes) {
        return StructureCodec.decode(bytes);
    }

    /**
     * Only the envelope of {@link #encode()}'s output, without decoding the part tree: what FETCH ENVELOPE of a
     * whole mailbox needs (the tree was 40% of that command's time in profiles).
     *
     * @throws IllegalArgumentException if {@code bytes} is not a structure of a known format version
     */
    public static Envelope decodeEnvelope(byte[] bytes) {
        return StructureCodec.decodeEnvelope(bytes);
    }

    /**
     * The part an IMAP section part number names (RFC 9051 §6.4.5), e.g. {@code part(1, 2)} for "1.2"; no
     * numbers gives the root. Parts of a multipart are numbered from 1. A non-multipart body has a part 1,
     * itself. After a message/rfc822 part, numbers go into the attached message: its multipart's children,
     * or its single body as part 1. Empty when no such part exists.
     */
    public Optional<Part> part(int... section) {
        if (section.length == 0) return Optional.of(root);
        Optional<Part> current = child(root, section[0]);
        for (int i = 1; i < section.length && current.isPresent(); i++) {
            Part p = current.get();
            if (p.isMultipart()) {
                current = nth(p.children(), section[i]);
            } else if (p.message().isPresent()) {
                current = child(p.message().get().root(), section[i]);
            } else {
                current = Optional.empty();
            }
        }
        return current;
    }

    /** Part {@code n} of a message whose root part is {@code messageRoot}. */
    private static Optional<Part> child(Part messageRoot, int n) {
        if (messageRoot.isMultipart()) return nth(messageRoot.children(), n);
        return n == 1 ? Optional.of(messageRoot) : Optional.empty();
    }

    private static Optional<Part> nth(List<Part> parts, int n) {
        return n >= 1 && n <= parts.size() ? Optional.of(parts.get(n - 1)) : Optional.empty();
    }
}
