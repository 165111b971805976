package org.postern.cli;

import java.util.Optional;
import org.postern.server.directory.Account;
import org.postern.server.directory.Directory;
import org.postern.server.directory.DirectoryException;
import org.postern.server.store.MailStore;
import org.postern.wire.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code postern user add|passwd|quota|list|remove}: accounts. Passwords come from the terminal or the first line
 * of standard input ({@link PasswordInput}), never from an argument; nothing secret is printed.
 */
@Command(name = "user", description = "Add, list and remove accounts; change their passwords.")
final class UserCommand {
    @ParentCommand
    Main main;

    @Command(name = "add", description = "Add an account and its default folders; the password is asked for "
            + "(or read from the first line of standard input).")
    int add(@Parameters(paramLabel = "ADDRESS") String address, @Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            precheckNew(d, address);   // refuse before asking for a password the person would type for nothing
            Secret password = PasswordInput.read(main.inv, address);
            Account account;
            try {
                account = d.addAccount(address, password);
            } finally {
                password.wipe();
            }
            try (MailStore store = main.store(data)) {
                store.ensureAccount(account.id());
            } catch (RuntimeException e) {
                d.removeAccount(account.address());   // no account without its folders; adding again is safe
                throw e;
            }
            main.out().println("added " + account.address());
        }
        return 0;
    }

    @Command(name = "passwd", description = "Change an account's password (asked for, or read from the first "
            + "line of standard input).")
    int passwd(@Parameters(paramLabel = "ADDRESS") String address, @Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            Account account = existing(d, address);
            Secret password = PasswordInput.read(main.inv, account.address());
            try {
                d.setPassword(account.address(), password);
            } finally {
                password.wipe();
            }
            main.out().println("changed the password of " + account.address());
        }
        return 0;
    }

    @Command(name = "quota", description = "Set an account's storage quota (all folders together), e.g. 2GiB or "
            + "500MB; \"none\" removes it. IMAP clients see it (RFC 9208 QUOTA); APPEND and COPY over it are refused.")
    int quota(@Parameters(paramLabel = "ADDRESS") String address, @Parameters(paramLabel = "SIZE") String size,
              @Mixin DataOptions data) {
        java.util.OptionalLong limit;
        if (size.strip().equalsIgnoreCase("none")) {
            limit = java.util.OptionalLong.empty();
        } else {
            try {
                limit = java.util.OptionalLong.of(org.postern.server.config.Quantities.size(size));
            } catch (IllegalArgumentException e) {
                throw new DirectoryException(e.getMessage());
            }
        }
        try (Directory d = main.directory(data)) {
            Account account = existing(d, address);
            d.setQuota(account.address(), limit);
            main.out().println(limit.isPresent()
                    ? "set the quota of " + account.address() + " to " + org.postern.server.config.Quantities.formatSize(limit.getAsLong())
                    : "removed the quota of " + account.address());
        }
        return 0;
    }

    @Command(name = "list", description = "List accounts, all or of one domain, one address per line.")
    int list(@Parameters(paramLabel = "DOMAIN", arity = "0..1") String domain, @Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            for (Account a : d.accounts(Optional.ofNullable(domain))) main.out().println(a.address());
        }
        return 0;
    }

    @Command(name = "remove", description = "Remove an account and delete all its mail.")
    int remove(@Parameters(paramLabel = "ADDRESS") String address, @Mixin DataOptions data) {
        try (Directory d = main.directory(data)) {
            Account account = existing(d, address);
            try (MailStore store = main.store(data)) {
                store.deleteAccount(account.id());   // mail first: if this fails, the account is still there to retry
            }
            d.removeAccount(account.address());
            main.out().println("removed " + account.address() + " and its mail");
        }
        return 0;
    }

    private static void precheckNew(Directory d, String address) {
        String a = address.strip();
        int at = a.lastIndexOf('@');
        if (at > 0 && !d.isLocalDomain(a.substring(at + 1))) {
            String domain = a.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
            throw new DirectoryException("unknown domain " + domain + ": add it with `postern domain add " + domain + "`");
        }
        d.account(a).ifPresent(existing -> {
            throw new DirectoryException("account " + existing.address() + " exists already");
        });
    }

    static Account existing(Directory d, String address) {
        return d.account(address).orElseThrow(() -> new DirectoryException("unknown account " + address.strip()
                + ": see `postern user list`"));
    }
}
