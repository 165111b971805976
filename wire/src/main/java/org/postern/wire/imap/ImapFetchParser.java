package org.postern.wire.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.postern.wire.imap.FetchItem.*;
import org.postern.wire.imap.ImapCommand.Fetch;

/**
 * RFC 9051 §6.4.5 FETCH attributes and the macros, RFC 3516 BINARY, and RFC 7162's modifiers:
 * {@code FETCH set (ALL | FAST | FULL | att | "(" att *(SP att) ")") [SP "(" modifier *(SP modifier) ")"]}.
 */
final class ImapFetchParser {
    private ImapFetchParser() {}

    static Fetch fetch(String tag, boolean uid, SequenceSet set, ImapLexer lx) throws IOException {
        List<FetchItem> items = new ArrayList<>();
        if (lx.tryChar('(')) {
            do {
                if (items.size() == ImapLimits.MAX_LIST_ELEMENTS) throw ImapLexer.bad("too many fetch items");
                items.add(item(name(lx), lx));
            } while (lx.trySp());
            lx.expect(')', "')' after the fetch items");
        } else {
            // RFC 9051 §6.4.5: the macros stand alone, never inside a list
            String name = name(lx);
            switch (name) {
                case "ALL" -> items.addAll(List.of(new Flags(), new InternalDate(), new Rfc822Size(), new Envelope()));
                case "FAST" -> items.addAll(List.of(new Flags(), new InternalDate(), new Rfc822Size()));
                case "FULL" -> items.addAll(List.of(new Flags(), new InternalDate(), new Rfc822Size(), new Envelope(), new Body()));
                default -> items.add(item(name, lx));
            }
        }
        OptionalLong changedSince = OptionalLong.empty();
        boolean vanished = false;
        if (lx.trySp() && !lx.atEnd()) {
            lx.expect('(', "'(' before FETCH modifiers");
            do {
                String m = lx.keyword();
                switch (m) {
                    case "CHANGEDSINCE" -> {
                        lx.sp();
                        changedSince = OptionalLong.of(lx.number64());
                    }
                    case "VANISHED" -> vanished = true;
                    default -> throw ImapLexer.bad("unknown FETCH modifier " + m);
                }
            } while (lx.trySp());
            lx.expect(')', "')' after FETCH modifiers");
        }
        // RFC 7162 §3.2.6: VANISHED only in UID FETCH, and only with CHANGEDSINCE
        if (vanished && (!uid || changedSince.isEmpty())) throw ImapLexer.bad("VANISHED needs UID FETCH and CHANGEDSINCE");
        return new Fetch(tag, uid, set, items, changedSince, vanished);
    }

    /** A fetch item's name: everything up to its section, the next item or the end of the list. */
    private static String name(ImapLexer lx) {
        return lx.until("[ )<").toUpperCase(java.util.Locale.ROOT);
    }

    private static FetchItem item(String name, ImapLexer lx) throws IOException {
        return switch (name) {
            case "FLAGS" -> new Flags();
            case "INTERNALDATE" -> new InternalDate();
            case "RFC822.SIZE" -> new Rfc822Size();
            case "ENVELOPE" -> new Envelope();
            case "BODYSTRUCTURE" -> new BodyStructure();
            case "UID" -> new Uid();
            case "MODSEQ" -> new ModSeq();
            case "RFC822" -> new Rfc822();
            case "RFC822.HEADER" -> new Rfc822Header();
            case "RFC822.TEXT" -> new Rfc822Text();
            case "BODY", "BODY.PEEK" -> {
                if (lx.peek() != '[') {
                    if (name.equals("BODY.PEEK")) throw ImapLexer.bad("BODY.PEEK needs a section");
                    yield new Body();
                }
                Section section = section(lx);
                yield new BodySection(name.equals("BODY.PEEK"), section, partial(lx));
            }
            case "BINARY", "BINARY.PEEK" -> {
                List<Integer> part = binarySection(lx);
                yield new Binary(name.equals("BINARY.PEEK"), part, partial(lx));
            }
            case "BINARY.SIZE" -> new BinarySize(binarySection(lx));
            default -> throw ImapLexer.bad(name.isEmpty() ? "expected a fetch item" : "unknown fetch item " + name);
        };
    }

    /** RFC 9051 §9 section: {@code "[" [section-msgtext / section-part ["." section-text]] "]"}. */
    private static Section section(ImapLexer lx) throws IOException {
        lx.expect('[', "'['");
        List<Integer> part = partPath(lx);
        SectionText text = new SectionText.Whole();
        if (lx.peek() != ']') {
            if (!part.isEmpty() && !lx.tryChar('.')) throw ImapLexer.bad("invalid section");
            String t = lx.until(" ]").toUpperCase(java.util.Locale.ROOT);
            text = switch (t) {
                case "HEADER" -> new SectionText.Header();
                case "TEXT" -> new SectionText.Text();
                case "MIME" -> {
                    if (part.isEmpty()) throw ImapLexer.bad("MIME needs a part number");
                    yield new SectionText.Mime();
                }
                case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
                    lx.sp();
                    yield new SectionText.HeaderFields(headerList(lx), t.endsWith(".NOT"));
                }
                default -> throw ImapLexer.bad("invalid section " + t);
            };
        }
        lx.expect(']', "']' after the section");
        return new Section(part, text);
    }

    /** {@code section-part = nz-number *("." nz-number)}; stops before a "." that is not followed by a digit. */
    private static List<Integer> partPath(ImapLexer lx) {
        List<Integer> part = new ArrayList<>();
        while (lx.peek() >= '0' && lx.peek() <= '9') {
            long n = lx.number();
            if (n == 0 || n > Integer.MAX_VALUE) throw ImapLexer.bad("invalid part number");
            if (part.size() == ImapLimits.MAX_LIST_ELEMENTS) throw ImapLexer.bad("part path too long");
            part.add((int) n);
            if (!lx.peekDigitAfterDot()) break;
            lx.tryChar('.');
        }
        return part;
    }

    private static List<String> headerList(ImapLexer lx) throws IOException {
        lx.expect('(', "'(' before the header field names");
        List<String> fields = new ArrayList<>();
        do {
            if (fields.size() == ImapLimits.MAX_LIST_ELEMENTS) throw ImapLexer.bad("too many header fields");
            fields.add(lx.astring());
        } while (lx.trySp());
        lx.expect(')', "')' after the header field names");
        return fields;
    }

    /** RFC 3516 §6 section-binary: {@code "[" [section-part] "]"}. */
    private static List<Integer> binarySection(ImapLexer lx) {
        lx.expect('[', "'['");
        List<Integer> part = partPath(lx);
        lx.expect(']', "']' after the part number");
        return part;
    }

    private static Optional<Partial> partial(ImapLexer lx) {
        if (!lx.tryChar('<')) return Optional.empty();
        long origin = lx.number64();
        lx.expect('.', "'.' in the partial range");
        long length = lx.nzNumber64();
        lx.expect('>', "'>' after the partial range");
        return Optional.of(new Partial(origin, length));
    }
}
