package org.postern.server.relay;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** The outcome of one question (name, type) after CNAMEs have been followed. */
sealed interface DnsAnswer {
    /** {@code records} of the asked type, owned by {@code name}: the asked name or the end of its CNAME chain. */
    record Records(Name name, List<Record> records) implements DnsAnswer {
        public Records {
            records = List.copyOf(records);
        }
    }

    /** NXDOMAIN: {@code name} (the end of the CNAME chain) does not exist (RFC 2308 §2.1). */
    record NoSuchName(Name name) implements DnsAnswer {}

    /** NOERROR without records of the asked type: the name exists, the type does not (RFC 2308 §2.2). */
    record NoData(Name name) implements DnsAnswer {}

    /** No usable answer now: timeout, network error, SERVFAIL, REFUSED, a CNAME loop. Never cached. */
    record Failed(String reason) implements DnsAnswer {}
}
