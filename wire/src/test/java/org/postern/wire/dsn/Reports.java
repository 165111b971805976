package org.postern.wire.dsn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postern.wire.address.EmailAddress;

/** Sample reports and originals for the notice tests. */
public final class Reports {
    private Reports() {}

    public static final Instant ARRIVAL = Instant.parse("2025-06-01T08:00:00Z");
    public static final Instant ATTEMPT = Instant.parse("2025-06-03T09:05:30Z");
    public static final Instant NOW = Instant.parse("2025-06-03T09:06:00Z");
    public static final Instant UNTIL = Instant.parse("2025-06-06T08:00:00Z");
    public static final String MESSAGE_ID = "<dsn.1@mx.postern.example>";

    public static final String ORIGINAL = """
            Return-Path: <alice@example.com>
            Received: from client.example.com by mx.postern.example; Sun, 1 Jun 2025 08:00:00 +0000
            From: Alice <alice@example.com>
            To: Bob <bob@example.net>
            Subject: =?utf-8?q?Caf=C3=A9?= on Friday
            Date: Sun, 1 Jun 2025 09:59:58 +0200
            Message-ID: <orig.42@example.com>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            Shall we meet at the cafe?
            --
            Alice
            """.replace("\n", "\r\n");

    public static EmailAddress addr(String s) {
        return EmailAddress.parse(s, true);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static RecipientResult bobFailed() {
        return RecipientResult.failed(addr("bob@example.net"), "5.1.1", "mx.example.net",
                "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown", ATTEMPT);
    }

    public static RecipientResult carolDelayed() {
        return RecipientResult.delayed(addr("carol@example.org"), "4.4.1", "mx.example.org",
                "421 4.4.1 connection timed out", ATTEMPT, UNTIL);
    }

    public static DeliveryReport failure(List<RecipientResult> recipients, Optional<Ret> ret, byte[] original) {
        return report(DeliveryReport.Kind.FAILURE, recipients, ret, original);
    }

    public static DeliveryReport report(DeliveryReport.Kind kind, List<RecipientResult> recipients, Optional<Ret> ret,
                                        byte[] original) {
        return new DeliveryReport(kind, "mx.postern.example", addr("alice@example.com"),
                Optional.of(new EnvelopeId("QQ314159")), ARRIVAL, recipients, ret, OriginalMessage.of(original));
    }

    /** Writes the notice with the fixed Message-ID and date. */
    public static byte[] write(DsnWriter writer, DeliveryReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(report, NOW, MESSAGE_ID, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] write(DeliveryReport report) {
        return write(DsnWriter.defaults(), report);
    }

    /** A report of each interesting shape, by name. */
    public static List<Named> samples() {
        RecipientResult hostile = RecipientResult.failed(addr("dave@example.net"), "5.7.1", "mx.example.net",
                "550 5.7.1 bad\r\nBcc: victim@example.org\nX-Evil: 1\r\n.\r\nMAIL FROM:<x> Grüße \u0000 end", ATTEMPT);
        RecipientResult utf8 = RecipientResult.failed(addr("jörg@bücher.example"), "5.1.1", "mx.bücher.example",
                "550 5.1.1 unbekannter Empfänger", ATTEMPT)
                .withOriginal(new OriginalRecipient("utf-8", "jörg@bücher.example"));
        String eightBit = ORIGINAL.replace("us-ascii", "utf-8").replace("cafe?", "café? ☕")
                .replace("MIME-Version: 1.0", "MIME-Version: 1.0\r\nContent-Transfer-Encoding: 8bit");
        String utf8Header = eightBit.replace("Subject: =?utf-8?q?Caf=C3=A9?= on Friday", "Subject: Café on Friday");
        return List.of(
                new Named("failure-full", failure(List.of(bobFailed().withOriginal(OriginalRecipient.rfc822("Bob@Example.NET"))),
                        Optional.empty(), bytes(ORIGINAL))),
                new Named("failure-hdrs", failure(List.of(bobFailed()), Optional.of(Ret.HDRS), bytes(ORIGINAL))),
                new Named("delay", report(DeliveryReport.Kind.DELAY, List.of(carolDelayed()), Optional.empty(), bytes(ORIGINAL))),
                new Named("success", report(DeliveryReport.Kind.SUCCESS, List.of(
                        RecipientResult.succeeded(addr("bob@example.net"), Action.DELIVERED, "mx.example.net", "250 2.0.0 ok", ATTEMPT),
                        RecipientResult.succeeded(addr("erin@example.net"), Action.RELAYED, "old.example.net", "250 queued", ATTEMPT)),
                        Optional.empty(), bytes(ORIGINAL))),
                new Named("hostile", failure(List.of(hostile, bobFailed()), Optional.empty(), bytes(ORIGINAL))),
                new Named("eight-bit", failure(List.of(bobFailed()), Optional.of(Ret.FULL), bytes(eightBit))),
                new Named("utf8", failure(List.of(utf8), Optional.empty(), bytes(utf8Header))));
    }

    public record Named(String name, DeliveryReport report) {}

    /** The sample called {@code name}. */
    public static DeliveryReport sample(String name) {
        return samples().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow().report();
    }
}
