package org.postern.server.directory;

import java.util.List;
import org.postern.server.store.AccountId;

/** Where mail for one RCPT TO address goes. */
public sealed interface Route {
    /** The address is ours: deliver to these accounts and forward to these external addresses (aliases). */
    record Local(List<AccountId> accounts, List<String> forwards) implements Route {
        public Local {
            accounts = List.copyOf(accounts);
            forwards = List.copyOf(forwards);
        }
    }

    /** The domain is ours but no account, alias or catch-all takes the address: 550 at RCPT. */
    record Unknown() implements Route {}

    /** Not one of our domains: relay (only for authenticated submission). */
    record Remote(String address) implements Route {}
}
