package org.postern.server.export;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.store.Flags;

class MaildirWriterTest {
    private static final Instant DATE = Instant.parse("2026-11-26T10:00:05Z");

    @TempDir
    Path dir;

    private Path deliver(MaildirWriter w, String message, Flags flags) throws IOException {
        return w.deliver(new ByteArrayInputStream(message.getBytes(UTF_8)), flags, DATE);
    }

    @Test
    void flagsBecomeTheInfoSuffixInCurAndUnflaggedMessagesGoToNew() throws IOException {
        MaildirWriter w = MaildirWriter.open(dir);
        record Case(Flags flags, String folder, String suffix) {}
        for (Case c : List.of(
                new Case(Flags.NONE, "new", ""),
                new Case(Flags.of("$Important"), "new", ""),
                new Case(Flags.of(Flags.SEEN), "cur", ":2,S"),
                new Case(Flags.of(Flags.ANSWERED, Flags.SEEN), "cur", ":2,RS"),
                new Case(Flags.of(Flags.FLAGGED), "cur", ":2,F"),
                new Case(Flags.of(Flags.DELETED), "cur", ":2,T"),
                new Case(Flags.of(Flags.DRAFT), "cur", ":2,D"),
                new Case(Flags.of(Flags.SEEN, Flags.DELETED, Flags.DRAFT, Flags.ANSWERED, Flags.FLAGGED, "work"),
                        "cur", ":2,DFRST"))) {
            Path p = deliver(w, "Subject: x\r\n\r\nbody\r\n", c.flags());
            assertThat(p.getParent()).as(c.flags().toString()).isEqualTo(dir.resolve(c.folder()));
            String name = p.getFileName().toString();
            if (c.suffix().isEmpty()) assertThat(name).as(c.flags().toString()).doesNotContain(":");
            else assertThat(name).as(c.flags().toString()).endsWith(c.suffix());
        }
        assertThat(list(dir.resolve("tmp"))).isEmpty();
    }

    @Test
    void messagesGetUniqueNamesLfLineEndsAndTheirDateAsModificationTime() throws IOException {
        MaildirWriter w = MaildirWriter.open(dir.resolve("sub/maildir"));
        Path a = deliver(w, "Subject: x\r\n\r\nFrom line not quoted\r\n", Flags.NONE);
        Path b = deliver(w, "Subject: x\r\n\r\nFrom line not quoted\r\n", Flags.NONE);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.getFileName().toString()).matches(DATE.getEpochSecond() + "\\.M\\d+P\\d+Q\\d+\\..+");
        assertThat(Files.readString(a, UTF_8)).isEqualTo("Subject: x\n\nFrom line not quoted\n");
        assertThat(Files.getLastModifiedTime(a).toInstant()).isEqualTo(DATE);
        assertThat(list(dir.resolve("sub/maildir/new"))).hasSize(2);
        assertThat(Files.isDirectory(dir.resolve("sub/maildir/cur"))).isTrue();
    }

    private static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }
}
