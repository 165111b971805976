package org.postern.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FolderNamesTest {
    private static final Path ROOT = Path.of("/data/acct/mail");

    @Test
    void namesMapVerbatimWithSlashNesting() {
        record Case(String name, Path expected) {}
        for (Case c : List.of(
                new Case("INBOX", ROOT.resolve("INBOX")),
                new Case("Archive/2024", ROOT.resolve("Archive").resolve("2024")),
                new Case("Grüße & [Gmail] (old)", ROOT.resolve("Grüße & [Gmail] (old)")),
                new Case("cur", ROOT.resolve("cur")),
                new Case("..hidden", ROOT.resolve("..hidden")),
                new Case("x".repeat(FolderNames.MAX_SEGMENT_BYTES), ROOT.resolve("x".repeat(FolderNames.MAX_SEGMENT_BYTES))),
                new Case("a/".repeat(FolderNames.MAX_DEPTH - 1) + "a", ROOT.resolve("a/".repeat(FolderNames.MAX_DEPTH - 1) + "a")))) {
            assertThat(FolderNames.directory(ROOT, c.name())).as(c.name()).isEqualTo(c.expected());
        }
    }

    @Test
    void namesThatWouldEscapeOrCollideAreRefusedWithTheReason() {
        record Case(String name, String reason) {}
        for (Case c : List.of(
                new Case("", "it is empty"),
                new Case("..", "a '..' level"),
                new Case("a/../../etc", "a '..' level"),
                new Case("a/./b", "a '.' level"),
                new Case("/etc", "starts with '/'"),
                new Case("a/", "ends with '/'"),
                new Case("a//b", "empty level"),
                new Case("a\u0000b", "NUL"),
                new Case("a\nb", "control character"),
                new Case("a\\..\\b", "'\\'"),
                new Case("INBOX/cur", "inside its parent's Maildir"),
                new Case("INBOX/tmp/x", "inside its parent's Maildir"),
                new Case("x".repeat(FolderNames.MAX_SEGMENT_BYTES + 1), "longer than 255 bytes"),
                new Case("é".repeat(128), "longer than 255 bytes"),
                new Case("a/".repeat(FolderNames.MAX_DEPTH) + "a", "nests deeper than 16"))) {
            assertThatThrownBy(() -> FolderNames.directory(ROOT, c.name())).as(c.name())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be stored")
                    .hasMessageContaining(c.reason());
        }
    }
}
