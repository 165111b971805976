package org.postern.client.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
