package org.postern.server.store;

/**
 * A mailbox name as the user sees it, hierarchy separated by {@code /}. INBOX is case-insensitive
 * (RFC 9051 §5.1): any spelling is normalized to {@code INBOX}.
 */
public record MailboxName(String value) {
    /** Longest name accepted, in UTF-16 chars: far more than any client uses, small enough to index. */
    public static final int MAX_LENGTH = 1000;
    public static final char SEPARATOR = '/';
    public static final MailboxName INBOX = new MailboxName("INBOX");

    public MailboxName {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("empty mailbox name");
        if (value.length() > MAX_LENGTH) throw new IllegalArgumentException("mailbox name longer than " + MAX_LENGTH);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) throw new IllegalArgumentException("control character in mailbox name");
        }
        if (value.startsWith("/") || value.endsWith("/") || value.contains("//"))
            throw new IllegalArgumentException("empty hierarchy level in mailbox name");
        if (value.equalsIgnoreCase("INBOX")) value = "INBOX";
        else if (value.regionMatches(true, 0, "INBOX/", 0, 6)) value = "INBOX" + value.substring(5);
    }

    public static MailboxName of(String value) {
        return new MailboxName(value);
    }

    public boolean isInbox() {
        return value.equals("INBOX");
    }

    @Override
    public String toString() {
        return value;
    }
}
