package org.postern.server.delivery;

import java.util.List;
import org.postern.wire.smtp.RcptParams;
import org.postern.server.store.AccountId;
import org.postern.wire.address.EmailAddress;

/** An accepted RCPT TO, routed when it was given (RFC 5321 §3.3: the server decides at RCPT). */
public sealed interface Recipient {
    EmailAddress address();

    /** Ours: these accounts get it in their INBOX; these external addresses get it forwarded (aliases). */
    record Local(EmailAddress address, List<AccountId> accounts, List<String> forwards, RcptParams params)
            implements Recipient {
        public Local {
            accounts = List.copyOf(accounts);
            forwards = List.copyOf(forwards);
        }

        public Local(EmailAddress address, List<AccountId> accounts, List<String> forwards) {
            this(address, accounts, forwards, RcptParams.NONE);
        }
    }

    /** Another domain's: queued for relay. Only accepted from authenticated or relay-network clients. */
    record Remote(EmailAddress address, RcptParams params) implements Recipient {
        public Remote(EmailAddress address) {
            this(address, RcptParams.NONE);
        }
    }
}
