package org.postern.server.directory.sqlite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postern.server.directory.Account;
import org.postern.server.directory.Route;
import org.postern.server.store.AccountId;

/**
 * Recipient routing over a {@link Lookup}, independent of where the tables live.
 *
 * <p>Order for an address of one of our domains: the exact address (account, else alias), then its
 * plus-base ({@code user+tag@d} reaches {@code user@d}: the tag starts at the first '+'), then the domain's
 * catch-all ({@code @d}), then for {@code postmaster} the site's postmaster account. Alias targets in our domains are resolved the same way except for the catch-all,
 * which applies only to the address the mail was sent to. Expansion is depth-first, loop-safe (each address
 * is expanded once, which also folds duplicates) and bounded by {@link #MAX_ALIAS_DEPTH} and
 * {@link #MAX_EXPANSION}. Aliases are by address: a target whose account was removed simply reaches nothing.
 */
final class Routing {
    /** Aliases expanded along one chain at most: sendmail's MaxAliasRecursion default. Deeper links are dropped. */
    static final int MAX_ALIAS_DEPTH = 10;
    /** Addresses visited for one recipient at most: Postfix's virtual_alias_expansion_limit default. */
    static final int MAX_EXPANSION = 1000;
    /** RFC 5233-style subaddress separator. */
    static final char PLUS = '+';
    /**
     * RFC 5321 §4.5.1: every domain we receive for MUST accept "postmaster" (case-insensitive). When a domain
     * has no postmaster account, alias or catch-all of its own, its postmaster mail goes to the site's
     * postmaster (the account first start creates).
     */
    static final String POSTMASTER = "postmaster";

    /** The tables routing reads; addresses and domains are given in normal form. */
    interface Lookup {
        boolean isLocalDomain(String domain);

        Optional<AccountId> account(String address);

        /** The alias's targets in insertion order; empty when {@code source} is no alias. */
        List<String> aliasTargets(String source);

        /** The site's postmaster: the oldest account whose local part is {@code postmaster}, if any. */
        Optional<AccountId> sitePostmaster();
    }

    private static final System.Logger log = System.getLogger(Routing.class.getName());

    private final Lookup lookup;
    private final Set<AccountId> accounts = new LinkedHashSet<>();
    private final Set<String> forwards = new LinkedHashSet<>();
    private final Set<String> seen = new HashSet<>();

    private Routing(Lookup lookup) {
        this.lookup = lookup;
    }

    static Route route(Lookup lookup, String recipient) {
        String address = Addresses.addressOrNull(recipient);
        if (address == null) {
            String r = recipient.strip();
            int at = r.lastIndexOf('@');
            if (at < 0) return new Route.Unknown();
            String domain = r.substring(at + 1).toLowerCase(Locale.ROOT);
            return lookup.isLocalDomain(domain) ? new Route.Unknown() : new Route.Remote(r.substring(0, at + 1) + domain);
        }
        String domain = Addresses.domainOf(address);
        if (!lookup.isLocalDomain(domain)) {
            // RFC 5321 §2.4: a remote local part may be case-sensitive, so it goes on as given
            String r = recipient.strip();
            return new Route.Remote(r.substring(0, r.lastIndexOf('@') + 1) + domain);
        }
        Routing r = new Routing(lookup);
        r.seen.add(address);
        if (!r.resolve(address, 0)) {
            List<String> catchAll = lookup.aliasTargets("@" + domain);
            if (!catchAll.isEmpty()) r.expand(catchAll, 1);
            else if (Addresses.localPartOf(address).equals(POSTMASTER)) lookup.sitePostmaster().ifPresent(r.accounts::add);
        }
        if (r.accounts.isEmpty() && r.forwards.isEmpty()) return new Route.Unknown();
        return new Route.Local(new ArrayList<>(r.accounts), new ArrayList<>(r.forwards));
    }

    /** Whether {@code from} is one of ours that reaches {@code account} without a catch-all. */
    static boolean maySendAs(Lookup lookup, Account account, String from) {
        String address = Addresses.addressOrNull(from);
        if (address == null || !lookup.isLocalDomain(Addresses.domainOf(address))) return false;
        Routing r = new Routing(lookup);
        r.seen.add(address);
        r.resolve(address, 0);
        return r.accounts.contains(account.id());
    }

    /** Whether {@code address} (normal form, ours) is an account or alias, itself or by its plus-base. */
    static boolean reaches(Lookup lookup, String address) {
        Routing r = new Routing(lookup);
        r.seen.add(address);
        return r.resolve(address, 0);
    }

    /** Adds what the exact address or its plus-base reaches; false when neither is an account or alias. */
    private boolean resolve(String address, int depth) {
        if (resolveExact(address, depth)) return true;
        String local = Addresses.localPartOf(address);
        int plus = local.indexOf(PLUS);
        if (plus <= 0) return false;
        String base = local.substring(0, plus) + "@" + Addresses.domainOf(address);
        return seen.add(base) ? resolveExact(base, depth) : true;
    }

    private boolean resolveExact(String address, int depth) {
        Optional<AccountId> account = lookup.account(address);
        if (account.isPresent()) {
            accounts.add(account.get());
            return true;
        }
        List<String> targets = lookup.aliasTargets(address);
        if (targets.isEmpty()) return false;
        expand(targets, depth + 1);
        return true;
    }

    private void expand(List<String> targets, int depth) {
        if (depth > MAX_ALIAS_DEPTH) {
            log.log(System.Logger.Level.WARNING, "alias chain deeper than " + MAX_ALIAS_DEPTH + ": dropped " + targets);
            return;
        }
        for (String target : targets) {
            if (seen.size() >= MAX_EXPANSION) {
                log.log(System.Logger.Level.WARNING, "alias expansion past " + MAX_EXPANSION + " addresses: rest dropped");
                return;
            }
            if (!seen.add(target.toLowerCase(Locale.ROOT))) continue;
            String normal = Addresses.addressOrNull(target);
            if (normal != null && lookup.isLocalDomain(Addresses.domainOf(normal))) resolve(normal, depth);
            else forwards.add(target);
        }
    }
}
