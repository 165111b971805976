package org.postern.client.account;

/** How an account reads its mail. */
public enum Protocol {
    /** RFC 9051 / RFC 3501: every folder, synced both ways. */
    IMAP,
    /** RFC 1939: new messages of the server's inbox downloaded into the local INBOX. */
    POP3;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
