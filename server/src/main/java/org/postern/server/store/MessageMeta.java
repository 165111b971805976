package org.postern.server.store;

import java.time.Instant;

/** One message in one mailbox. {@code size} is the RFC822.SIZE: header prefix plus body blob. */
public record MessageMeta(MailboxId mailbox, long uid, long modSeq, Flags flags, Instant internalDate, long size,
                          BlobRef body) {}
