package org.postern.server.store;

import org.postern.wire.mime.MessageStructure;

/**
 * Told of each message a delivery or an APPEND added, after its commit, with the structure parsed from it then:
 * how the IMAP server renders a new message's ENVELOPE once, at arrival, instead of at the first FETCH
 * (org.postern.server.imap.EnvelopeCache). Called on the delivering thread; it must be quick and must not throw.
 */
@FunctionalInterface
public interface NewMail {
    /** Nobody listening. */
    NewMail NONE = (message, structure) -> { };

    void added(MessageMeta message, MessageStructure structure);
}
