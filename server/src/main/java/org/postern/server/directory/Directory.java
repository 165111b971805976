package org.postern.server.directory;

import java.util.List;
import java.util.Optional;
import org.postern.wire.Secret;

/**
 * Domains, accounts, aliases. Addresses are compared case-insensitively and stored lower-case. Admin
 * operations throw {@link DirectoryException} with a sentence for the operator.
 */
public interface Directory extends AutoCloseable {
    /** Adds the domain; returns it as stored (lower case, IDN as A-labels). */
    String addDomain(String domain);

    /** Refuses while accounts or aliases of the domain remain. */
    void removeDomain(String domain);

    List<String> domains();

    boolean isLocalDomain(String domain);

    /** Refuses an unknown domain or a taken address; returns the new account. */
    Account addAccount(String address, Secret password);

    void setPassword(String address, Secret password);

    void removeAccount(String address);

    /** Accounts, all or of one domain, ordered by address. */
    List<Account> accounts(Optional<String> domain);

    Optional<Account> account(String address);

    /** The account if the password is right; empty otherwise (same time either way as far as possible). */
    Optional<Account> authenticate(String address, Secret password);

    /** Adds targets to the alias (creating it); {@code @domain} makes a catch-all. */
    void addAlias(String source, List<String> targets);

    void removeAlias(String source);

    List<Alias> aliases();

    /**
     * Routes a recipient of one of our domains: the exact address (account, else alias, expanded recursively
     * and bounded), else its plus-base ({@code user+tag@d} reaches {@code user@d}), else the domain's catch-all,
     * else {@link Route.Unknown}. Any other domain is {@link Route.Remote}.
     */
    Route route(String address);

    /** Whether {@code account} may use {@code envelopeFrom} as MAIL FROM on submission: its own address, an
     *  alias that reaches it (not a catch-all), or a plus-address of either. The null reverse-path is no address:
     *  false; whether to allow it is the submission server's decision. */
    boolean maySendAs(Account account, String envelopeFrom);

    /**
     * Sets the account's storage quota (RFC 9208 STORAGE): the most octets of mail, all folders together, it may
     * keep; empty removes the limit. Only the operator sets it ({@code postern user quota}); IMAP's SETQUOTA is
     * refused.
     */
    void setQuota(String address, java.util.OptionalLong maxBytes);

    /** The account's storage quota in octets, if it has one. */
    java.util.OptionalLong quota(org.postern.server.store.AccountId account);

    @Override
    void close();
}
