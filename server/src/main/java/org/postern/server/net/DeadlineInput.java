package org.postern.server.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket's input with a deadline for a whole record — a command line, a message body — on top of the
 * per-read timeout. A per-read timeout alone lets a client keep a connection forever by sending one byte just
 * before each timeout (slow loris); this is Postfix's {@code smtpd_per_record_deadline}, made fair to slow
 * links: after {@link #arm(Duration)} the record must arrive within the timeout plus one second per
 * {@link #MIN_BYTES_PER_SECOND} bytes received. When the deadline passes, the read throws
 * {@link SocketTimeoutException}, as a per-read timeout does, and the session answers as it does for one.
 */
public final class DeadlineInput extends InputStream {
    /**
     * Slowest transfer rate tolerated for a whole record: 1 KiB/s still moves a 50 MiB message (in about 14
     * hours), while a client trickling a byte every few minutes is cut off after one timeout.
     */
    public static final long MIN_BYTES_PER_SECOND = 1024;

    private final Socket socket;
    private final InputStream in;
    private long armedAt;
    private long allowanceNanos = Long.MAX_VALUE;   // not armed: no deadline
    private long received;

    public DeadlineInput(Socket socket, InputStream in) {
        this.socket = socket;
        this.in = in;
    }

    /** Starts a record: each read may wait up to {@code timeout}, the whole record {@code timeout} plus its rate allowance. */
    public void arm(Duration timeout) throws IOException {
        armedAt = System.nanoTime();
        allowanceNanos = timeout.toNanos();
        received = 0;
        socket.setSoTimeout(millis(allowanceNanos));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (allowanceNanos != Long.MAX_VALUE) {
            long deadline = armedAt + allowanceNanos + received * 1_000_000_000L / MIN_BYTES_PER_SECOND;
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) throw new SocketTimeoutException("record deadline passed after " + received + " bytes");
            socket.setSoTimeout(millis(Math.min(remaining, allowanceNanos)));
        }
        int n = in.read(b, off, len);
        if (n > 0) received += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** At least 1 ms: 0 would mean "no timeout" to {@link Socket#setSoTimeout}. */
    private static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000));
    }
}
