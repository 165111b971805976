package org.postern.server.directory;

import org.postern.server.store.AccountId;

/** An account: its id and its primary address, lower-cased {@code local@domain}. */
public record Account(AccountId id, String address) {
    public String localPart() {
        return address.substring(0, address.lastIndexOf('@'));
    }

    public String domain() {
        return address.substring(address.lastIndexOf('@') + 1);
    }
}
