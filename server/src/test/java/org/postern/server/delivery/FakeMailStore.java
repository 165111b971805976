package org.postern.server.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.postern.server.queue.QueueStore;
import org.postern.server.store.AccountId;
import org.postern.server.store.Delivery;
import org.postern.server.store.MailStore;
import org.postern.server.store.MessageContent;
import org.postern.server.store.ReadTx;
import org.postern.server.store.StoreException;
import org.postern.server.store.Subscription;
import org.postern.server.store.WriteTx;

/** Records deliveries; only what the SMTP server and delivery agent use. Failures can be injected. */
public final class FakeMailStore implements MailStore {
    public final FakeBlobStore blobs;
    public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    public volatile boolean failDeliver;

    public FakeMailStore(Path dir) {
        this.blobs = new FakeBlobStore(dir);
    }

    @Override
    public Delivery.Receipt deliver(Delivery delivery) {
        if (failDeliver) throw new StoreException("injected: database is locked at /var/secret/mail.db");
        deliveries.add(delivery);
        return new Delivery.Receipt(List.of(), delivery.outbound().map(o -> (long) deliveries.size()));
    }

    @Override
    public FakeBlobStore blobs() {
        return blobs;
    }

    @Override
    public InputStream open(MessageContent content) throws IOException {
        return new SequenceInputStream(new ByteArrayInputStream(content.prefix()), blobs.open(content.body()));
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
    public void ensureAccount(AccountId account) {}

    @Override
    public void deleteAccount(AccountId account) {
        throw new UnsupportedOperationException();
    }

    @Override
    public QueueStore queue() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Subscription subscribe(AccountId account, Consumer<org.postern.server.store.Change> listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
}
