package org.postern.wire.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DsnFieldsTest {

    @Test
    void datesAreRfc5322WithANumericZone() {
        Instant t = Instant.parse("2025-06-03T09:05:30Z");
        assertThat(DsnFields.date(t, ZoneOffset.UTC)).isEqualTo("Tue, 3 Jun 2025 09:05:30 +0000");
        assertThat(DsnFields.date(t, ZoneId.of("Europe/Paris"))).isEqualTo("Tue, 3 Jun 2025 11:05:30 +0200");
        assertThat(DsnFields.date(Instant.parse("2025-12-24T23:00:00Z"), ZoneId.of("America/New_York")))
                .isEqualTo("Wed, 24 Dec 2025 18:00:00 -0500");
    }

    @Test
    void textFromOutsideBecomesOneSafeLine() {
        record Case(String in, String oneLine, String ascii) {}
        for (var c : List.of(
                new Case("550 5.1.1 no such user", "550 5.1.1 no such user", "550 5.1.1 no such user"),
                new Case("550 x\r\nBcc: victim@example.com", "550 x Bcc: victim@example.com", "550 x Bcc: victim@example.com"),
                new Case("a\nb\rc\u0000d\te\u007ff", "a b c d e f", "a b c d e f"),
                new Case("  lead   and trail  \r\n", "lead and trail", "lead and trail"),
                new Case("bad\u0085nel\u2028ls", "bad nel ls", "bad nel ls"),
                new Case("Grüße 😀", "Grüße 😀", "Gr??e ?"),
                new Case("lone \ud800 surrogate", "lone \ufffd surrogate", "lone ? surrogate"))) {
            assertThat(DsnFields.oneLine(c.in(), 1000)).as(c.in()).isEqualTo(c.oneLine());
            assertThat(DsnFields.asciiLine(c.in(), 1000)).as(c.in()).isEqualTo(c.ascii());
        }
        assertThat(DsnFields.oneLine("x".repeat(50), 10)).isEqualTo("x".repeat(10) + "...");
    }

    @Test
    void fieldsFoldAtSpacesAndNeverExceedTheLineLimit() {
        record Case(String name, String value, String folded) {}
        for (var c : List.of(
                new Case("Action", "failed", "Action: failed\r\n"),
                new Case("Diagnostic-Code", "smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
                        "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: Recipient address\r\n"
                                + " rejected: User unknown in virtual mailbox table\r\n"),
                new Case("X", "a".repeat(80), "X: " + "a".repeat(80) + "\r\n"),     // one long word stays
                new Case("X", "b " + "a".repeat(80), "X: b\r\n " + "a".repeat(80) + "\r\n"))) {
            assertThat(DsnFields.fold(c.name(), c.value())).as(c.value()).isEqualTo(c.folded());
        }
        String huge = DsnFields.fold("Diagnostic-Code", "smtp; " + "z".repeat(3000) + " end");
        for (String line : huge.split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(DsnLimits.MAX_LINE_CHARS);
        assertThat(huge.replace("\r\n ", "")).contains("z".repeat(3000)).endsWith(" end\r\n");
    }

    @Test
    void onlyPlainMessageIdsAreCopied() {
        record Case(String raw, Optional<String> expected) {}
        for (var c : List.of(
                new Case("<abc.123@example.org>", Optional.of("<abc.123@example.org>")),
                new Case("  <a@b.example>  ", Optional.of("<a@b.example>")),
                new Case("<a b@example.org>", Optional.<String>empty()),
                new Case("<a@b> Bcc: x@y", Optional.<String>empty()),
                new Case("<a@b><c@d>", Optional.<String>empty()),
                new Case("<noat>", Optional.<String>empty()),
                new Case("<ü@example.org>", Optional.<String>empty()),
                new Case("<" + "x".repeat(300) + "@y>", Optional.<String>empty()),
                new Case("", Optional.<String>empty()))) {
            assertThat(DsnFields.msgId(c.raw())).as(c.raw()).isEqualTo(c.expected());
        }
    }

    @Test
    void displayNamesAreAtomsQuotedOrEncodedWords() {
        record Case(String name, String phrase) {}
        for (var c : List.of(
                new Case("Mail Delivery System", "Mail Delivery System"),
                new Case("Postmaster, Example Inc.", "\"Postmaster, Example Inc.\""),
                new Case("say \"hi\"", "\"say \\\"hi\\\"\""),
                new Case("Système de messagerie", "=?UTF-8?B?U3lzdMOobWUgZGUgbWVzc2FnZXJpZQ==?="),
                new Case("Evil\r\nBcc: x@y", "\"Evil Bcc: x@y\""))) {
            assertThat(DsnFields.phrase(c.name())).as(c.name()).isEqualTo(c.phrase());
        }
        String words = DsnFields.encodedWords("ü".repeat(100));
        for (String w : words.split(" ")) assertThat(w.length()).isLessThanOrEqualTo(75);
        assertThat(org.postern.wire.mime.EncodedWords.decode(words)).isEqualTo("ü".repeat(100));
    }

    @Test
    void durationsInWords() {
        record Case(java.time.Duration d, String words) {}
        for (var c : List.of(
                new Case(java.time.Duration.ofMinutes(35), "35 minutes"),
                new Case(java.time.Duration.ofMinutes(61), "1 hour 1 minute"),
                new Case(java.time.Duration.ofHours(116), "4 days 20 hours"),
                new Case(java.time.Duration.ofDays(1), "1 day"),
                new Case(java.time.Duration.ZERO, "0 minutes"),
                new Case(java.time.Duration.ofMinutes(-5), "0 minutes"))) {
            assertThat(NoticeText.duration(c.d())).isEqualTo(c.words());
        }
    }
}
