package org.postern.client.imap;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.postern.client.net.LineReader;
import org.postern.client.net.ProtocolException;
import org.postern.wire.io.LineTooLongException;

/**
 * Reads server responses (RFC 9051 §7 and §9, RFC 3501) from a {@link LineReader}, one at a time: a line, and
 * when it ends in a literal marker ({@code {n}}, or {@code ~{n}} for RFC 3516 literal8) the literal's bytes, then
 * the line that continues the response. Strings and small literals are read into memory up to
 * {@link ImapClientLimits#MAX_STRING_LITERAL}; a {@code BODY[...]} literal inside FETCH goes to the
 * {@link BodySink} as a stream of exactly its bytes (what the sink leaves is skipped), so a message is never held
 * whole. Anything malformed is a {@link ProtocolException} naming what was wrong; the connection is then out of
 * step and must be closed.
 */
final class ResponseReader {
    /** RFC 9051 §9 date-time as servers send it: "dd-Mon-yyyy hh:mm:ss +zzzz", the day possibly space-padded (stripped). */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ROOT);
    /** RFC 9051 §9 date-time as we send it (APPEND): date-day-fixed is two characters, so "05", never "5". */
    static final DateTimeFormatter DATE_TIME_OUT = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ROOT);

    /** Receives a FETCH body literal; {@code soFar} holds the items that came before it in the same response. */
    @FunctionalInterface
    interface BodySink {
        void body(Response.Fetch soFar, String section, InputStream literal) throws IOException;
    }

    private static final BodySink SKIP = (f, s, in) -> {};

    private final LineReader in;
    private byte[] line = new byte[0];
    private int pos;
    private int literals;

    ResponseReader(LineReader in) {
        this.in = in;
    }

    /** The next response; FETCH bodies are skipped. */
    Response next() throws IOException {
        return next(SKIP);
    }

    Response next(BodySink sink) throws IOException {
        literals = 0;
        readLine();
        if (line.length == 0) throw bad("empty line where a response belongs");
        if (peek() == '+') {
            pos++;
            if (peek() == ' ') pos++;
            return new Response.Continuation(rest());
        }
        if (peek() == '*') {
            pos++;
            sp();
            return untagged(sink);
        }
        String tag = tag();
        sp();
        String cond = atom().toUpperCase(Locale.ROOT);
        Response.Condition c = switch (cond) {
            case "OK" -> Response.Condition.OK;
            case "NO" -> Response.Condition.NO;
            case "BAD" -> Response.Condition.BAD;
            default -> throw bad("tagged response with '" + cond + "' where OK, NO or BAD belongs");
        };
        Optional<Response.Code> code = respTextCode();
        return new Response.Tagged(tag, c, code, rest());
    }

    private Response untagged(BodySink sink) throws IOException {
        if (isDigit(peek())) {
            long n = number();
            sp();
            String kind = atom().toUpperCase(Locale.ROOT);
            return switch (kind) {
                case "EXISTS" -> endOf(new Response.Exists(n));
                case "EXPUNGE" -> endOf(new Response.Expunge(n));
                case "FETCH" -> fetch(n, sink);
                default -> {
                    skipRest();
                    yield new Response.Other(kind);
                }
            };
        }
        String kind = atom().toUpperCase(Locale.ROOT);
        switch (kind) {
            case "OK", "NO", "BAD", "BYE", "PREAUTH" -> {
                Optional<Response.Code> code = respTextCode();
                return new Response.Status(Response.Condition.valueOf(kind), code, rest());
            }
            case "CAPABILITY" -> {
                return new Response.Capability(words());
            }
            case "ENABLED" -> {
                return new Response.Enabled(words());
            }
            case "FLAGS" -> {
                sp();
                Set<String> flags = flagList();
                skipRest();
                return new Response.Flags(flags);
            }
            case "LIST" -> {
                return list();
            }
            case "SEARCH" -> {
                return search();
            }
            case "VANISHED" -> {
                sp();
                boolean earlier = false;
                if (peek() == '(') {
                    earlier = true;
                    pos++;
                    String e = atom().toUpperCase(Locale.ROOT);
                    if (!e.equals("EARLIER")) throw bad("VANISHED (" + e + ") where (EARLIER) belongs");
                    expect(')');
                    sp();
                }
                return endOf(new Response.Vanished(earlier, uidSet(token())));
            }
            default -> {
                skipRest();
                return new Response.Other(kind);
            }
        }
    }

    // ---- FETCH (RFC 9051 §7.5.2, RFC 7162 §3.1.4.1)

    private Response fetch(long seq, BodySink sink) throws IOException {
        sp();
        expect('(');
        OptionalLong uid = OptionalLong.empty(), modseq = OptionalLong.empty(), size = OptionalLong.empty();
        Optional<Set<String>> flags = Optional.empty();
        Optional<Instant> date = Optional.empty();
        boolean first = true;
        while (peek() != ')') {
            if (!first) sp();
            first = false;
            String name = fetchItemName();
            sp();
            switch (name) {
                case "UID" -> uid = OptionalLong.of(number());
                case "FLAGS" -> flags = Optional.of(flagList());
                case "MODSEQ" -> {
                    expect('(');
                    modseq = OptionalLong.of(number());
                    expect(')');
                }
                case "RFC822.SIZE" -> size = OptionalLong.of(number());
                case "INTERNALDATE" -> date = Optional.of(dateTime(string()));
                default -> {
                    if (name.startsWith("BODY[") || name.startsWith("BINARY[") || name.equals("RFC822")) {
                        Response.Fetch soFar = new Response.Fetch(seq, uid, flags, modseq, date, size);
                        bodyValue(soFar, name, sink);
                    } else {
                        skipValue(0);
                    }
                }
            }
        }
        pos++;
        return endOf(new Response.Fetch(seq, uid, flags, modseq, date, size));
    }

    /** BODY[...]&lt;origin&gt; as written, upper case outside the brackets. */
    private String fetchItemName() throws ProtocolException {
        int start = pos;
        while (pos < line.length && line[pos] != ' ' && line[pos] != '[' && line[pos] != ')') pos++;
        if (pos < line.length && line[pos] == '[') {
            int depth = 0;
            while (pos < line.length) {
                byte b = line[pos++];
                if (b == '[') depth++;
                else if (b == ']' && --depth == 0) break;
            }
            if (depth != 0) throw bad("unterminated section in a FETCH item");
            if (pos < line.length && line[pos] == '<') {
                while (pos < line.length && line[pos] != '>') pos++;
                if (pos == line.length) throw bad("unterminated <origin> in a FETCH item");
                pos++;
            }
        }
        if (pos == start) throw bad("expected a FETCH item name");
        return new String(line, start, pos - start, UTF_8).toUpperCase(Locale.ROOT);
    }

    private void bodyValue(Response.Fetch soFar, String section, BodySink sink) throws IOException {
        if (peekNil()) {
            pos += 3;
            return;
        }
        if (peek() == '"') {
            byte[] q = quotedBytes();
            sink.body(soFar, section, new java.io.ByteArrayInputStream(q));
            return;
        }
        long n = literalMarker(ImapClientLimits.MAX_STREAMED_LITERAL);
        try (InputStream body = in.exactly(n)) {
            sink.body(soFar, section, body);
        }
        readLine();
    }

    // ---- LIST, SEARCH

    private Response list() throws IOException {
        sp();
        Set<String> attributes = flagList();
        sp();
        Optional<Character> delimiter;
        if (peekNil()) {
            pos += 3;
            delimiter = Optional.empty();
        } else {
            String d = string();
            if (d.length() != 1) throw bad("LIST hierarchy delimiter of " + d.length() + " characters");
            delimiter = Optional.of(d.charAt(0));
        }
        sp();
        String name = astring();
        skipRest();     // RFC 5258 mbox-list-extended: CHILDINFO, OLDNAME ...
        return new Response.ListItem(attributes, delimiter, name);
    }

    private Response search() throws IOException {
        List<Long> numbers = new ArrayList<>();
        OptionalLong modseq = OptionalLong.empty();
        while (peek() == ' ') {
            pos++;
            if (peek() == '(') {
                pos++;
                String m = atom().toUpperCase(Locale.ROOT);
                if (!m.equals("MODSEQ")) throw bad("SEARCH (" + m + ") where (MODSEQ n) belongs");
                sp();
                modseq = OptionalLong.of(number());
                expect(')');
            } else {
                numbers.add(number());
            }
        }
        return endOf(new Response.Search(numbers, modseq));
    }

    // ---- response codes (RFC 9051 §7.1, RFC 4315, RFC 7162)

    private Optional<Response.Code> respTextCode() throws ProtocolException {
        if (peek() != ' ') return Optional.empty();
        pos++;
        if (peek() != '[') return Optional.empty();
        pos++;
        String name = codeAtom().toUpperCase(Locale.ROOT);
        Response.Code code = switch (name) {
            case "UIDVALIDITY" -> new Response.Code.UidValidity(codeNumber());
            case "UIDNEXT" -> new Response.Code.UidNext(codeNumber());
            case "HIGHESTMODSEQ" -> new Response.Code.HighestModseq(codeNumber());
            case "NOMODSEQ" -> new Response.Code.NoModseq();
            case "APPENDUID" -> {
                long v = codeNumber();
                sp();
                yield new Response.Code.AppendUid(v, uidSet(codeAtom()));
            }
            case "COPYUID" -> {
                long v = codeNumber();
                sp();
                List<Long> src = ordered(codeAtom());
                sp();
                List<Long> dst = ordered(codeAtom());
                if (src.size() != dst.size()) throw bad("COPYUID with " + src.size() + " source and " + dst.size() + " new UIDs");
                yield new Response.Code.CopyUid(v, src, dst);
            }
            case "CAPABILITY" -> {
                Set<String> caps = new LinkedHashSet<>();
                while (peek() == ' ') {
                    pos++;
                    caps.add(codeAtom().toUpperCase(Locale.ROOT));
                }
                yield new Response.Code.Capabilities(caps);
            }
            default -> {
                int start = pos;
                while (pos < line.length && line[pos] != ']') pos++;
                String text = new String(line, start, pos - start, UTF_8).strip();
                yield new Response.Code.Other(name, text);
            }
        };
        expect(']');
        if (peek() == ' ') pos++;
        return Optional.of(code);
    }

    private long codeNumber() throws ProtocolException {
        sp();
        return number();
    }

    private String codeAtom() throws ProtocolException {
        int start = pos;
        while (pos < line.length && line[pos] != ' ' && line[pos] != ']') pos++;
        if (pos == start) throw bad("expected a word in a response code");
        return new String(line, start, pos - start, UTF_8);
    }

    /** RFC 4315 uid-set in the order written, ranges ascending; bounded by MAX_UNSOLICITED entries. */
    private List<Long> ordered(String text) throws ProtocolException {
        List<Long> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            UidSet r = uidSet(part);
            if (out.size() + r.size() > ImapClientLimits.MAX_UNSOLICITED) throw bad("COPYUID with too many UIDs");
            out.addAll(r.toList());
        }
        return out;
    }

    private UidSet uidSet(String text) throws ProtocolException {
        try {
            return UidSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    // ---- values

    /** Space-separated words to the end of the line (CAPABILITY, ENABLED), upper case. */
    private Set<String> words() throws ProtocolException {
        Set<String> out = new LinkedHashSet<>();
        while (peek() == ' ') {
            pos++;
            if (pos == line.length) break;      // a trailing space, seen in the wild
            out.add(atom().toUpperCase(Locale.ROOT));
        }
        if (pos != line.length) throw bad("unexpected character in a list of words");
        return out;
    }

    /** "(" [flag *(SP flag)] ")"; flags as sent (system flags keep their backslash). */
    private Set<String> flagList() throws ProtocolException {
        expect('(');
        Set<String> out = new LinkedHashSet<>();
        while (peek() != ')') {
            if (!out.isEmpty()) sp();
            int start = pos;
            if (peek() == '\\') pos++;
            if (peek() == '*' && pos == start + 1) pos++;       // PERMANENTFLAGS's \*
            else while (pos < line.length && atomChar(line[pos] & 0xff)) pos++;
            if (pos == start) throw bad("expected a flag");
            out.add(new String(line, start, pos - start, UTF_8));
        }
        pos++;
        return out;
    }

    /** An atom: 1*ATOM-CHAR. */
    private String atom() throws ProtocolException {
        int start = pos;
        while (pos < line.length && atomChar(line[pos] & 0xff)) pos++;
        if (pos == start) throw bad("expected a word");
        return new String(line, start, pos - start, UTF_8);
    }

    /** A run of non-space characters (VANISHED's set). */
    private String token() throws ProtocolException {
        int start = pos;
        while (pos < line.length && line[pos] != ' ' && line[pos] != ')') pos++;
        if (pos == start) throw bad("expected a value");
        return new String(line, start, pos - start, UTF_8);
    }

    private String tag() throws ProtocolException {
        int start = pos;
        while (pos < line.length && atomChar(line[pos] & 0xff) && line[pos] != '+') pos++;
        if (pos == start) throw bad("expected a tag, '*' or '+'");
        return new String(line, start, pos - start, UTF_8);
    }

    /** RFC 9051 §9 number / number64: digits, at most 19 (a long). */
    private long number() throws ProtocolException {
        int start = pos;
        while (pos < line.length && isDigit(line[pos])) pos++;
        if (pos == start) throw bad("expected a number");
        if (pos - start > 18) throw bad("number too large");
        return Long.parseLong(new String(line, start, pos - start, UTF_8));
    }

    /** astring: atom (with "]"), quoted string or literal. */
    private String astring() throws IOException {
        int b = peek();
        if (b == '"' || b == '{' || b == '~') return string();
        int start = pos;
        while (pos < line.length && (atomChar(line[pos] & 0xff) || line[pos] == ']' || (line[pos] & 0x80) != 0)) pos++;
        if (pos == start) throw bad("expected a string");
        return new String(line, start, pos - start, UTF_8);
    }

    /** Quoted string or literal (read into memory, bounded). */
    private String string() throws IOException {
        if (peek() == '"') return new String(quotedBytes(), UTF_8);
        long n = literalMarker(ImapClientLimits.MAX_STRING_LITERAL);
        byte[] b = new byte[(int) n];
        in.readFully(b);
        readLine();
        return new String(b, UTF_8);
    }

    private byte[] quotedBytes() throws ProtocolException {
        expect('"');
        var out = new java.io.ByteArrayOutputStream();
        while (true) {
            if (pos == line.length) throw bad("unterminated quoted string");
            byte b = line[pos++];
            if (b == '"') return out.toByteArray();
            if (b == '\\') {
                if (pos == line.length || (line[pos] != '"' && line[pos] != '\\')) throw bad("bad escape in a quoted string");
                b = line[pos++];
            }
            out.write(b);
        }
    }

    /**
     * "{n}" or "~{n}" (RFC 3516 literal8), which must end the line; checks n against {@code max} before a byte of
     * the literal is read. The caller reads exactly n bytes and then calls {@link #readLine()}.
     */
    private long literalMarker(long max) throws ProtocolException {
        if (peek() == '~') pos++;
        expect('{');
        int start = pos;
        while (pos < line.length && isDigit(line[pos])) pos++;
        if (pos == start || pos - start > 18) throw bad("bad literal size");
        long n = Long.parseLong(new String(line, start, pos - start, UTF_8));
        if (peek() == '+') pos++;       // servers never send non-synchronizing literals, but tolerating one is harmless
        expect('}');
        if (pos != line.length) throw bad("literal marker not at the end of the line");
        if (++literals > ImapClientLimits.MAX_LITERALS_PER_RESPONSE)
            throw bad("more than " + ImapClientLimits.MAX_LITERALS_PER_RESPONSE + " literals in one response");
        if (n > max) throw bad("literal of " + n + " bytes, more than the " + max + " this client accepts here");
        return n;
    }

    /** Any value (atom, number, NIL, string, literal, list), discarded; literals skipped unread. */
    private void skipValue(int depth) throws IOException {
        if (depth > ImapClientLimits.MAX_NESTING) throw bad("lists nested more than " + ImapClientLimits.MAX_NESTING + " deep");
        int b = peek();
        if (b == '(') {
            pos++;
            boolean first = true;
            while (peek() != ')') {
                if (!first) sp();
                first = false;
                skipValue(depth + 1);
            }
            pos++;
        } else if (b == '"') {
            quotedBytes();
        } else if (b == '{' || b == '~') {
            long n = literalMarker(ImapClientLimits.MAX_STREAMED_LITERAL);
            in.exactly(n).close();
            readLine();
        } else {
            int start = pos;
            while (pos < line.length && line[pos] != ' ' && line[pos] != ')' && line[pos] != '(') {
                if (line[pos] == '[') {     // e.g. BODY[HEADER.FIELDS (A B)]
                    while (pos < line.length && line[pos] != ']') pos++;
                }
                pos++;
            }
            if (pos == start) throw bad("expected a value");
        }
    }

    /** Skips to the end of the response, literals included (unread). */
    private void skipRest() throws IOException {
        while (true) {
            int n = line.length;
            if (n > 0 && line[n - 1] == '}') {
                int open = n - 2;
                while (open >= 0 && (isDigit(line[open]) || line[open] == '+')) open--;
                if (open >= 0 && line[open] == '{' && open < n - 2) {
                    pos = open;
                    long size = literalMarker(ImapClientLimits.MAX_STREAMED_LITERAL);
                    in.exactly(size).close();
                    readLine();
                    continue;
                }
            }
            pos = n;
            return;
        }
    }

    /** The rest of the line as text (resp-text, continuation text). */
    private String rest() {
        String s = new String(line, pos, line.length - pos, UTF_8);
        pos = line.length;
        return s;
    }

    private <T extends Response> T endOf(T r) throws ProtocolException {
        if (pos != line.length) throw bad("unexpected data after the response");
        return r;
    }

    private static Instant dateTimeOrThrow(String s) {
        return ZonedDateTime.parse(s.strip(), DATE_TIME).toInstant();
    }

    private Instant dateTime(String s) throws ProtocolException {
        try {
            return dateTimeOrThrow(s);
        } catch (DateTimeParseException e) {
            throw bad("bad INTERNALDATE '" + s + "'");
        }
    }

    // ---- lexing

    /** Reads the next line (the start of a response, or its continuation after a literal). */
    void readLine() throws IOException {
        try {
            line = in.readLine(ImapClientLimits.MAX_LINE_BYTES);
        } catch (LineTooLongException e) {
            throw new ProtocolException("the IMAP server sent a line longer than " + ImapClientLimits.MAX_LINE_BYTES
                    + " bytes (the most this client accepts)", e);
        }
        pos = 0;
    }

    private int peek() {
        return pos < line.length ? line[pos] & 0xff : -1;
    }

    private boolean peekNil() {
        return pos + 3 <= line.length && (line[pos] | 0x20) == 'n' && (line[pos + 1] | 0x20) == 'i'
                && (line[pos + 2] | 0x20) == 'l' && (pos + 3 == line.length || !atomChar(line[pos + 3] & 0xff));
    }

    private void sp() throws ProtocolException {
        expect(' ');
    }

    private void expect(char c) throws ProtocolException {
        if (peek() != c) throw bad("expected '" + c + "'" + (pos < line.length ? "" : " before the end of the line"));
        pos++;
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** RFC 9051 §9 ATOM-CHAR: any CHAR except ( ) { SP CTL % * " \ ]. */
    static boolean atomChar(int b) {
        return b > 0x20 && b < 0x7f && b != '(' && b != ')' && b != '{' && b != '%' && b != '*' && b != '"'
                && b != '\\' && b != ']';
    }

    private ProtocolException bad(String what) {
        return new ProtocolException("malformed IMAP response from the server (" + what + ") at byte " + pos + " of '"
                + clip() + "'");
    }

    private String clip() {
        int n = Math.min(line.length, 120);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = line[i] & 0xff;
            b.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return line.length > n ? b + "..." : b.toString();
    }
}
