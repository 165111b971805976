package org.postern.server.store;

import java.time.Instant;
import org.postern.wire.mime.MessageStructure;
import org.postern.wire.mime.ParsedMessage;

/**
 * A message about to be stored: a durable body blob plus the header prefix the server adds in front of it.
 * {@code structure}, {@code headerText} and {@code bodyText} describe prefix + blob (parsed once, at delivery);
 * the texts feed the search index (null: nothing to index).
 */
public record NewMessage(BlobRef body, byte[] prefix, long size, Flags flags, Instant internalDate,
                         MessageStructure structure, String headerText, String bodyText) {
    /** A message whose prefix + blob were parsed into {@code parsed}. */
    public static NewMessage of(BlobRef body, byte[] prefix, Flags flags, Instant internalDate, ParsedMessage parsed) {
        return new NewMessage(body, prefix, parsed.structure().size(), flags, internalDate, parsed.structure(),
                parsed.headerText(), parsed.bodyText());
    }
}
