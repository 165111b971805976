package org.postern.wire.imap;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fake {@link ImapSource} over what a client sends, literals inline: {@code "a LOGIN {3}\r\nbob secret\r\n"}.
 * It records the continuation requests the server would have sent, and what was left unread.
 */
final class ImapScript implements ImapSource {
    private final byte[] bytes;
    private int pos;
    final List<Long> continuationsSent = new ArrayList<>();
    final List<Long> literalsRead = new ArrayList<>();

    private ImapScript(byte[] bytes) {
        this.bytes = bytes;
    }

    static ImapScript of(String script) {
        return new ImapScript(script.getBytes(StandardCharsets.UTF_8));
    }

    static ImapScript of(byte[] script) {
        return new ImapScript(script);
    }

    @Override
    public byte[] readLine() throws IOException {
        int start = pos;
        while (pos < bytes.length && bytes[pos] != '\n') pos++;
        if (pos == bytes.length) throw new EOFException("script ended inside a line");
        int end = pos > start && bytes[pos - 1] == '\r' ? pos - 1 : pos;
        pos++;
        return Arrays.copyOfRange(bytes, start, end);
    }

    @Override
    public byte[] readLiteral(long size, boolean synchronizing) throws IOException {
        if (synchronizing) continuationsSent.add(size);
        literalsRead.add(size);
        if (bytes.length - pos < size) throw new EOFException("script ended inside a literal");
        byte[] b = Arrays.copyOfRange(bytes, pos, pos + (int) size);
        pos += (int) size;
        return b;
    }

    /** What the parser left unread. */
    String rest() {
        return new String(bytes, pos, bytes.length - pos, StandardCharsets.UTF_8);
    }

    ImapCommand parse(boolean authenticated) throws IOException {
        return ImapParser.parse(this, authenticated);
    }
}
