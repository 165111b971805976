package org.postern.cli;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.postern.server.queue.QueueStore;
import org.postern.server.store.AccountId;
import org.postern.server.store.BlobStore;
import org.postern.server.store.Change;
import org.postern.server.store.Delivery;
import org.postern.server.store.MailStore;
import org.postern.server.store.MessageContent;
import org.postern.server.store.ReadTx;
import org.postern.server.store.StoreException;
import org.postern.server.store.Subscription;
import org.postern.server.store.WriteTx;

/** A MailStore that only records what the admin commands ask of it (the account lifecycle calls). */
final class RecordingStore implements MailStore {
    final List<String> calls = new ArrayList<>();
    boolean failEnsure;
    Runnable onDelete = () -> {};

    @Override
    public void ensureAccount(AccountId account) {
        if (failEnsure) throw new StoreException("disk full");
        calls.add("ensure " + account.value());
    }

    @Override
    public void deleteAccount(AccountId account) {
        onDelete.run();
        calls.add("delete " + account.value());
    }

    @Override
    public void close() {
        calls.add("close");
    }

    @Override
    public <T> T read(AccountId account, Function<ReadTx, T> work) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T write(AccountId account, Function<WriteTx, T> work) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Delivery.Receipt deliver(Delivery delivery) {
        throw new UnsupportedOperationException();
    }

    @Override
    public BlobStore blobs() {
        throw new UnsupportedOperationException();
    }

    @Override
    public QueueStore queue() {
        throw new UnsupportedOperationException();
    }

    @Override
    public InputStream open(MessageContent content) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Subscription subscribe(AccountId account, Consumer<Change> listener) {
        throw new UnsupportedOperationException();
    }
}
