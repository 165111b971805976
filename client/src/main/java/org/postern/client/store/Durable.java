package org.postern.client.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Files that survive a crash: written to a temporary name, fsync'd, renamed into place, and the directory
 * fsync'd so the rename itself is on disk (the order decision 0005 prescribes, as the server's blob store does).
 */
final class Durable {
    private Durable() {}

    /** Flushes a directory's entries (a rename or unlink in it) to disk. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void syncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * fsyncs {@code files}, up to {@code parallelism} at once (the file system folds concurrent flushes into fewer
     * journal commits); the first failure is thrown after all have finished.
     */
    static void syncFiles(List<Path> files, int parallelism) throws IOException {
        if (files.size() == 1) {
            syncFile(files.getFirst());
            return;
        }
        ThreadFactory daemons = Thread.ofPlatform().daemon().name("postern-fsync-", 0).factory();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, files.size()), daemons)) {
            List<Future<?>> done = new ArrayList<>();
            for (Path f : files) done.add(pool.submit(() -> {
                syncFile(f);
                return null;
            }));
            IOException first = null;
            for (Future<?> d : done) {
                try {
                    d.get();
                } catch (ExecutionException e) {
                    if (first == null) first = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while flushing files to disk");
                }
            }
            if (first != null) throw first;
        }
    }

    /** Renames {@code from} to {@code to} atomically (same file system) and syncs {@code to}'s directory. */
    static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(to.getParent());
    }

    /** Copies {@code in} into a new file {@code tmp}, fsync'd; returns the bytes written. */
    static long write(InputStream in, Path tmp) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(ch)) {
            long n = in.transferTo(out);
            ch.force(true);
            return n;
        }
    }

    /** Deletes a file if present and syncs its directory; false when it was not there. */
    static boolean delete(Path file) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        if (deleted) syncDirectory(file.getParent());
        return deleted;
    }
}
