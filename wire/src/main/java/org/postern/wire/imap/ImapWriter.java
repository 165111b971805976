package org.postern.wire.imap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes IMAP responses (RFC 9051 §7) to a connection. It is the only code that decides how a value goes on the
 * wire: atom, quoted string or literal, so no client data (a mailbox name, a header value, a body) can end a
 * response line early and forge the next one. Handlers never concatenate user data into protocol text.
 *
 * <p><b>Whole responses.</b> A response is written by one call: {@link #tagged}, {@link #untagged(Condition,
 * String)}, {@link #bye}, {@link #continuation}, or {@link #untagged(Body)}, whose callback writes the values of
 * one untagged response through a {@link Response}. The values exist only inside that callback, and the writer
 * adds the "* " and the final CRLF, so a response cannot be left half written by a handler that forgets to end
 * it.
 *
 * <p><b>Threads.</b> IDLE (RFC 2177, RFC 9051 §6.3.13) has a second thread writing untagged EXISTS, EXPUNGE and
 * FETCH responses while the session thread waits for DONE. Each whole response is therefore written under a
 * {@link ReentrantLock} (not {@code synchronized}: the holder blocks in socket writes, and the lock should make
 * that visible). Responses from two threads never interleave inside a line; their order is the order in which
 * the threads take the lock. {@link #exclusively} holds the lock over several responses, for example an
 * untagged update followed by the tagged completion that must come after it.
 *
 * <p><b>Failures.</b> A response is assembled in a buffer and reaches the connection when it ends or when the
 * buffer fills (and before a streamed literal). If the callback throws before anything reached the connection
 * (a value refused by validation, say), the buffered part is dropped and the writer stays usable. If part of the
 * response was already sent, the connection is out of step with the grammar: the writer refuses every further
 * write with an {@link IOException}, and the session must close the connection.
 *
 * <p><b>UTF-8.</b> Until {@link #enableUtf8()} (after ENABLE IMAP4rev2 or UTF8=ACCEPT, RFC 9051 §6.3.1, RFC 6855
 * §3) strings with 8-bit characters go as literals, mailbox names in modified UTF-7 (RFC 3501 §5.1.3) and
 * human-readable text in US-ASCII. After it, quoted strings, mailbox names and text may carry UTF-8.
 */
public final class ImapWriter {

    /** The status of a tagged or untagged condition response (resp-cond-state, RFC 9051 §7.1). */
    public enum Condition { OK, NO, BAD }

    /** Writes the values of one untagged response, after "* ". */
    @FunctionalInterface
    public interface Body {
        void write(Response r) throws IOException;
    }

    /** Work done while holding the writer's lock (see {@link #exclusively}). */
    @FunctionalInterface
    public interface Action {
        void run() throws IOException;
    }

    /**
     * One item (an ENVELOPE, say) exactly as this writer wrote it for a session in a given UTF-8 mode, kept to be
     * written again verbatim by {@link Response#rendered}. Only the writer makes one ({@link Response#capture}),
     * so every byte of it still went through the writer's quoting decisions; it is immutable.
     */
    public static final class Rendered {
        private final byte[] bytes;
        private final boolean utf8;
        private final boolean ascii;

        private Rendered(byte[] bytes, boolean utf8) {
            this.bytes = bytes;
            this.utf8 = utf8;
            boolean a = true;
            for (byte b : bytes) if (b < 0) { a = false; break; }
            this.ascii = a;
        }

        /** The UTF-8 mode it was written for: a string may be quoted in one mode and a literal in the other. */
        public boolean utf8() {
            return utf8;
        }

        /**
         * All 7-bit: then it is written the same in both modes, so it may be written for a session in either. The
         * writer's choice between quoted string and literal differs only for 8-bit text (RFC 9051 §9 QUOTED-CHAR,
         * RFC 6855 §3): a 7-bit string is quoted, or a literal for CR/LF or length, alike in both.
         */
        public boolean ascii() {
            return ascii;
        }

        /** Whether it may be written for a session in this UTF-8 mode: its own, or either when it is 7-bit. */
        public boolean usableIn(boolean utf8) {
            return ascii || this.utf8 == utf8;
        }

        public int length() {
            return bytes.length;
        }
    }

    /**
     * An atom checked once (RFC 9051 §9 atom), for the names a server writes in every response of a kind
     * ({@code FETCH}, {@code FLAGS}, {@code ENVELOPE}): written as bytes, without checking its characters again. FETCH 1:*
     * of 10,000 messages writes three of them per message.
     */
    public static final class Atom {
        private final byte[] bytes;

        private Atom(byte[] bytes) {
            this.bytes = bytes;
        }

        /** @throws IllegalArgumentException if {@code atom} is not an atom */
        public static Atom of(String atom) {
            if (!isAtom(atom)) throw new IllegalArgumentException("not an atom: " + atom);
            return new Atom(atom.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }

    /**
     * Strings up to this many characters that may be quoted are quoted; longer ones go as literals, which are
     * always valid and keep response lines short for clients that cap their line length.
     */
    static final int MAX_QUOTED = 4096;

    /**
     * Bytes assembled before they are pushed to the connection; also the copy buffer of streamed literals. Held
     * only while the session works ({@link #release}): an idle connection (1,000 in IDLE) costs none of it.
     */
    static final int BUFFER_BYTES = 16 * 1024;

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Response response = new Response();
    /** Allocated by the first response after {@link #release}; null while the connection idles. */
    private byte[] buf;
    private int len;
    /** Whether the current response has put bytes on the connection (then a failure cannot be undone). */
    private boolean spilled;
    private boolean broken;
    /** Buffer drains so far (guarded by the lock): {@link Response#capture} keeps an item only if none happened in it. */
    private long drains;
    /** Depth of {@link #batch} calls (guarded by the lock): responses are flushed when it is 0. */
    private int batching;
    private volatile boolean utf8;

    public ImapWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * From now on the client accepts UTF-8: in quoted strings, mailbox names (instead of modified UTF-7) and
     * text. Called once the client has enabled IMAP4rev2 or UTF8=ACCEPT; there is no way back (RFC 5161 §3.1).
     */
    public void enableUtf8() {
        utf8 = true;
    }

    public boolean utf8() {
        return utf8;
    }

    /** {@code tag OK|NO|BAD text}. */
    public void tagged(String tag, Condition condition, String text) throws IOException {
        status(checkTag(tag), condition.name(), null, text);
    }

    /** {@code tag OK|NO|BAD [CODE] text}. */
    public void tagged(String tag, Condition condition, ResponseCode code, String text) throws IOException {
        status(checkTag(tag), condition.name(), Objects.requireNonNull(code, "code"), text);
    }

    /** {@code * OK|NO|BAD text}. */
    public void untagged(Condition condition, String text) throws IOException {
        status("*", condition.name(), null, text);
    }

    /** {@code * OK|NO|BAD [CODE] text}, e.g. the greeting or {@code * OK [UIDVALIDITY 3857529045] UIDs valid}. */
    public void untagged(Condition condition, ResponseCode code, String text) throws IOException {
        status("*", condition.name(), Objects.requireNonNull(code, "code"), text);
    }

    /** {@code * BYE text}: the server is closing the connection (RFC 9051 §7.1.5). */
    public void bye(String text) throws IOException {
        status("*", "BYE", null, text);
    }

    public void bye(ResponseCode code, String text) throws IOException {
        status("*", "BYE", Objects.requireNonNull(code, "code"), text);
    }

    /** {@code * PREAUTH [CODE] text}: a greeting for an already authenticated connection (RFC 9051 §7.1.4). */
    public void preauth(ResponseCode code, String text) throws IOException {
        status("*", "PREAUTH", Objects.requireNonNull(code, "code"), text);
    }

    /** {@code + text}: a command continuation request, e.g. before a synchronizing literal (RFC 9051 §7.5). */
    public void continuation(String text) throws IOException {
        write(r -> {
            r.ascii("+ ");
            r.text(text);
        }, false);
    }

    /** {@code + base64}: a SASL challenge (RFC 9051 §6.2.2); an empty challenge is "+ ". */
    public void challenge(byte[] data) throws IOException {
        String b64 = Base64.getEncoder().encodeToString(data);
        write(r -> r.ascii("+ " + b64), false);
    }

    /**
     * One untagged response: "* ", then what {@code body} writes, then CRLF, as one unit that no other thread's
     * response can split. For example {@code untagged(r -> r.number(12).atom("FETCH").open()...close())}.
     */
    public void untagged(Body body) throws IOException {
        write(body, true);
    }

    /**
     * Runs {@code action} holding the writer's lock, so the responses it writes follow each other with nothing
     * from another thread between them. The lock is reentrant: {@code action} writes through this writer as usual.
     */
    public void exclusively(Action action) throws IOException {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} holding the writer's lock, with each response's flush held back until the action ends:
     * a command that writes many responses (FETCH 1:* on 10,000 messages) sends full buffers, not one socket
     * write per response. Responses still go out whole and in order.
     */
    public void batch(Action action) throws IOException {
        lock.lock();
        try {
            batching++;
            try {
                action.run();
            } finally {
                batching--;
            }
            if (batching == 0) out.flush();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops the response buffer until the next response needs it. The session calls this when it is about to wait
     * for the client (between commands, in IDLE): every response is already on the connection then, and an idle
     * connection should not hold 16 KiB. A no-op while a response or a {@link #batch} is under way.
     */
    public void release() {
        lock.lock();
        try {
            if (!response.active && batching == 0) buf = null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the response buffer is allocated (for tests of {@link #release}). */
    boolean holdsBuffer() {
        lock.lock();
        try {
            return buf != null;
        } finally {
            lock.unlock();
        }
    }

    private void status(String prefix, String condition, ResponseCode code, String text) throws IOException {
        write(r -> {
            r.ascii(prefix);
            r.ascii(" ");
            r.ascii(condition);
            r.ascii(" ");
            if (code != null) {
                r.ascii("[");
                r.utf8(code.wire());     // checked by ResponseCode: no CR, LF, NUL or "]"
                r.ascii("] ");
            }
            r.respText(text, code == null);
        }, false);
    }

    private void write(Body body, boolean untaggedPrefix) throws IOException {
        lock.lock();
        try {
            if (broken) throw new IOException("IMAP writer unusable: an earlier response failed half written");
            // the same thread, from inside a Body callback: the lock is reentrant, but a response cannot nest
            if (response.active) throw new IllegalStateException("a response written inside another response");
            if (buf == null) buf = new byte[BUFFER_BYTES];
            len = 0;
            spilled = false;
            response.begin();
            boolean done = false;
            try {
                if (untaggedPrefix) response.ascii("* ");
                body.write(response);
                response.ascii("\r\n");
                drain();
                if (batching == 0) out.flush();   // within batch(): once at its end
                done = true;
            } finally {
                response.end();
                if (!done) {
                    if (spilled) broken = true;
                    len = 0;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void put(int b) throws IOException {
        if (len == buf.length) drain();
        buf[len++] = (byte) b;
    }

    private void put(byte[] b, int off, int n) throws IOException {
        if (n > buf.length - len) {
            drain();
            if (n > buf.length) {
                spilled = true;
                drains++;
                out.write(b, off, n);
                return;
            }
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void drain() throws IOException {
        if (len > 0) {
            spilled = true;
            drains++;
            out.write(buf, 0, len);
            len = 0;
        }
    }

    private static String checkTag(String tag) {
        // RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">
        if (tag.isEmpty()) throw new IllegalArgumentException("empty tag");
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c == '+' || !(isAtomChar(c) || c == ']')) throw new IllegalArgumentException("bad tag");
        }
        return tag;
    }

    /** ATOM-CHAR of RFC 9051 §9: any CHAR except atom-specials ( ) { SP CTL % * " \ ]. */
    static boolean isAtomChar(char c) {
        return c > 0x20 && c < 0x7F && "(){%*\"\\]".indexOf(c) < 0;
    }

    static boolean isAtom(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!isAtomChar(s.charAt(i))) return false;
        return true;
    }

    /** Whether {@code s} may be a quoted string (RFC 9051 §9 quoted, QUOTED-CHAR): no CR, LF, NUL; 8-bit only in UTF-8 mode. */
    private boolean quotable(CharSequence s) {
        if (s.length() > MAX_QUOTED) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) return false;
            if (c >= 0x80) {
                if (!utf8) return false;
                // a lone surrogate has no UTF-8 form; let the literal path carry its replacement
                if (Character.isSurrogate(c)) {
                    if (!Character.isHighSurrogate(c) || i + 1 >= s.length()
                            || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                    i++;
                }
            }
        }
        return true;
    }

    /**
     * The values of one response, valid only inside the {@link Body} callback that received it. Items are
     * separated by single spaces, written automatically: none after "(" or before ")", one between any two
     * others; {@link #glue()} suppresses the next one (body parts of a multipart and addresses of an envelope
     * follow each other without a space, RFC 9051 §9 body-type-mpart and env-from).
     */
    public final class Response {
        private boolean active;
        private boolean needSpace;
        /** Scratch for {@link #number}: 2^63-1 has 19 digits. */
        private final byte[] digits = new byte[19];

        private Response() {}

        private void begin() {
            active = true;
            needSpace = false;
        }

        private void end() {
            active = false;
        }

        private void check() {
            if (!active || !lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("response values written outside their response");
            }
        }

        private void item() throws IOException {
            check();
            if (needSpace) put(' ');
            needSpace = true;
        }

        /** Whether the session has enabled UTF-8 (see {@link ImapWriter#enableUtf8()}). */
        public boolean utf8() {
            return utf8;
        }

        /** An atom (RFC 9051 §9), e.g. {@code FETCH}, {@code EXISTS}; refuses anything that is not one. */
        public Response atom(String atom) throws IOException {
            if (!isAtom(atom)) throw new IllegalArgumentException("not an atom: " + atom);
            item();
            ascii(atom);
            return this;
        }

        /** An atom checked when it was made ({@link Atom#of}). */
        public Response atom(Atom atom) throws IOException {
            item();
            put(atom.bytes, 0, atom.bytes.length);
            return this;
        }

        /**
         * Server-composed syntax written as is, e.g. {@code BODY[1.2.HEADER.FIELDS (DATE FROM)]<0>} or
         * {@code \Seen}. Never pass client data here: it accepts any printable US-ASCII and refuses the rest.
         */
        public Response token(String syntax) throws IOException {
            if (syntax.isEmpty()) throw new IllegalArgumentException("empty token");
            for (int i = 0; i < syntax.length(); i++) {
                char c = syntax.charAt(i);
                if (c < 0x20 || c > 0x7E) throw new IllegalArgumentException("token with a control or 8-bit character");
            }
            item();
            ascii(syntax);
            return this;
        }

        /** A flag: {@code \System} or a keyword atom (RFC 9051 §9 flag), or {@code \*} in PERMANENTFLAGS. */
        public Response flag(String flag) throws IOException {
            String bare = flag.startsWith("\\") ? flag.substring(1) : flag;
            if (!flag.equals("\\*") && !isAtom(bare)) throw new IllegalArgumentException("not a flag: " + flag);
            item();
            ascii(flag);
            return this;
        }

        /** A parenthesized list of flags, e.g. {@code (\Seen $Forwarded)}. */
        public Response flags(Collection<String> flags) throws IOException {
            open();
            for (String f : flags) flag(f);
            return close();
        }

        /** A number (RFC 9051 §9 number64: 0 to 2^63-1). */
        public Response number(long n) throws IOException {
            if (n < 0) throw new IllegalArgumentException("negative number " + n);
            item();
            // the digits straight into the buffer, last first: no String per number (FETCH 1:* writes two a message)
            int end = digits.length, at = end;
            do {
                digits[--at] = (byte) ('0' + n % 10);
                n /= 10;
            } while (n > 0);
            put(digits, at, end - at);
            return this;
        }

        public Response nil() throws IOException {
            item();
            ascii("NIL");
            return this;
        }

        /** "(": starts a parenthesized list. */
        public Response open() throws IOException {
            item();
            put('(');
            needSpace = false;
            return this;
        }

        /** ")": ends the list {@link #open()} started. */
        public Response close() throws IOException {
            check();
            put(')');
            needSpace = true;
            return this;
        }

        /**
         * Writes {@code item} (one value: an atom, a string, a parenthesized list) and returns its bytes for
         * {@link #rendered} to repeat in later responses; empty when the item went out across a buffer flush (it was
         * written all the same, only not kept).
         */
        public Optional<Rendered> capture(Body item) throws IOException {
            item();                // the separating space belongs to this response, not to the item
            needSpace = false;
            int start = len;
            long drainsBefore = drains;
            item.write(this);
            if (drains != drainsBefore) return Optional.empty();
            return Optional.of(new Rendered(java.util.Arrays.copyOfRange(buf, start, len), utf8));
        }

        /** Writes an item {@link #capture} kept, verbatim; it must be {@link Rendered#usableIn} this UTF-8 mode. */
        public Response rendered(Rendered item) throws IOException {
            if (!item.usableIn(utf8)) throw new IllegalArgumentException("rendered for the other UTF-8 mode");
            item();
            put(item.bytes, 0, item.bytes.length);
            return this;
        }

        /** Writes the next item without a separating space. */
        public Response glue() {
            check();
            needSpace = false;
            return this;
        }

        /**
         * A string (RFC 9051 §9): quoted when it can be ({@code "} and {@code \} escaped), a literal when it has
         * CR, LF or NUL, is long, or has 8-bit characters before UTF-8 is enabled. Never an atom, never NIL.
         */
        public Response string(String s) throws IOException {
            item();
            if (plainQuotable(s)) plainQuoted(s);   // the usual case, in two tight passes (FETCH ENVELOPE of 10,000 messages)
            else if (quotable(s)) quoted(s);
            else literalBytes(s.getBytes(StandardCharsets.UTF_8), false);
            return this;
        }

        /** A string of raw bytes: quoted when they are 7-bit text (or valid UTF-8 in UTF-8 mode), else a literal. */
        public Response string(byte[] bytes) throws IOException {
            item();
            String asText = utf8 ? validUtf8(bytes) : ascii7(bytes);
            if (asText != null && quotable(asText)) quoted(asText);
            else literalBytes(bytes, false);
            return this;
        }

        /** An nstring: the string, or NIL when empty (RFC 9051 §9: the empty Optional is NIL, "" is ""). */
        public Response nstring(Optional<String> s) throws IOException {
            return s.isPresent() ? string(s.get()) : nil();
        }

        /** An astring: an atom when the value is one (but not NIL, which some clients misread), else a string. */
        public Response astring(String s) throws IOException {
            if (isAstringAtom(s)) {
                item();
                ascii(s);
                return this;
            }
            return string(s);
        }

        /**
         * A mailbox name as this session spells them: modified UTF-7 for IMAP4rev1 clients (RFC 3501 §5.1.3), UTF-8
         * once IMAP4rev2 or UTF8=ACCEPT is enabled (RFC 9051 §5.1, RFC 6855 §3). Then written as an astring.
         */
        public Response mailbox(String name) throws IOException {
            return astring(utf8 ? name : ModifiedUtf7.encode(name));
        }

        /**
         * A literal {@code {n}CRLF} + bytes. A literal may not contain NUL (RFC 9051 §4.3: CHAR8 is %x01-ff), so a
         * NUL is sent as 0x80, as Dovecot does; use {@link #literal8} for BINARY.
         */
        public Response literal(byte[] bytes) throws IOException {
            item();
            literalBytes(bytes, false);
            return this;
        }

        /** A BINARY literal {@code ~{n}CRLF} + bytes as they are, NUL included (RFC 9051 §9 literal8, RFC 3516). */
        public Response literal8(byte[] bytes) throws IOException {
            item();
            literalBytes(bytes, true);
            return this;
        }

        /**
         * A literal of exactly {@code length} bytes copied from {@code in} without holding them in memory (a
         * message body). NUL is sent as 0x80, see {@link #literal(byte[])}. If {@code in} ends early the
         * response cannot be completed: this throws {@link EOFException} and the writer is unusable.
         */
        public Response literal(InputStream in, long length) throws IOException {
            item();
            stream(in, length, false);
            return this;
        }

        /** A BINARY literal ({@code ~{n}}) of exactly {@code length} bytes from {@code in}, as they are. */
        public Response literal8(InputStream in, long length) throws IOException {
            item();
            stream(in, length, true);
            return this;
        }

        /**
         * Human-readable text that ends the response (resp-text's text, RFC 9051 §7.1): CR, LF and other control
         * characters become spaces, 8-bit characters "?" unless UTF-8 is enabled; it can never start a new line.
         */
        public Response text(String human) throws IOException {
            item();
            respText(human, false);
            return this;
        }

        private void literalBytes(byte[] bytes, boolean binary) throws IOException {
            ascii((binary ? "~{" : "{") + bytes.length + "}\r\n");
            if (binary) {
                put(bytes, 0, bytes.length);
            } else {
                for (byte b : bytes) put(b == 0 ? 0x80 : b & 0xFF);
            }
        }

        private void stream(InputStream in, long length, boolean binary) throws IOException {
            if (length < 0) throw new IllegalArgumentException("negative literal length " + length);
            ascii((binary ? "~{" : "{") + length + "}\r\n");
            drain();
            drains++;            // the literal bypasses the buffer: nothing of it can be captured
            spilled = true;      // from here on the literal's length is promised to the client
            byte[] copy = new byte[(int) Math.min(BUFFER_BYTES, Math.max(1, length))];
            long left = length;
            while (left > 0) {
                int n = in.read(copy, 0, (int) Math.min(copy.length, left));
                if (n < 0) throw new EOFException("literal source ended " + left + " bytes short of " + length);
                if (!binary) for (int i = 0; i < n; i++) if (copy[i] == 0) copy[i] = (byte) 0x80;
                out.write(copy, 0, n);
                left -= n;
            }
        }

        /** Printable 7-bit text without {@code "} or {@code \\}: quoted as it is, no escapes, in any mode. */
        private static boolean plainQuotable(String s) {
            if (s.length() > MAX_QUOTED) return false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') return false;
            }
            return true;
        }

        /** {@code s} passed {@link #plainQuotable}: its chars are its bytes. */
        @SuppressWarnings("deprecation")   // String.getBytes(int, int, byte[], int): a straight copy of 7-bit chars
        private void plainQuoted(String s) throws IOException {
            check();
            put('"');
            int n = s.length();   // at most MAX_QUOTED, less than the buffer
            if (n > buf.length - len) drain();
            s.getBytes(0, n, buf, len);
            len += n;
            put('"');
        }

        private void quoted(String s) throws IOException {
            check();
            put('"');
            StringBuilder plain = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') plain.append('\\');
                plain.append(c);
            }
            utf8(plain.toString());
            put('"');
        }

        private void respText(String human, boolean atStart) throws IOException {
            StringBuilder t = new StringBuilder(human.length());
            for (int i = 0; i < human.length(); i++) {
                char c = human.charAt(i);
                if (c < 0x20 || c == 0x7F) t.append(' ');
                else if (c >= 0x80 && !utf8) t.append('?');
                else t.append(c);
            }
            // a text that starts with "[" would be read as a response code (RFC 9051 §7.1 resp-text)
            if (atStart && !t.isEmpty() && t.charAt(0) == '[') t.setCharAt(0, '(');
            // RFC 3501 §9: text = 1*TEXT-CHAR; IMAP4rev1 clients expect some
            if (t.toString().isBlank()) throw new IllegalArgumentException("empty response text");
            utf8(t.toString());
        }

        private void ascii(String s) throws IOException {
            check();
            for (int i = 0; i < s.length(); i++) put(s.charAt(i));
        }

        private void utf8(String s) throws IOException {
            check();
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            put(b, 0, b.length);
        }

        private boolean isAstringAtom(String s) {
            if (s.isEmpty() || s.equalsIgnoreCase("NIL")) return false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!isAtomChar(c) && c != ']') return false;      // ASTRING-CHAR = ATOM-CHAR / resp-specials
            }
            return true;
        }
    }

    private static String ascii7(byte[] b) {
        for (byte x : b) if (x < 0) return null;
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static String validUtf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
