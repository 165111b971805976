package org.postern.server.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.postern.server.directory.Account;
import org.postern.server.directory.Alias;
import org.postern.server.directory.Directory;
import org.postern.server.directory.Route;
import org.postern.server.store.AccountId;
import org.postern.wire.Secret;

/** An in-memory directory with the routing rules the Directory SPI describes (plus-addressing, aliases, catch-all). */
public final class FakeDirectory implements Directory {
    private final Set<String> domains = ConcurrentHashMap.newKeySet();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Map<String, List<String>> aliases = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    public void addDomain(String domain) {
        domains.add(domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public void removeDomain(String domain) {
        domains.remove(domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public List<String> domains() {
        return domains.stream().sorted().toList();
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public Account addAccount(String address, Secret password) {
        String a = address.toLowerCase(Locale.ROOT);
        Account acc = new Account(new AccountId(ids.incrementAndGet()), a);
        accounts.put(a, acc);
        passwords.put(a, password.reveal());
        return acc;
    }

    @Override
    public void setPassword(String address, Secret password) {
        passwords.put(address.toLowerCase(Locale.ROOT), password.reveal());
    }

    @Override
    public void removeAccount(String address) {
        accounts.remove(address.toLowerCase(Locale.ROOT));
    }

    @Override
    public List<Account> accounts(Optional<String> domain) {
        return new TreeMap<>(accounts).values().stream().filter(a -> domain.map(d -> a.domain().equals(d)).orElse(true)).toList();
    }

    @Override
    public Optional<Account> account(String address) {
        return Optional.ofNullable(accounts.get(address.toLowerCase(Locale.ROOT)));
    }

    @Override
    public Optional<Account> authenticate(String address, Secret password) {
        String a = address.toLowerCase(Locale.ROOT);
        String pw = passwords.get(a);
        return pw != null && pw.equals(password.reveal()) ? account(a) : Optional.empty();
    }

    @Override
    public void addAlias(String source, List<String> targets) {
        aliases.computeIfAbsent(source.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(targets);
    }

    @Override
    public void removeAlias(String source) {
        aliases.remove(source.toLowerCase(Locale.ROOT));
    }

    @Override
    public List<Alias> aliases() {
        return aliases.entrySet().stream().map(e -> new Alias(e.getKey(), e.getValue())).toList();
    }

    @Override
    public Route route(String address) {
        String a = stripPlus(address.toLowerCase(Locale.ROOT));
        String domain = a.substring(a.lastIndexOf('@') + 1);
        if (!isLocalDomain(domain)) return new Route.Remote(address);
        if (accounts.containsKey(a)) return new Route.Local(List.of(accounts.get(a).id()), List.of());
        List<String> targets = aliases.get(a);
        if (targets == null) targets = aliases.get("@" + domain);
        if (targets == null) return new Route.Unknown();
        List<AccountId> local = new ArrayList<>();
        List<String> forwards = new ArrayList<>();
        for (String t : targets) {
            Account acc = accounts.get(t.toLowerCase(Locale.ROOT));
            if (acc != null) local.add(acc.id());
            else forwards.add(t);
        }
        return new Route.Local(local, forwards);
    }

    @Override
    public boolean maySendAs(Account account, String envelopeFrom) {
        String a = stripPlus(envelopeFrom.toLowerCase(Locale.ROOT));
        if (a.equals(account.address())) return true;
        List<String> targets = aliases.get(a);
        return targets != null && targets.stream().anyMatch(t -> t.equalsIgnoreCase(account.address()));
    }

    private static String stripPlus(String a) {
        int at = a.lastIndexOf('@');
        int plus = a.indexOf('+');
        return plus > 0 && plus < at ? a.substring(0, plus) + a.substring(at) : a;
    }

    @Override
    public void close() {}
}
