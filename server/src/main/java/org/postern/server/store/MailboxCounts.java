package org.postern.server.store;

/** What STATUS and SELECT need without listing messages. */
public record MailboxCounts(long messages, long unseen, long deleted, long totalSize, long firstUnseenUid) {}
