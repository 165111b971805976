package org.postern.server.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.server.store.BlobRef;
import org.postern.server.store.BlobStore;

/** Wraps a real BlobStore: counts what is committed, discarded and deleted, and fails on request. */
public final class InjectingBlobStore implements BlobStore {
    private final BlobStore inner;
    public volatile boolean failBegin, failWrites;
    /** Writes throw an unchecked exception, as a store bug would. */
    public volatile boolean failWritesUnchecked;
    public final AtomicInteger discarded = new AtomicInteger();
    public final Set<BlobRef> committed = ConcurrentHashMap.newKeySet(), deleted = ConcurrentHashMap.newKeySet();

    public InjectingBlobStore(BlobStore inner) {
        this.inner = inner;
    }

    /** Blobs committed and not deleted since. */
    public Set<BlobRef> live() {
        Set<BlobRef> s = ConcurrentHashMap.newKeySet();
        s.addAll(committed);
        s.removeAll(deleted);
        return s;
    }

    @Override
    public Pending begin() throws IOException {
        if (failBegin) throw new IOException("injected: disk on fire at /secret/path");
        Pending p = inner.begin();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (failWrites) throw new IOException("injected: no space left on device");
                if (failWritesUnchecked) throw new IllegalStateException("injected: store bug at /secret/path");
                p.out().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                p.out().flush();
            }
        };
        return new Pending() {
            boolean done;

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public Stored commit() throws IOException {
                Stored s = p.commit();
                done = true;
                committed.add(s.ref());
                return s;
            }

            @Override
            public void close() {
                if (!done) discarded.incrementAndGet();
                done = true;
                p.close();
            }
        };
    }

    @Override
    public Stored put(InputStream in, long maxBytes) throws IOException {
        return inner.put(in, maxBytes);
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        return inner.open(ref);
    }

    @Override
    public long size(BlobRef ref) throws IOException {
        return inner.size(ref);
    }

    @Override
    public void delete(BlobRef ref) throws IOException {
        deleted.add(ref);
        inner.delete(ref);
    }
}
