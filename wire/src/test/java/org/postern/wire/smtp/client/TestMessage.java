package org.postern.wire.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link OutboundMessage} in memory, counting which stream the client opened. */
public record TestMessage(byte[] bytes, byte[] sevenBit, boolean eightBit, boolean needsSmtpUtf8,
                          AtomicInteger opened, AtomicInteger openedSevenBit) implements OutboundMessage {
    public static TestMessage ascii(String text) {
        return new TestMessage(text.getBytes(UTF_8), text.getBytes(UTF_8), false, false, new AtomicInteger(), new AtomicInteger());
    }

    /** An 8-bit message and the 7-bit version the MIME converter would have made. */
    public static TestMessage eightBit(String text, String sevenBitText) {
        return new TestMessage(text.getBytes(UTF_8), sevenBitText.getBytes(UTF_8), true, false, new AtomicInteger(), new AtomicInteger());
    }

    /** A message whose header holds UTF-8 (RFC 6532). */
    public static TestMessage utf8Header(String text) {
        return new TestMessage(text.getBytes(UTF_8), text.getBytes(UTF_8), true, true, new AtomicInteger(), new AtomicInteger());
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public InputStream open() {
        opened.incrementAndGet();
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public InputStream openSevenBit() {
        openedSevenBit.incrementAndGet();
        return new ByteArrayInputStream(sevenBit);
    }

    /** A large message generated as it is read, never in memory: {@code size} bytes of 76-character lines. */
    public static OutboundMessage generated(long size) {
        return new OutboundMessage() {
            @Override public boolean eightBit() { return false; }
            @Override public boolean needsSmtpUtf8() { return false; }
            @Override public long size() { return size; }
            @Override public InputStream openSevenBit() { return open(); }

            @Override
            public InputStream open() {
                return new InputStream() {
                    long pos;

                    @Override
                    public int read() {
                        if (pos >= size) return -1;
                        int col = (int) (pos++ % 78);
                        return col == 76 ? '\r' : col == 77 ? '\n' : 'a' + col % 26;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (pos >= size) return -1;
                        int n = (int) Math.min(len, size - pos);
                        for (int i = 0; i < n; i++) b[off + i] = (byte) read();
                        return n;
                    }
                };
            }
        };
    }

    /** A message whose store fails: at open, or after {@code goodBytes} bytes. */
    public static OutboundMessage unreadable(int goodBytes, boolean atOpen) {
        return new OutboundMessage() {
            @Override public boolean eightBit() { return false; }
            @Override public boolean needsSmtpUtf8() { return false; }
            @Override public long size() { return goodBytes + 100; }
            @Override public InputStream openSevenBit() throws IOException { return open(); }

            @Override
            public InputStream open() throws IOException {
                if (atOpen) throw new IOException("blob missing");
                return new InputStream() {
                    int pos;

                    @Override
                    public int read() throws IOException {
                        if (pos >= goodBytes) throw new IOException("disk error");
                        pos++;
                        return 'x';
                    }
                };
            }
        };
    }
}
