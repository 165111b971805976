package org.postern.server.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.postern.server.queue.QueueStore;
import org.postern.server.store.AccountId;
import org.postern.server.store.Change;
import org.postern.server.store.Delivery;
import org.postern.server.store.MailStore;
import org.postern.server.store.MessageContent;
import org.postern.server.store.ReadTx;
import org.postern.server.store.StoreException;
import org.postern.server.store.Subscription;
import org.postern.server.store.WriteTx;

/** Wraps a real MailStore: records every committed Delivery and fails on request. */
public final class RecordingMailStore implements MailStore {
    private final MailStore inner;
    private final InjectingBlobStore blobs;
    public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    /** Each readAhead call's UID range, {first, last}. */
    public final List<long[]> readAheads = new CopyOnWriteArrayList<>();
    public volatile boolean failDeliver;

    public RecordingMailStore(MailStore inner) {
        this.inner = inner;
        this.blobs = new InjectingBlobStore(inner.blobs());
    }

    @Override
    public Delivery.Receipt deliver(Delivery delivery) {
        if (failDeliver) throw new StoreException("injected: database is locked at /var/secret/mail.db");
        Delivery.Receipt r = inner.deliver(delivery);
        deliveries.add(delivery);
        return r;
    }

    @Override
    public InjectingBlobStore blobs() {
        return blobs;
    }

    @Override
    public <T> T read(AccountId account, Function<ReadTx, T> work) {
        return inner.read(account, work);
    }

    @Override
    public <T> T write(AccountId account, Function<WriteTx, T> work) {
        return inner.write(account, work);
    }

    @Override
    public void ensureAccount(AccountId account) {
        inner.ensureAccount(account);
    }

    @Override
    public void deleteAccount(AccountId account) {
        inner.deleteAccount(account);
    }

    @Override
    public QueueStore queue() {
        return inner.queue();
    }

    @Override
    public InputStream open(MessageContent content) throws IOException {
        return inner.open(content);
    }

    @Override
    public java.util.Optional<InputStream> openMessage(AccountId account, org.postern.server.store.MailboxId box, long uid)
            throws IOException {
        return inner.openMessage(account, box, uid);
    }

    @Override
    public java.util.SortedMap<Long, byte[]> readAhead(AccountId account, org.postern.server.store.MailboxId box, long first,
                                                       long last, int maxMessages, long maxBytes) {
        readAheads.add(new long[] {first, last});
        return inner.readAhead(account, box, first, last, maxMessages, maxBytes);
    }

    @Override
    public Subscription subscribe(AccountId account, Consumer<Change> listener) {
        return inner.subscribe(account, listener);
    }

    @Override
    public void close() {
        inner.close();
    }
}
