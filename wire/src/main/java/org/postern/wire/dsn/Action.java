package org.postern.wire.dsn;

import java.util.Locale;

/** RFC 3464 §2.3.3 action-value: what the reporting MTA did for one recipient. */
public enum Action {
    /** Could not be delivered, and will not be retried. */
    FAILED,
    /** Not delivered yet; still being retried. */
    DELAYED,
    /** Delivered to the recipient's mailbox (only with NOTIFY=SUCCESS, RFC 3461 §4.1). */
    DELIVERED,
    /** Handed to a next hop that does not issue notices (no DSN extension), RFC 3461 §6.2.1. */
    RELAYED,
    /** Delivered and forwarded to several addresses (a list or an alias). */
    EXPANDED;

    /** The field value, lower case as in RFC 3464's examples. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a status of class {@code statusClass} goes with this action (RFC 3464 §2.3.4): 2 for the
     * successes, 4 for delayed, 4 or 5 for failed (a temporary failure that outlived the retry period).
     */
    boolean allows(int statusClass) {
        return switch (this) {
            case FAILED -> statusClass == 4 || statusClass == 5;
            case DELAYED -> statusClass == 4;
            case DELIVERED, RELAYED, EXPANDED -> statusClass == 2;
        };
    }
}
