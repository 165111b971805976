package org.postern.wire.imap;

import java.util.List;
import java.util.Optional;

/**
 * One RFC 9051 §6.4.5 fetch attribute. The macros ALL, FAST and FULL are expanded by the parser, so a server
 * never sees them (RFC 9051 §6.4.5: they are "equivalent to" their expansion).
 */
public sealed interface FetchItem {
    record Flags() implements FetchItem {}

    record InternalDate() implements FetchItem {}

    record Rfc822Size() implements FetchItem {}

    record Envelope() implements FetchItem {}

    /** {@code BODY} without a section: BODYSTRUCTURE without extension data. */
    record Body() implements FetchItem {}

    record BodyStructure() implements FetchItem {}

    record Uid() implements FetchItem {}

    /** RFC 7162 §3.1.4.1: {@code MODSEQ}. Also implied by CHANGEDSINCE; the server adds it then. */
    record ModSeq() implements FetchItem {}

    /** RFC 3501 §6.4.5 {@code RFC822}: like {@code BODY[]}, but sets \Seen. */
    record Rfc822() implements FetchItem {}

    /** RFC 3501 §6.4.5 {@code RFC822.HEADER}: like {@code BODY.PEEK[HEADER]}. */
    record Rfc822Header() implements FetchItem {}

    /** RFC 3501 §6.4.5 {@code RFC822.TEXT}: like {@code BODY[TEXT]}. */
    record Rfc822Text() implements FetchItem {}

    /** {@code BODY[section]<partial>} or {@code BODY.PEEK[...]}. */
    record BodySection(boolean peek, Section section, Optional<Partial> partial) implements FetchItem {}

    /** RFC 3516 §4.2 {@code BINARY[part]<partial>} or {@code BINARY.PEEK[...]}: the part decoded. */
    record Binary(boolean peek, List<Integer> part, Optional<Partial> partial) implements FetchItem {
        public Binary {
            part = List.copyOf(part);
        }
    }

    /** RFC 3516 §4.2 {@code BINARY.SIZE[part]}. */
    record BinarySize(List<Integer> part) implements FetchItem {
        public BinarySize {
            part = List.copyOf(part);
        }
    }

    /**
     * RFC 9051 §6.4.5 section: a part path ({@code 1.2.3}, empty for the whole message) and what of it.
     */
    record Section(List<Integer> part, SectionText text) {
        public Section {
            part = List.copyOf(part);
            if (text instanceof SectionText.Mime && part.isEmpty())
                throw new IllegalArgumentException("MIME needs a part number");   // RFC 9051 §9 section-part "." "MIME"
        }
    }

    /** What of a part a section names. */
    sealed interface SectionText {
        /** No text specifier: the whole part ({@code BODY[]}, {@code BODY[1.2]}). */
        record Whole() implements SectionText {}

        record Header() implements SectionText {}

        /** {@code HEADER.FIELDS (...)} or, with {@code not}, {@code HEADER.FIELDS.NOT (...)}. Names as sent. */
        record HeaderFields(List<String> fields, boolean not) implements SectionText {
            public HeaderFields {
                fields = List.copyOf(fields);
            }
        }

        record Text() implements SectionText {}

        record Mime() implements SectionText {}
    }

    /** {@code <origin.length>}: RFC 9051 §9 {@code "<" number64 "." nz-number64 ">"}. */
    record Partial(long origin, long length) {
        public Partial {
            if (origin < 0 || length < 1) throw new IllegalArgumentException("bad partial");
        }
    }
}
