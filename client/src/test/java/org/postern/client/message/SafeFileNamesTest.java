package org.postern.client.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafeFileNamesTest {
    private static final String FALLBACK = "attachment-1";

    @Test
    void namesFromAMessageBecomeSafeFileNames() {
        record Case(String raw, String expected) {}
        for (Case c : List.of(
                new Case("report.pdf", "report.pdf"),
                new Case("../../etc/passwd", "passwd"),
                new Case("..\\..\\Windows\\system32\\evil.dll", "evil.dll"),
                new Case("/etc/shadow", "shadow"),
                new Case("dir/", FALLBACK),
                new Case(".hidden", "hidden"),
                new Case("...", FALLBACK),
                new Case("..", FALLBACK),
                new Case(".", FALLBACK),
                new Case("", FALLBACK),
                new Case("   ", FALLBACK),
                new Case("a\u0000b\u001bc\u007f.txt", "a_b_c_.txt"),
                new Case("line\r\nbreak.txt", "line__break.txt"),
                new Case("\u202Etxt.exe", "_txt.exe"),                 // right-to-left override
                new Case("con:tent?<x>|\"y\"*.txt", "con_tent__x___y__.txt"),
                new Case("  report.pdf. ", "report.pdf"),
                new Case("Grüße 📎.txt", "Grüße 📎.txt"),
                new Case("\u0001\u0002", FALLBACK))) {
            assertThat(SafeFileNames.safe(c.raw(), FALLBACK)).as(c.raw()).isEqualTo(c.expected());
        }
    }

    @Test
    void aNameAtTheByteLimitIsKeptAndOneByteMoreIsShortenedKeepingTheExtension() {
        String atLimit = "a".repeat(SafeFileNames.MAX_NAME_BYTES - 4) + ".pdf";
        assertThat(SafeFileNames.safe(atLimit, FALLBACK)).isEqualTo(atLimit);
        String overLimit = "a".repeat(SafeFileNames.MAX_NAME_BYTES - 3) + ".pdf";
        String cut = SafeFileNames.safe(overLimit, FALLBACK);
        assertThat(cut).endsWith(".pdf").hasSize(SafeFileNames.MAX_NAME_BYTES);
        String veryLong = "b".repeat(10_000);
        assertThat(SafeFileNames.safe(veryLong, FALLBACK)).isEqualTo("b".repeat(SafeFileNames.MAX_NAME_BYTES));
    }

    @Test
    void anExtensionAtItsCharacterLimitIsKeptWhenShorteningAndOneCharacterLongerIsNot() {
        String base = "a".repeat(SafeFileNames.MAX_NAME_BYTES);
        String ext = "." + "e".repeat(SafeFileNames.MAX_EXTENSION_CHARS);
        assertThat(SafeFileNames.safe(base + ext, FALLBACK)).endsWith(ext).hasSize(SafeFileNames.MAX_NAME_BYTES);
        assertThat(SafeFileNames.safe(base + ext + "e", FALLBACK)).isEqualTo(base);
    }

    @Test
    void shorteningNeverSplitsAMultiByteCharacter() {
        String name = "é".repeat(SafeFileNames.MAX_NAME_BYTES); // 2 bytes each
        String safe = SafeFileNames.safe(name, FALLBACK);
        assertThat(safe.getBytes(StandardCharsets.UTF_8)).hasSize(SafeFileNames.MAX_NAME_BYTES);
        assertThat(safe).isEqualTo("é".repeat(SafeFileNames.MAX_NAME_BYTES / 2));
        String odd = "x" + "€".repeat(100); // 1 + 300 bytes: 66 euros fit after the x (199 bytes)
        assertThat(SafeFileNames.safe(odd, FALLBACK)).isEqualTo("x" + "€".repeat(66));
    }

    @Test
    void aNameTakenTwiceGetsTheNextNumber() {
        record Case(String name, Set<String> taken, String expected) {}
        for (Case c : List.of(
                new Case("a.txt", Set.of(), "a.txt"),
                new Case("a.txt", Set.of("a.txt"), "a (2).txt"),
                new Case("A.TXT", Set.of("a.txt"), "A (2).TXT"),
                new Case("a.txt", Set.of("a.txt", "a (2).txt"), "a (3).txt"),
                new Case("README", Set.of("readme"), "README (2)"),
                new Case("archive.tar.gz", Set.of("archive.tar.gz"), "archive.tar (2).gz"))) {
            assertThat(SafeFileNames.unique(c.name(), c.taken())).as(c.name() + " " + c.taken()).isEqualTo(c.expected());
        }
    }
}
