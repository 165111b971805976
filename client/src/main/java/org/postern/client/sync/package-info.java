/**
 * Bringing the local copy and the server together: IMAP and POP3 sync, the outbox sent exactly once. The rules
 * are decision 0005 (docs/decisions/0005-mail-client.md, "Sync rules" and its refinements).
 *
 * <ul>
 *   <li>{@link org.postern.client.sync.ImapSync}: one connection per sync; LIST makes the local folders match;
 *       the outbox is sent first (so Sent is filed before it is synced); then each folder is synced by
 *       {@code FolderSync}: SELECT (with QRESYNC when enabled), the server's expunges and flag changes applied
 *       with the conflict rules, the offline changes pushed (+FLAGS/-FLAGS, STORE \Deleted + UID EXPUNGE, UID
 *       MOVE with COPYUID, APPEND with APPENDUID), new messages downloaded in batches (adopting UID-less rows by
 *       Message-ID and size instead of copying them twice), the folder's state saved last.</li>
 *   <li>{@link org.postern.client.sync.OutboxSender}: QUEUED -> SENDING -> SENT -> FILED, SENDING checked against
 *       the Sent folder before it is sent again, SENT only filed.</li>
 *   <li>{@link org.postern.client.sync.Pop3Sync}: new messages by UIDL into INBOX, remembered in {@code pop3.db};
 *       left on the server, or deleted after download or after N days.</li>
 * </ul>
 *
 * <p>What a cut leaves: every downloaded message is its own commit in the store, and a folder's UIDVALIDITY,
 * UIDNEXT and HIGHESTMODSEQ are saved only after the folder is complete, so the next sync starts from the last
 * complete state and skips the UIDs it already holds. Pending changes are cleared one by one as the server
 * confirms them; an APPEND cut after the server took it is found again by Message-ID.
 */
package org.postern.client.sync;
