package org.postern.cli;

import java.nio.file.Path;
import org.postern.server.store.MailStore;

/** Opens the mail store of a data directory: the seam between the admin commands and the store backend. */
@FunctionalInterface
public interface StoreOpener {
    MailStore open(Path dataDir);

    // todo: SqliteMailStore::open once org.postern.server.store.sqlite is on main (the store branch)
    StoreOpener DEFAULT = dataDir -> {
        throw new CliException("this build has no mail store yet: user add/remove and export need it");
    };
}
