package org.postern.server.store;

import java.time.Instant;
import org.postern.wire.mime.MessageStructure;

/**
 * A message about to be stored: a durable body blob plus the header prefix the server adds in front of it.
 * {@code structure} and {@code searchText} describe prefix + blob (parsed once, at delivery).
 */
public record NewMessage(BlobRef body, byte[] prefix, long size, Flags flags, Instant internalDate,
                         MessageStructure structure, String searchText) {}
