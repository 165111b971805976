package org.postern.cli;

import java.nio.file.Path;
import org.postern.server.store.MailStore;
import org.postern.server.store.sqlite.SqliteMailStore;

/** Opens the mail store of a data directory: the seam between the admin commands and the store backend. */
@FunctionalInterface
public interface StoreOpener {
    MailStore open(Path dataDir);

    /** The embedded store, {@code <dataDir>/mail.db} and {@code blobs/}. */
    StoreOpener DEFAULT = SqliteMailStore::open;
}
