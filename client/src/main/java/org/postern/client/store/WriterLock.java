package org.postern.client.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per account: an OS lock on {@code dir/lock}, which holds the owner's pid for the error message. The
 * lock goes with the process (a crash never leaves a stale lock); the file itself stays.
 */
final class WriterLock implements AutoCloseable {
    /**
     * Lock files this JVM holds. A second attempt in the same JVM must not even open the file: with POSIX record
     * locks, closing any descriptor of a file drops every lock the process holds on it (FileLock's javadoc warns
     * of this), so a failed second open would silently free the first.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    static WriterLock acquire(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        if (!HELD.add(key)) throw locked(String.valueOf(ProcessHandle.current().pid()));
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) throw locked(owner(ch));
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            return new WriterLock(key, ch, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (ch != null) ch.close(); // no lock of ours on it: closing frees nothing of this process
            throw e;
        }
    }

    private static StoreLockedException locked(String pid) {
        return new StoreLockedException("another postern client is syncing this account (pid " + pid
                + "); try again when it is done");
    }


    private static String owner(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            return s.matches("\\d{1,12}") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD.remove(key);
            }
        }
    }
}
