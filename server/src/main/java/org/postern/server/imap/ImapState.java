package org.postern.server.imap;

import org.postern.server.directory.Account;

/** The session states of RFC 9051 §3; data exists only in the states where it is valid. LOGOUT ends the loop. */
sealed interface ImapState {
    record NotAuthenticated() implements ImapState {}

    record Authenticated(Account account) implements ImapState {}

    record Selected(Account account, SelectedView view) implements ImapState {}
}
