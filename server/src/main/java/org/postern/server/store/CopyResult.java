package org.postern.server.store;

/** One message copied: its uid in the source and the uid it got in the target (RFC 4315 COPYUID). */
public record CopyResult(long sourceUid, long targetUid) {}
