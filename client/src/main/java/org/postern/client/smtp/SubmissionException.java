package org.postern.client.smtp;

import java.util.List;
import java.util.Map;
import org.postern.client.net.ProtocolException;

/**
 * The submission server refused the message (some or all recipients); {@code permanent} for 5xx. When only some
 * recipients were refused, {@link #accepted()} names those the server took (the message went to them, so a retry
 * must not send to them again) and {@link #refused()} says why each other one was refused.
 */
public final class SubmissionException extends ProtocolException {
    private final boolean permanent;
    private final List<String> accepted;
    private final Map<String, String> refused;

    public SubmissionException(String message, boolean permanent) {
        this(message, permanent, List.of(), Map.of());
    }

    public SubmissionException(String message, boolean permanent, List<String> accepted, Map<String, String> refused) {
        super(message);
        this.permanent = permanent;
        this.accepted = List.copyOf(accepted);
        this.refused = Map.copyOf(refused);
    }

    /** True when retrying cannot help: a 5xx (for every refused recipient), or a message we could not send at all. */
    public boolean permanent() {
        return permanent;
    }

    /** Recipients the server accepted in the same transaction (empty when none, or when the session failed). */
    public List<String> accepted() {
        return accepted;
    }

    /** Refused recipients and the server's reply (or our reason) for each. */
    public Map<String, String> refused() {
        return refused;
    }
}
