package org.postern.server.store.files;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.postern.server.store.BlobRef;
import org.postern.server.store.BlobStore;

/**
 * Blobs as files under {@code <dataDir>/blobs}; see the package overview for the layout and the durability
 * recipe. Thread-safe: every blob is its own file and ids are random.
 */
public final class FileBlobStore implements BlobStore {
    /** 128 random bits: ids are never guessed and never collide, even on case-insensitive file systems (hex). */
    static final int ID_BYTES = 16;
    /** Copy buffer for {@link #put}, and the write buffer of {@link Pending#out()}. */
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final String TMP = "tmp";

    private final Path root;
    private final Path tmp;
    private final SecureRandom random = new SecureRandom();

    private FileBlobStore(Path root) {
        this.root = root;
        this.tmp = root.resolve(TMP);
    }

    /** Opens (creating if needed) the blob directory {@code <dataDir>/blobs}. */
    public static FileBlobStore open(Path dataDir) throws IOException {
        FileBlobStore store = new FileBlobStore(dataDir.resolve("blobs"));
        Files.createDirectories(store.tmp);
        return store;
    }

    @Override
    public Stored put(InputStream in, long maxBytes) throws IOException {
        try (Pending pending = begin()) {
            OutputStream out = pending.out();
            byte[] buffer = new byte[BUFFER_BYTES];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > maxBytes) throw new TooLargeException(maxBytes);   // close() removes the temp file
                out.write(buffer, 0, n);
            }
            return pending.commit();
        }
    }

    @Override
    public Pending begin() throws IOException {
        String id = HexFormat.of().formatHex(randomBytes());
        Path file = tmp.resolve(id);
        return new FilePending(id, file, FileChannel.open(file, CREATE_NEW, WRITE));
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        return Files.newInputStream(path(ref));
    }

    @Override
    public long size(BlobRef ref) throws IOException {
        return Files.size(path(ref));
    }

    @Override
    public void delete(BlobRef ref) throws IOException {
        Files.deleteIfExists(path(ref));
    }

    /**
     * A fresh id in this store's scheme (128 random bits, hex) that names no file: for a store that keeps some
     * bodies elsewhere (in its database) and others here, so both kinds share one namespace.
     */
    public BlobRef newRef() {
        return new BlobRef(HexFormat.of().formatHex(randomBytes()));
    }

    /** Whether the blob's file exists (tests, orphan checks). */
    public boolean exists(BlobRef ref) {
        return Files.exists(path(ref));
    }

    /** Deletes every temp file: only at startup, before anything in this data directory writes blobs. */
    public int sweepTemp() throws IOException {
        return sweepTemp(Duration.ZERO);
    }

    /** Deletes temp files last written more than {@code minAge} ago (left behind by a crash); returns how many. */
    public int sweepTemp(Duration minAge) throws IOException {
        Instant cutoff = Instant.now().minus(minAge);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                if (olderThan(f, cutoff) && Files.deleteIfExists(f)) deleted++;
            }
        }
        return deleted;
    }

    /**
     * Calls {@code each} with every committed blob last modified before {@code cutoff} (the orphan sweep's
     * candidates). Streams the directories, so memory does not grow with the number of blobs.
     */
    public void forEachOlderThan(Instant cutoff, Consumer<BlobRef> each) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                if (dir.getFileName().toString().equals(TMP)) continue;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (BlobRef.valid(name) && olderThan(f, cutoff)) each.accept(new BlobRef(name));
                    }
                }
            }
        }
    }

    private static boolean olderThan(Path f, Instant cutoff) throws IOException {
        try {
            return !Files.getLastModifiedTime(f).toInstant().isAfter(cutoff);
        } catch (NoSuchFileException e) {
            return false;   // deleted meanwhile
        }
    }

    private byte[] randomBytes() {
        byte[] b = new byte[ID_BYTES];
        random.nextBytes(b);
        return b;
    }

    private Path path(BlobRef ref) {
        return root.resolve(ref.id().substring(0, 2)).resolve(ref.id());
    }

    /**
     * Makes a rename or create in {@code dir} durable. Some file systems (and Windows) cannot open or sync a
     * directory and throw IOException for it; that one case is ignored, as there is nothing more to do there.
     */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, READ)) {
            d.force(true);
        } catch (IOException e) {
            // not supported here: the rename is as durable as this file system makes it
        }
    }

    private final class FilePending implements Pending {
        private final String id;
        private final Path file;
        private final FileChannel channel;
        private final CountingStream out;
        private boolean committed;

        FilePending(String id, Path file, FileChannel channel) {
            this.id = id;
            this.file = file;
            this.channel = channel;
            this.out = new CountingStream(new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES));
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public Stored commit() throws IOException {
            if (committed) throw new IllegalStateException("blob already committed");
            out.flush();
            channel.force(true);
            channel.close();
            Path dir = root.resolve(id.substring(0, 2));
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                fsyncDirectory(root);                       // the new directory's entry in blobs/
            }
            Files.move(file, dir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(dir);
            committed = true;
            return new Stored(new BlobRef(id), out.count);
        }

        @Override
        public void close() {
            if (committed) return;
            try {
                channel.close();
            } catch (IOException e) {
                // closing a temp file we are about to delete: nothing to save
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left for sweepTemp
            }
        }
    }

    /** Counts bytes; close() only flushes, so a caller closing out() can still commit. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream delegate;
        long count;

        CountingStream(OutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            delegate.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            delegate.flush();
        }
    }
}
