package org.postern.server.store;

/**
 * Where a message's bytes are: the server-added header prefix (trace fields, kept in the database) followed
 * by the body blob. Read it with {@link MailStore#open(MessageContent)} outside any transaction.
 */
public record MessageContent(byte[] prefix, BlobRef body, long size) {}
