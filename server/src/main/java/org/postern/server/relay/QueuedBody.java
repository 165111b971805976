package org.postern.server.relay;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.postern.server.queue.QueuedMessage;
import org.postern.server.store.BlobStore;
import org.postern.wire.mime.SevenBitDowngrade;
import org.postern.wire.smtp.client.OutboundMessage;

/**
 * A queued message as the SMTP client reads it: the relay prefix (our Received field) then the body blob.
 *
 * <p>The 7-bit form for a server without 8BITMIME (RFC 6152 §3) is {@link OutboundMessage}'s default: written to
 * a temporary file and read from there, rather than converted through a pipe and a second thread: {@link SevenBitDowngrade} is push-style, and
 * with a file any conversion failure surfaces in the caller's thread before the first byte goes on the wire,
 * the blob is not held open at the pace of a slow server, and nothing needs a second channel for errors. The
 * file is deleted when the stream is closed (and is at most the message size).
 */
final class QueuedBody implements OutboundMessage {
    private final QueuedMessage message;
    private final BlobStore blobs;

    QueuedBody(QueuedMessage message, BlobStore blobs) {
        this.message = message;
        this.blobs = blobs;
    }

    @Override
    public boolean eightBit() {
        return message.options().eightBit();
    }

    @Override
    public boolean needsSmtpUtf8() {
        return message.options().smtpUtf8();
    }

    @Override
    public long size() {
        return message.size();
    }

    @Override
    public InputStream open() throws IOException {
        return new SequenceInputStream(new ByteArrayInputStream(message.prefix()), blobs.open(message.body()));
    }
}
