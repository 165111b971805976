package org.postern.client.store;

import java.nio.file.Path;

/** A second process for {@link WriterLockTest}: opens the store, says so, holds it until its stdin closes. */
public final class LockHolder {
    private LockHolder() {}

    @SuppressWarnings("try") // the store is held open, not used
    public static void main(String[] args) throws Exception {
        try (LocalStore store = LocalStore.open(Path.of(args[0]))) {
            System.out.println("open " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the account until the test closes our stdin
            }
        } catch (StoreLockedException e) {
            System.out.println("locked: " + e.getMessage());
        }
    }
}
