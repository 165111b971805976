package org.postern.client.store;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** A message row as the store works on it. */
final class Row {
    private final LocalStore.LocalMessage m;
    String newFile; // set by renameTo for the update it runs

    Row(LocalStore.LocalMessage m) {
        this.m = m;
    }

    long id() {
        return m.id();
    }

    String folder() {
        return m.folder();
    }

    Optional<Long> uid() {
        return m.uid();
    }

    String file() {
        return m.file().getFileName().toString();
    }

    Path path() {
        return m.file();
    }

    Set<String> flags() {
        return m.flags();
    }

    Set<String> baseFlags() {
        return m.baseFlags();
    }

    String state() {
        return m.state().name();
    }

    LocalStore.LocalMessage message() {
        return m;
    }

    String unique() {
        return MaildirName.parse(file()).map(MaildirName::unique).orElse(file());
    }
}
