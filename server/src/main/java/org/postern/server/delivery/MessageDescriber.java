package org.postern.server.delivery;

import java.io.IOException;
import java.io.InputStream;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.mime.MessageStructure;
import org.postern.wire.mime.ParsedMessage;

/**
 * Parses a message once, at delivery, into what the store keeps for IMAP (structure, with offsets into
 * prefix + blob) and for search (DESIGN.md "Store": FETCH never re-parses a message).
 */
final class MessageDescriber {
    record Description(MessageStructure structure, String searchText) {}

    private MessageDescriber() {}

    static Description describe(InputStream in) throws IOException {
        ParsedMessage p = MessageParser.parse(in);
        return new Description(p.structure(), p.searchText());
    }
}
