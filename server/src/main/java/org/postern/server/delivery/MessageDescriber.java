package org.postern.server.delivery;

import java.io.IOException;
import java.io.InputStream;
import org.postern.wire.mime.MessageStructure;

/** Parses a message once, at delivery, into what the store keeps for IMAP and search. */
final class MessageDescriber {
    record Description(MessageStructure structure, String searchText) {}

    private MessageDescriber() {}

    // todo: use MessageParser.parse(in) (structure(), searchText()) once the MIME parser is merged; until then
    //  this only measures the message, with the placeholder MessageStructure and no search text.
    static Description describe(InputStream in) throws IOException {
        long size = in.transferTo(java.io.OutputStream.nullOutputStream());
        return new Description(new MessageStructure(size), "");
    }
}
