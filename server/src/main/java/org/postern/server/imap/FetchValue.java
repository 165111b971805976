package org.postern.server.imap;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import org.postern.wire.imap.FetchItem.Partial;
import org.postern.wire.imap.ImapWriter;

/**
 * One FETCH data item ready to be written: its response name and where its value comes from. Writing streams
 * the value into a literal without holding it in memory; a value whose length is not known beforehand
 * (filtered header fields, decoded BINARY content) is read twice, once to count it and once to send it,
 * because a literal's length comes before its bytes (RFC 9051 §4.3).
 */
final class FetchValue {
    /** Writes an item's name, e.g. {@code BODY[1.MIME]<0>}, into the response. */
    @FunctionalInterface
    interface Name {
        void write(ImapWriter.Response r) throws IOException;
    }

    /** Opens the item's content from its start; may be called more than once. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    private final Name name;
    private final Source source;      // null: NIL
    private final long length;        // -1: count it first
    private final Optional<Partial> partial;
    private final boolean binary;

    private FetchValue(Name name, Source source, long length, Optional<Partial> partial, boolean binary) {
        this.name = name;
        this.source = source;
        this.length = length;
        this.partial = partial;
        this.binary = binary;
    }

    /** An item whose section does not exist: {@code name NIL}. */
    static FetchValue nil(Name name) {
        return new FetchValue(name, null, 0, Optional.empty(), false);
    }

    /** The stored message's bytes {@code [start, end)}: the length is known, so they are read once. */
    static FetchValue range(Name name, long start, long end, Optional<Partial> partial, FetchSections.MessageBytes bytes) {
        return new FetchValue(name, () -> openRange(bytes, start, end - start), end - start, partial, false);
    }

    /**
     * Content of unknown length, counted in a first pass. With {@code binary} (RFC 3516 BINARY) it goes as a
     * literal8 when the bytes sent contain a NUL, else as a plain literal (RFC 3516 §4.2, and §4.3 SHOULD).
     */
    static FetchValue counted(Name name, Source source, Optional<Partial> partial, boolean binary) {
        return new FetchValue(name, source, -1, partial, binary);
    }

    void write(ImapWriter.Response r) throws IOException {
        if (source == null) {
            name.write(r);
            r.nil();
            return;
        }
        long origin = partial.map(Partial::origin).orElse(0L);
        long limit = partial.map(Partial::length).orElse(Long.MAX_VALUE);
        long total = length;
        boolean nul = false;
        if (total < 0) {
            Scan scan = scan(origin, limit);
            total = scan.total;
            nul = scan.nul;
        }
        // RFC 9051 §6.4.5: "<origin.length>" returns at most length octets from origin; an origin past the end
        // of the content returns an empty string
        long start = Math.min(origin, total);
        long count = Math.min(limit, total - start);
        name.write(r);
        if (count == 0) {
            r.string("");
            return;
        }
        try (InputStream in = source.open()) {
            in.skipNBytes(start);
            if (nul) r.literal8(in, count);
            else r.literal(in, count);
        }
    }

    private record Scan(long total, boolean nul) {}

    /** Reads the content through: its length, and whether the part a partial sends holds a NUL (BINARY only). */
    private Scan scan(long origin, long limit) throws IOException {
        long total = 0;
        boolean nul = false;
        long sendEnd = limit > Long.MAX_VALUE - origin ? Long.MAX_VALUE : origin + limit;
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = source.open()) {
            for (int n; (n = in.read(buf)) > 0; total += n) {
                if (binary && !nul && total + n > origin && total < sendEnd) {
                    int from = (int) Math.max(0, origin - total);
                    int to = (int) Math.min(n, sendEnd - total);
                    for (int i = from; i < to && !nul; i++) nul = buf[i] == 0;
                }
            }
        }
        return new Scan(total, nul);
    }

    /** The message's bytes {@code [start, start + length)}: skips to {@code start}, then ends after {@code length}. */
    static InputStream openRange(FetchSections.MessageBytes bytes, long start, long length) throws IOException {
        InputStream in = bytes.open();
        try {
            in.skipNBytes(start);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return new Bounded(in, length);
    }

    /** At most {@code left} bytes of {@code in}; closing it closes {@code in}. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = in.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(Math.min(n, left));
            if (s > 0) left -= s;
            return s;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
