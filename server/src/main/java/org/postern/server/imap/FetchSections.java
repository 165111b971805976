package org.postern.server.imap;

import java.io.IOException;
import java.io.InputStream;
import org.postern.wire.imap.FetchItem;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.mime.MessageStructure;

/**
 * The message-content items of IMAP FETCH (RFC 9051 §6.4.5, RFC 3516 BINARY): BODY[section]&lt;partial&gt; and
 * BODY.PEEK, BINARY[part], BINARY.PEEK, BINARY.SIZE, RFC822, RFC822.HEADER, RFC822.TEXT. Section boundaries come
 * from the structure parsed at delivery; bytes stream from the store, never whole in memory.
 * (Work in progress on a helper branch: the signature below is fixed.)
 */
public final class FetchSections {
    private FetchSections() {}

    /** Opens the message's bytes (prefix then body blob, as {@code MailStore.openMessage}); may be called more than once. */
    @FunctionalInterface
    public interface MessageBytes {
        InputStream open() throws IOException;
    }

    /** BINARY on a part whose Content-Transfer-Encoding cannot be decoded: the command fails with NO [UNKNOWN-CTE] (RFC 3516 §4.3). */
    public static final class UnknownCteException extends IOException {
        public UnknownCteException(String message) {
            super(message);
        }
    }

    /** True for the items {@link #write} handles. */
    public static boolean handles(FetchItem item) {
        return item instanceof FetchItem.BodySection || item instanceof FetchItem.Binary || item instanceof FetchItem.BinarySize
                || item instanceof FetchItem.Rfc822 || item instanceof FetchItem.Rfc822Header || item instanceof FetchItem.Rfc822Text;
    }

    /**
     * Writes one such item into a FETCH response being built: the item name as the response spells it
     * ({@code BODY[1.2.HEADER.FIELDS (FROM)]<0>}, {@code BINARY[2]}, {@code BINARY.SIZE[2]}, {@code RFC822.TEXT})
     * and its value (literal, literal8, number or NIL). The caller writes UID/FLAGS and the other items, and sets
     * \Seen for non-PEEK items itself.
     */
    public static void write(ImapWriter.Response response, FetchItem item, MessageStructure structure, MessageBytes bytes)
            throws IOException {
        throw new UnsupportedOperationException("FetchSections: being built on a helper branch");
    }
}
