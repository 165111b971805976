package org.postern.server.relay;

import java.util.List;

/** What {@link MxResolver#resolve} found for a destination domain. */
public sealed interface MxResult {
    /** The hosts to try, in order: by preference, equal preferences in random order (RFC 5321 §5.1). Never empty. */
    record Hosts(List<MxHost> hosts) implements MxResult {
        public Hosts {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) throw new IllegalArgumentException("no MX hosts");
        }
    }

    /** Mail for this domain can never be delivered (nonexistent domain, null MX, mail loop): bounce now. */
    record PermanentFailure(String reason) implements MxResult {}

    /** DNS could not answer now (timeout, SERVFAIL, no MX host resolves): try again later. */
    record TemporaryFailure(String reason) implements MxResult {}
}
