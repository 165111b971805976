package org.postern.wire.smtp;

/**
 * An RFC 3463 enhanced status code, {@code class.subject.detail}, sent in front of reply text once the
 * server advertises ENHANCEDSTATUSCODES (RFC 2034).
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {
    public EnhancedStatus {
        // RFC 3463 §2: class is 2, 4 or 5; subject and detail are 1 to 3 digits.
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) throw new IllegalArgumentException("bad class " + statusClass);
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) throw new IllegalArgumentException("bad status");
    }

    /** Parses {@code "5.1.1"}. */
    public static EnhancedStatus parse(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 3) throw new IllegalArgumentException("bad enhanced status: " + s);
        try {
            return new EnhancedStatus(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad enhanced status: " + s);
        }
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
