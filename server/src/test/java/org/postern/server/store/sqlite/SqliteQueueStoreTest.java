package org.postern.server.store.sqlite;

import java.nio.file.Path;
import org.postern.server.store.MailStore;
import org.postern.server.store.QueueStoreContract;

class SqliteQueueStoreTest extends QueueStoreContract {
    @Override
    protected MailStore open(Path dir) {
        return SqliteMailStore.open(dir);
    }
}
