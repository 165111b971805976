package org.postern.server.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.server.store.BlobRef;
import org.postern.server.store.BlobStore;

/** Files in a directory; failures can be switched on to test what the server does with them. */
public final class FakeBlobStore implements BlobStore {
    private final Path dir;
    public volatile boolean failBegin, failWrites;
    public final AtomicInteger committed = new AtomicInteger(), discarded = new AtomicInteger();

    public FakeBlobStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Stored put(InputStream in, long maxBytes) throws IOException {
        try (Pending p = begin()) {
            long n = in.transferTo(p.out());
            if (n > maxBytes) throw new TooLargeException(maxBytes);
            return p.commit();
        }
    }

    @Override
    public Pending begin() throws IOException {
        if (failBegin) throw new IOException("injected: disk on fire at /secret/path");
        Path tmp = Files.createTempFile(dir, "pending", ".tmp");
        OutputStream raw = Files.newOutputStream(tmp);
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (failWrites) throw new IOException("injected: no space left on device");
                raw.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                raw.close();
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
                out.close();
                String id = UUID.randomUUID().toString().replace("-", "");
                Path target = dir.resolve(id);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                done = true;
                committed.incrementAndGet();
                return new Stored(new BlobRef(id), Files.size(target));
            }

            @Override
            public void close() {
                if (done) return;
                try {
                    out.close();
                    Files.deleteIfExists(tmp);
                    discarded.incrementAndGet();
                } catch (IOException ignored) {
                    // best effort
                }
                done = true;
            }
        };
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        return Files.newInputStream(dir.resolve(ref.id()));
    }

    @Override
    public long size(BlobRef ref) throws IOException {
        return Files.size(dir.resolve(ref.id()));
    }

    @Override
    public void delete(BlobRef ref) throws IOException {
        Files.deleteIfExists(dir.resolve(ref.id()));
    }

    public boolean exists(BlobRef ref) {
        return Files.exists(dir.resolve(ref.id()));
    }
}
