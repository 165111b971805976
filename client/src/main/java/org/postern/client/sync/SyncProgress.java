package org.postern.client.sync;

/** Told after each message downloaded (or sent): {@code done} of {@code total} in {@code folder}. For a progress bar. */
@FunctionalInterface
public interface SyncProgress {
    SyncProgress NONE = (folder, done, total) -> {};

    void progress(String folder, long done, long total);
}
